"""British spellings are read as American before stemming (`bot/text/spellings.toml`, `make
spellings`, from a general list): a claim, a sentence or an article writing "coloured" or
"defence" finds the ones writing "colored" or "defense"."""

from __future__ import annotations

import logging
import tomllib

from bot.text import words as words_module
from bot.text.aliases import load_aliases
from bot.text.words import american_spellings, stem, tokens
from tests.conftest import ask_claim, build_claim_world, write_aliases


def test_a_british_spelling_stems_as_the_american_one():
    assert stem("coloured") == stem("colored") and stem("colour") == stem("color")
    assert stem("defence") == stem("defense")
    assert stem("travelled") == stem("traveled") and stem("travelling") == stem("traveling")
    assert tokens("The programme was analysed") == tokens("The program was analyzed")
    # A word of neither list stems as before, and so does an American spelling.
    assert stem("signed") == "sign" and stem("colors") == stem("color")


def test_a_capitalised_british_word_is_respelt_as_a_lower_case_one():
    # Every word is lower-cased before it is stemmed: a sentence's first word, a headline's,
    # a name written as a British word (README).
    assert tokens("Defence ministers met") == tokens("defense ministers met")
    assert tokens("Defence Budget Cut") == tokens("defense budget cut")
    assert tokens("Labour won") == tokens("labor won")


def test_the_shipped_file_holds_only_pairs_the_stemmer_reads_apart():
    text = words_module.SPELLINGS.read_text(encoding="utf-8")
    pairs = tomllib.loads(text)["american"]
    assert len(pairs) > 1000 and "breame" in text.split("[american]")[0]
    assert all(gb.isalpha() and gb.islower() and us.isalpha() and us.islower()
               for gb, us in pairs.items())
    # No British form is another pair's American one (no chain of readings).
    assert not set(pairs) & set(pairs.values())
    # And none the stemmer already reads as its American one ("cancelled", "canceled").
    snowball = words_module._stemmer.stemWord
    assert [gb for gb, us in pairs.items() if snowball(gb) == snowball(us)] == []


def test_the_builder_leaves_out_pairs_the_stemmer_already_joins():
    from tests.bench.build_spellings import american_spellings as built

    found = built({"coloured": "colored", "cancelled": "canceled", "Labour": "Labor",
                   "grey-blue": "gray-blue", "realise": "realize"})
    # Snowball gives "cancel" for both "cancelled" and "canceled"; a capitalised or hyphenated
    # form is no word the run-time reader looks up.
    assert found == {"coloured": "colored", "realise": "realize"}


def test_two_words_wordnet_tells_apart_are_not_joined():
    # "tonne" is the metric ton, "ton" the short or long ton; "philtre" a love potion; "busses"
    # kisses. A spelling of the same word still joins.
    assert stem("tonnes") != stem("tons") and stem("tonne") != stem("ton")
    assert stem("philtre") != stem("filter") and stem("buses") != stem("busses")
    assert stem("metres") == stem("meters")


def test_the_builder_leaves_out_pairs_wordnet_tells_apart_and_their_forms():
    from tests.bench.build_spellings import american_spellings as built

    senses = {"tonne": {("n", 1)}, "ton": {("n", 2)}, "tons": {("n", 2)},
              "colour": {("n", 3)}, "color": {("n", 3), ("n", 4)}}
    found = built({"tonne": "ton", "tonnes": "tons", "colour": "color", "metre": "meter"},
                  lambda word: senses.get(word, set()))
    # "tonnes" (which WordNet knows only as a form of "tonne": no synsets here) goes with
    # "tonne"; "metre", which WordNet does not know here, is kept.
    assert found == {"colour": "color", "metre": "meter"}


def test_a_respelt_word_keeps_its_inflections():
    # The list respells "sheikh", "worshipper", "axe" and "judgement" but not their plurals or
    # verb forms, and "minibuses" and "glueing" but not "minibus" and "glue".
    assert stem("sheikhs") == stem("sheikh") == stem("sheik") == stem("sheiks")
    assert stem("worshippers") == stem("worshipper") == stem("worshipers")
    assert stem("axed") == stem("axes") == stem("axe")
    assert stem("judgements") == stem("judgement") == stem("judgments")
    assert stem("minibuses") == stem("minibus") and stem("glueing") == stem("glue")


def test_no_shipped_spelling_splits_a_word_from_its_inflections():
    from bot.text.spelling import language_frequency
    from tests.bench.build_spellings import bases, inflections

    pairs = tomllib.loads(words_module.SPELLINGS.read_text(encoding="utf-8"))["american"]
    snowball = words_module._stemmer.stemWord
    split = [(gb, other) for gb in pairs for other in inflections(gb) | bases(gb)
             if other not in pairs and language_frequency(other) > 0
             and snowball(other) == snowball(gb) and stem(other) != stem(gb)]
    assert split == []


def test_the_builder_keeps_a_british_word_with_its_inflections():
    from tests.bench.build_spellings import american_spellings as built

    english = {"sheikh", "sheikhs", "sheik", "sheiks", "minibus", "minibuses", "colour",
               "colours", "chilli", "chillies", "chilly"}
    found = built({"sheikh": "sheik", "minibuses": "minibusses", "colour": "color",
                   "colours": "colors", "chilli": "chili"}, None, english.__contains__)
    # "sheikhs", which the list lacks, is read as "sheik"; "minibuses" as "minibusses" would
    # leave "minibus" apart, and "chilli" as "chili" "chillies", which is "chilly"'s form too
    # (the stemmer's "chilli"); "colours" is the list's own.
    assert found == {"sheikh": "sheik", "sheikhs": "sheik", "colour": "color",
                     "colours": "colors"}


def test_a_damaged_spellings_file_is_logged_and_words_stem_as_written(tmp_path, caplog):
    broken = tmp_path / "spellings.toml"
    broken.write_text("[american\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert american_spellings(broken) == {}
    assert "unreadable" in caplog.text
    assert american_spellings(tmp_path / "missing.toml") == {}


def test_an_index_built_with_the_spellings_is_not_served_without_them(tmp_path, monkeypatch):
    # Its terms are American stems ("color"); a process whose file is missing or damaged
    # stems "coloured" as "colour", so the build's fingerprint differs and it rebuilds.
    # (The table is read first: nothing is stemmed, and so cached, without the spellings.)
    from bot.search import index

    table = load_aliases(write_aliases(tmp_path))
    with_them = index.aliases_fingerprint(table)
    monkeypatch.setattr(index, "_fingerprints", {})  # as a new process would work it out
    monkeypatch.setattr(words_module, "AMERICAN_SPELLINGS", {})
    assert index.aliases_fingerprint(table) != with_them


def test_a_claim_in_british_spelling_finds_the_american_sentences(settings, store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    world = build_claim_world(settings, store, corpus, {
        "a_wire.txt": "Sled stains\n\nThe snowmobile had rust-colored stains on its hood, "
                      "troopers said on Sunday.\n",
        "b_paper.txt": "Trail attack\n\nInvestigators found rust-colored stains on the "
                       "snowmobile's hood on Sunday.\n",
    })
    answer = ask_claim(world, "The snowmobile had rust-coloured stains on its hood.")
    assert answer.verdict == "corroborated"
    # Every word of the claim is found in each: the rules' full match (the sentence model
    # alone gave both sentences a partial one, 0.88).
    assert [e.score for e in answer.evidence[:2]] == [1.0, 1.0]


def test_a_british_claim_word_is_matched_by_the_american_sentence_word(tmp_path):
    from bot.claims.lookup import _features
    from bot.text.stance import match, parse_claim

    table = load_aliases(write_aliases(tmp_path))
    text = "Investigators analysed the coloured stains."
    claim = parse_claim(text, table.analyze(text), table, set())
    found = match(claim, _features("Investigators analyzed the colored stains on Sunday.", table),
                  None)
    assert found.coverage == 1.0


def test_a_form_both_spellings_write_is_not_respelt():
    # The list respelt "gases", the plural of "gas" both ways, as "gasses" (WordNet's other
    # plural and its verb's form): the plural was read as the verb's "gassed".
    assert stem("gases") != stem("gassed")
    # A British form of a word both write is still read as the American one.
    assert stem("dialled") == stem("dialed") and stem("biassed") == stem("biased")


def test_a_british_derivation_the_list_lacks_is_read_as_the_american_one():
    # The list respells "judgement", "sombre" and "meagre", not the words made of them.
    assert stem("judgemental") == stem("judgmental")
    assert stem("sombrely") == stem("somberly") and stem("meagreness") == stem("meagerness")
    assert tokens("a judgemental tone") == tokens("a judgmental tone")


def test_the_builder_leaves_out_a_form_both_spellings_write():
    from tests.bench.build_spellings import american_spellings as built

    # (part of speech, lemma): by WordNet's suffix rules, and by its lists of other forms
    regular = {"gases": {("n", "gas"), ("v", "gas")}, "dialed": {("v", "dial")},
               "colours": {("n", "colour")}, "colors": {("n", "color")}}
    listed = {"gasses": {("n", "gas"), ("v", "gas")}, "dialled": {("v", "dial")}}

    def forms(word: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        return regular.get(word, set()), listed.get(word, set())

    found = built({"gases": "gasses", "dialled": "dialed", "colours": "colors"}, forms=forms)
    # "gases" is "gas"'s regular plural, "gasses" one WordNet lists; "dialled" is the listed
    # form, "dialed" the regular one (a British spelling); "colours" is no form of "colors"'s.
    assert found == {"dialled": "dialed", "colours": "colors"}


def test_the_builder_adds_the_derivations_wordnet_knows_the_american_spelling_of():
    from tests.bench.build_spellings import american_spellings as built

    senses = {"judgmental": {("a", 1)}, "chili": {("n", 2)}, "chilli": {("n", 2)},
              "chilier": {("n", 2)}, "mummy": {("n", 3), ("n", 4)}, "mommy": {("n", 4)}}
    lemmas = {"judgmental": {("a", "judgmental")}, "mommy": {("n", "mommy")},
              "judgments": {("n", "judgment")}}

    def forms(word: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        return lemmas.get(word, set()), set()

    english = ["judgemental", "judgements", "chillier", "mummy", "colourist"]
    found = built({"judgement": "judgment", "chilli": "chili", "mum": "mom",
                   "colour": "color"}, lambda word: senses.get(word, set()), forms=forms,
                  english=english)
    # "judgemental" is read as "judgmental", which WordNet knows; not "chillier" ("chilier":
    # no form WordNet knows), "mummy" (a sense "mommy" lacks), "colourist" ("colorist":
    # unknown) nor "judgements" (an inflection, `with_inflections`'s).
    assert found == {"judgement": "judgment", "judgemental": "judgmental", "chilli": "chili",
                     "mum": "mom", "colour": "color"}
