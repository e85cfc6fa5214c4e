"""Sentence segmentation edge cases: abbreviations, initials, times, decimals, quotes,
ellipses, brackets, numbers."""

from __future__ import annotations

import pytest

from bot.corpus.segment import split_sentences

CASES = [
    ("The U.S. and its allies met in Seoul. The talks ended on Friday.",
     ["The U.S. and its allies met in Seoul.", "The talks ended on Friday."]),
    ("Sanctions were imposed by the U.S. The talks ended.",
     ["Sanctions were imposed by the U.S.", "The talks ended."]),
    ("Prof. Serban Gabriel wrote the post. It was widely shared.",
     ["Prof. Serban Gabriel wrote the post.", "It was widely shared."]),
    ("Dr. Smith arrived at 9 a.m. on Monday. He left at 5 p.m. The meeting was short.",
     ["Dr. Smith arrived at 9 a.m. on Monday.", "He left at 5 p.m.", "The meeting was short."]),
    ("J. R. R. Tolkien wrote books. Kim Jong Un met Putin.",
     ["J. R. R. Tolkien wrote books.", "Kim Jong Un met Putin."]),
    ("In 2024, Russia and N. Korea signed a pact. It was historic.",
     ["In 2024, Russia and N. Korea signed a pact.", "It was historic."]),
    ("Growth was 2.5 percent in 2023. Inflation hit 3.1%.",
     ["Growth was 2.5 percent in 2023.", "Inflation hit 3.1%."]),
    ('"We will respond," he said. "This is final." Then he left.',
     ['"We will respond," he said.', '"This is final."', "Then he left."]),
    ("He said: “The deal is done.” Others disagreed.",
     ["He said: “The deal is done.”", "Others disagreed."]),
    ("“Is this the end?” she asked. “No!” he replied. They laughed.",
     ["“Is this the end?” she asked.", "“No!” he replied.", "They laughed."]),
    ("The talks stalled... Then a deal emerged. Wait… what happened?",
     ["The talks stalled...", "Then a deal emerged.", "Wait… what happened?"]),
    ("The talks stalled... and then resumed.", ["The talks stalled... and then resumed."]),
    ("The pact (signed in June.) is binding. It covers defence (see Art. 4). Both agreed.",
     ["The pact (signed in June.) is binding.", "It covers defence (see Art. 4).", "Both agreed."]),
    ("He lives at No. 5 Main St. in Seoul. Resolution No. 2397 was adopted.",
     ["He lives at No. 5 Main St. in Seoul.", "Resolution No. 2397 was adopted."]),
    ("Washington, D.C. is the capital. The U.S. Army said so.",
     ["Washington, D.C. is the capital.", "The U.S. Army said so."]),
    ("It was signed on Jan. 5 by both sides. Mr. Lee agreed.",
     ["It was signed on Jan. 5 by both sides.", "Mr. Lee agreed."]),
    ("Gen. Kim inspected it. A U.N. panel disagreed.",
     ["Gen. Kim inspected it.", "A U.N. panel disagreed."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("He cited e.g. the 1961 treaty. It was old.", ["He cited e.g. the 1961 treaty.", "It was old."]),
    ("(The meeting was private.) Officials said little.",
     ["(The meeting was private.)", "Officials said little."]),
    ("Kim Jong Un. He met Putin.", ["Kim Jong Un.", "He met Putin."]),
    ("", []),
    ("   \n  ", []),
    ("No terminal punctuation here", ["No terminal punctuation here"]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_white_space_normalised_and_nothing_lost() -> None:
    text = "First  sentence\nwraps here. Second one!  Third?"
    out = split_sentences(text)
    assert out == ["First sentence wraps here.", "Second one!", "Third?"]
    assert " ".join(out) == " ".join(text.split())


def test_enumerators_reattached() -> None:
    assert split_sentences("1. The first point. 2. The second point.") == [
        "1. The first point.", "2. The second point."]


def test_cased_scripts_other_than_latin_split_at_their_capitals():
    # Cyrillic capitals start a sentence as Latin ones do (a Russian article was one sentence).
    assert split_sentences("Путин прибыл в Пхеньян. Ким Чен Ын встретил его. Стороны "
                           "подписали договор.") == ["Путин прибыл в Пхеньян.",
                                                     "Ким Чен Ын встретил его.",
                                                     "Стороны подписали договор."]
    assert split_sentences("Ο Πούτιν έφτασε. Η συνάντηση έγινε.") == ["Ο Πούτιν έφτασε.",
                                                                     "Η συνάντηση έγινε."]
    assert split_sentences("It was the end. then more came.") == ["It was the end. then more came."]


def test_a_sentence_that_lost_its_punctuation_is_cut_into_pieces():
    from bot.corpus.segment import MAX_SENTENCE_WORDS, PIECE_WORDS

    words = [f"w{i}" for i in range(200)]
    words[70] += ","  # a comma in the second half of the second piece: cut after it
    pieces = split_sentences(" ".join(words))
    assert all(len(p.split()) <= PIECE_WORDS for p in pieces)
    assert " ".join(pieces).split() == [w for w in " ".join(words).split()]
    assert pieces[1].endswith("w70,") and pieces[0].endswith("w39")
    written = " ".join(["word"] * MAX_SENTENCE_WORDS) + "."
    assert split_sentences(written) == [written]  # up to the cap, a sentence stays whole


def test_a_huge_unpunctuated_text_is_cut_in_linear_time():
    import time

    started = time.monotonic()
    pieces = split_sentences(" ".join(["w"] * 400_000))
    assert len(pieces) == 10_000 and time.monotonic() - started < 1  # quadratic before: 4.7 s


PROSE = ("Officials in Seoul said on Tuesday that the pact would be reviewed by ministers. "
         "Dr. Lee of the U.S. embassy agreed! Did the talks stall... or not? ")


@pytest.mark.parametrize("mark", [".", "!", "?", "…"])
def test_a_run_of_end_marks_not_followed_by_a_space_is_split_in_linear_time(mark: str) -> None:
    import time

    # 50,000 marks each, 200,000 for the four: the run was tried from each of its marks to
    # its end (quadratic: 20,000 "!" took 6 s, this size ~40 s; a 1 MB file of periods held a
    # reload for hours). Bound: ten times what the same length of ordinary prose takes (many
    # real boundaries, abbreviations), measured here, so a slow machine does not fail it.
    run = "Wow" + mark * 50_000 + "x"
    prose = PROSE * (len(run) // len(PROSE) + 1)
    started = time.perf_counter()
    assert len(split_sentences(prose)) > 1000
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    assert split_sentences(run) == [run]  # no white space after it: no boundary
    elapsed = time.perf_counter() - started
    assert elapsed < max(10 * baseline, 0.25), (elapsed, baseline)
    # With a space and a capital after it, the whole run still ends the sentence.
    assert split_sentences(run[:-1] + " Then more.") == [run[:-1], "Then more."]


def test_a_megabyte_run_of_periods_in_an_article_parses_quickly() -> None:
    import time

    from bot.corpus.article import parse_article
    from bot.corpus.metadata import OutletCatalog

    first = "Officials said the pact would be reviewed" + "!" * 1_000_000
    second = "They met" + "." * 1_000_000
    raw = f"Dots\n\n{first} The ministers agree.\n\n{second}\n"
    started = time.monotonic()
    article = parse_article(raw, "d", OutletCatalog.load(None))
    assert time.monotonic() - started < 20  # ~1 s; before: hours
    assert [(s.paragraph, s.text[:12], len(s.text)) for s in article.sentences] == [
        (0, "Officials sa", len(first)), (0, "The minister", 20), (1, "They met....", len(second))]


@pytest.mark.parametrize(("text", "expected"), [
    # a number's label ("No.", "Art.") abbreviates only before a number: elsewhere it is the
    # word it spells, and may end a sentence (each was one sentence)
    ("Sen. Mark Warner, D-Va., said no. Rep. Nancy Pelosi spoke.",
     ["Sen. Mark Warner, D-Va., said no.", "Rep. Nancy Pelosi spoke."]),
    ("The museum showed modern art. Critics loved it.",
     ["The museum showed modern art.", "Critics loved it."]),
    ("He lives at No. 10 Downing Street. Chapter Vol. II covers it.",
     ["He lives at No. 10 Downing Street.", "Chapter Vol. II covers it."]),
    # a rank's or an office's title after a name's word, no name after it, is the name's end
    ("The summit was hosted by Hun Sen. Farmers welcomed the move.",
     ["The summit was hosted by Hun Sen.", "Farmers welcomed the move."]),
    ("The summit was hosted by Hun Sen. The farmers welcomed it.",
     ["The summit was hosted by Hun Sen.", "The farmers welcomed it."]),
    # a title before a whole name, or after no name, or one written before a surname alone
    ("The bill was signed by Texas Gov. Greg Abbott on Friday.",
     ["The bill was signed by Texas Gov. Greg Abbott on Friday."]),
    ("The bill was opposed by Sen. Warner and others.",
     ["The bill was opposed by Sen. Warner and others."]),
    ("Is Trump Nominating Dr. Oz to the council?", ["Is Trump Nominating Dr. Oz to the council?"]),
    ("The volcano Mount St. Helens erupted in 1980.",
     ["The volcano Mount St. Helens erupted in 1980."]),
    # a capitalised word opening its sentence is no name's: "Sen." before a surname
    ("As Sen. Kim said, it failed.", ["As Sen. Kim said, it failed."]),
    ("The vote failed. Democratic Sen. Warner said so.",
     ["The vote failed.", "Democratic Sen. Warner said so."]),
])
def test_an_abbreviations_word_may_end_a_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", [
    "Then California Gov. Newsom spoke.",
    "Critics said Republican Rep. Gaetz had lied.",
    "The order was given by Army Gen. Milley, the chairman.",
])
def test_a_title_that_is_no_name_ends_no_name(text: str) -> None:
    # "Sen." is a name's last word too ("Hun Sen"); "Gov.", "Rep." and "Gen." are none, and
    # after a state's, a party's or a service's name stand before a surname alone: a second
    # read's find (each was cut after the title)
    assert split_sentences(text) == [text]


@pytest.mark.parametrize("text", [
    "It appeared in Vol. I of his memoirs.",
    "Read Ch. V of the report.",
    "See Fig. S1 for the full data set.",
])
def test_a_label_that_spells_no_word_labels_letters_too(text: str) -> None:
    # only "No." and "Art." spell a word that may end a sentence: "Vol.", "Ch." and "Fig."
    # label a roman numeral of one letter or a lettered number too (a second read's find:
    # each was cut after the label)
    assert split_sentences(text) == [text]
