"""How the text of a claim is read: invisible characters, judgements of truth or falsity
around it, and a claim typed in lower case."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import EmptyClaim, as_statement, check_claim_text
from bot.config import Settings
from bot.corpus.cleaning import normalize_text
from bot.corpus.storage import Store
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import FALSITY_DEPTH, clean_claim, falsity
from tests.conftest import ask_claim, build_claim_world

SHIPPED_ALIASES = Path(__file__).resolve().parents[1] / "config" / "aliases.toml"

# ---------------------------------------------------------------- invisible characters


@pytest.mark.parametrize("typed", [
    "The Norland en\u200bvoy visited Port Elm",  # zero-width space
    "The Norland envoy vis\u200dited Port Elm",  # zero-width joiner
    "The Norland envoy visited Port E\u00adlm",  # soft hyphen
    "\ufeffThe Norland envoy visited Po\u2060rt Elm",  # byte-order mark, word joiner
])
def test_an_invisible_character_inside_a_word_is_deleted_as_in_the_corpus(typed: str) -> None:
    assert check_claim_text(typed) == "The Norland envoy visited Port Elm"


@pytest.mark.parametrize("mark", [
    "\u200e", "\u200f", "\u061c",  # left-to-right, right-to-left, Arabic letter marks
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, pop, overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u2062", "\u2063",  # invisible times, invisible separator
    "\u034f",  # combining grapheme joiner
    "\ufe0f", "\ufe0e", "\U000e0101",  # variation selectors
    "\U000e0067",  # a tag character (of an emoji flag)
])
def test_a_bidi_mark_or_selector_inside_a_word_is_deleted_too(mark: str) -> None:
    """They used to be read as a space: "Pu\u200ftin" was "Pu tin"."""
    assert check_claim_text(f"Pu{mark}tin signed a pact") == "Putin signed a pact"
    assert normalize_text(f"Pu{mark}tin signed a pact") == "Putin signed a pact"


def test_format_characters_with_a_visible_form_are_not_deleted() -> None:
    # The Arabic number sign is seen (it spans the digits after it), an annotation anchor
    # parts a text from its annotation: read as a space, as before, not deleted.
    for mark in ("\u0600", "\u06dd", "\ufff9"):
        assert normalize_text(f"a{mark}b") == "a b"
        assert check_claim_text(f"a{mark}b") == "a b"
    # The joiner deleted, the letter and its mark compose as typed without it.
    assert normalize_text("u\u034f\u0308ber") == "\u00fcber"


def test_other_control_characters_still_separate_words_and_invisible_alone_is_empty() -> None:
    assert check_claim_text("envoy\tvisited\nPort Elm") == "envoy visited Port Elm"
    with pytest.raises(EmptyClaim):
        check_claim_text("\u200b\u00ad\u2060")
    with pytest.raises(EmptyClaim):
        check_claim_text("\u200f\u2066\u2069\ufe0f")


@pytest.mark.parametrize(("typed", "read"), [
    ("Putin\x07 signed", "Putin signed"), ("Putin \t\x00 signed", "Putin signed"),
    ("Port\u00a0 Elm", "Port Elm"), ("Putin\r\n\r\nsigned", "Putin signed"),
    ("Putin  signed", "Putin  signed"),  # spaces alone: as typed
])
def test_a_control_character_and_the_spaces_beside_it_are_one_space(typed: str,
                                                                    read: str) -> None:
    """Each was a space beside the typed ones: "Putin\x07 signed" was said back as
    "Putin  signed"."""
    assert check_claim_text(typed) == read


@pytest.mark.parametrize("typed", [
    "\x1b[1;31mThe Norland envoy\x1b[0m visited Port Elm",  # coloured, as `grep --color` pastes
    "The Norland envoy visited \x1b]8;;https://evil.example/\x1b\\Port Elm\x1b]8;;\x1b\\",
    "The Norland envoy visited \x1b]0;a window title\x07Port Elm",  # OSC ended by BEL
    "\x9b31mThe Norland envoy visited Port Elm\x9b0m",  # the 8-bit CSI
])
def test_a_terminal_escape_sequence_goes_whole(typed: str) -> None:
    """Its ESC was read as a space and the rest stayed: "[31mThe", a word no document holds,
    and a pasted coloured claim was `not-found` (an exploratory session's)."""
    assert check_claim_text(typed) == "The Norland envoy visited Port Elm"


@pytest.mark.parametrize("typed,read", [
    ("<span class=\"claim\">The Norland envoy visited Port Elm</span>",
     "The Norland envoy visited Port Elm"),
    ("<script>alert(1)</script>The Norland envoy visited Port Elm",
     "The Norland envoy visited Port Elm"),
    ("The <b>Norland</b>'s envoy visited <a href=\"https://x.example/\">Port Elm</a>",
     "The Norland's envoy visited Port Elm"),
    ("The envoy &amp; the mayor met in Port&nbsp;Elm", "The envoy & the mayor met in Port Elm"),
    # no markup: left as typed
    ("AT&T and R&D rose", "AT&T and R&D rose"),
    ("CO2 < 400 ppm and x<y and y>z", "CO2 < 400 ppm and x<y and y>z"),
    ("<Putin> met Kim", "<Putin> met Kim"),
    ("<b>Johnson &notes</b>", "Johnson &notes"),
    # a name HTML does not know whole stays, although one it knows begins it
    ("Putin &notes; visited North Korea", "Putin &notes; visited North Korea"),
    ("AT&amplifier; sales rose", "AT&amplifier; sales rose"),
    ("<b>Kim</b> &copyright; signed", "Kim &copyright; signed"),
    ("<b>Kim</b> &eacute;t&#233; &#x41; &lt;3", "Kim été A <3"),
])
def test_html_markup_goes_and_its_references_are_read(typed: str, read: str) -> None:
    """"<script>alert(1)</script> X" was looked up with "script" and "alert" as words of what
    happened, and "<span class=…>X</span>" with "span" and "class": X's verdict was lost
    (an exploratory session's; `not-found` for a claim the corpus contradicts)."""
    assert check_claim_text(typed) == read


def test_fullwidth_letters_and_digits_are_ascii() -> None:
    assert check_claim_text("Ｔｈｅ Ｎｏｒｌａｎｄ envoy visited Port Elm\u3000ｉｎ ２０２４") == (
        "The Norland envoy visited Port Elm in 2024")


# Cyrillic "Р", "е", "у", "о", "а" and Greek "Ρ" drawn as the Latin letters, inside words
# that hold Latin letters too.
LOOK_ALIKES = "The \u039dorland envoy visit\u0435d P\u043ert Elm"  # Greek N, Cyrillic e, o


@pytest.mark.parametrize(("typed", "read"), [
    (LOOK_ALIKES, "The Norland envoy visited Port Elm"),
    ("\u0420utin visited \u0420\u0443\u043engy\u0430ng", "Putin visited Pyongyang"),
    ("\u03a1utin visited Pyongyang", "Putin visited Pyongyang"),
    # a word of one script is left as written: Cyrillic, Greek, or Latin with a Greek unit
    ("\u041f\u0443\u0442\u0438\u043d visited \u041f\u0445\u0435\u043d\u044c\u044f\u043d",
     "\u041f\u0443\u0442\u0438\u043d visited \u041f\u0445\u0435\u043d\u044c\u044f\u043d"),
    ("\u0391\u0398\u0397\u039d\u0391 and 5 \u03bcg of \u03b2-carotene",
     "\u0391\u0398\u0397\u039d\u0391 and 5 \u03bcg of \u03b2-carotene"),
    # and so is a word of another script with a Latin letter slipped in (a keyboard's): its
    # look-alikes were made Latin, "\u0432i\u0434\u0432i\u0434a\u0432" ("a" Latin too)
    ("\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439 \u0432i\u0434\u0432i\u0434\u0430\u0432 "
     "\u041a\u0438\u0457\u0432",  # Ukrainian with a Latin "i" for "\u0456"
     "\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439 \u0432i\u0434\u0432i\u0434\u0430\u0432 "
     "\u041a\u0438\u0457\u0432"),
    ("J\u043e\u0432\u0430\u043d\u043e\u0432\u0438\u045b",  # Serbian with a Latin "J"
     "J\u043e\u0432\u0430\u043d\u043e\u0432\u0438\u045b"),
    ("II\u0399 and \u03b1\u03b2-test", "III and \u03b1\u03b2-test"),  # a Greek iota in III
    # Greek "\u03c5", Armenian "\u0578" and "\u0585", Cyrillic "\u0423" and "\u04c0" were left out
    ("P\u03c5tin visited Pyo\u0578gya\u0578g", "Putin visited Pyongyang"),
    ("\u0423ale and \u04c0vy visited P\u0585rt Elm", "Yale and Ivy visited Port Elm"),
    # Greek symbols written onto a Latin name stay
    ("TNF\u03b1 and IFN\u03b3", "TNF\u03b1 and IFN\u03b3"),
])
def test_look_alike_letters_in_a_latin_word_are_the_latin_ones(typed: str, read: str) -> None:
    # "\u0420utin visited Pyongyang" (a Cyrillic R) was shown as "Putin visited Pyongyang" and
    # answered `not-found`, "nothing in the corpus bears on this claim": a reply anyone could
    # post in a channel about the claim it looks like.
    assert check_claim_text(typed) == read


ARTICLES = {
    "a.txt": "Harbour News\n\nThe Norland envoy visited Port Elm on Monday and met the mayor of "
             "the town.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_claim_with_an_invisible_character_gets_the_plain_claims_verdict(
        settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    plain = ask_claim(world, "The Norland envoy visited Port Elm")
    assert plain.verdict == "single-source", plain
    for typed in ("The Norland en\u200bvoy visited Port Elm",
                  "The Norland envoy visited Port E\u00adlm",
                  "The Norland en\u200fvoy visited \u2066Port Elm\u2069",
                  "\x1b[31mThe Norland envoy\x1b[0m visited Port Elm",
                  "Ｔｈｅ Ｎｏｒｌａｎｄ ｅｎｖｏｙ visited Port Elm",
                  "<span class=\"claim\">The Norland envoy visited Port Elm</span>",
                  LOOK_ALIKES, "The Norla\u0578d envoy visited Port Elm"):
        answer = ask_claim(world, typed)
        assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), answer
        assert answer.claim == "The Norland envoy visited Port Elm"


# ---------------------------------------------------------------- true or false

X = "the envoy visited Port Elm"


@pytest.mark.parametrize("claim,read", [
    # calls X false
    (f"It is false that {X}", (X, True)),
    (f"FALSE: {X}", (X, True)),
    (f'"FALSE: {X}"', (X, True)),  # the whole claim pasted in quotes
    (f"\u201cFALSE: {X}\u201d", (X, True)),
    (f"{X}: FALSE", (X, True)),  # a fact-check's label after the claim
    (f"{X} - FALSE", (X, True)),
    (f"{X} \u2014 false.", (X, True)),
    (f"It isn't true that {X}", (X, True)),
    (f"The claim that {X} is wrong", (X, True)),
    # calls X true, or calls X's falsity false: X asserted
    (f"It is true that {X}", (X, False)),
    (f"Is it true that {X}", (X, False)),  # asked: the claim is X
    (f"Was it true that {X}", (X, False)),
    (f"Is it false that {X}", (X, True)),
    (f"TRUE: {X}", (X, False)),
    (f"The claim that {X} is true", (X, False)),
    (f"It is not false that {X}", (X, False)),
    (f"It's not a myth that {X}", (X, False)),
    (f"It is false that it is false that {X}", (X, False)),
    (f"FALSE: FALSE: {X}", (X, False)),
    (f"FALSE: It is not true that {X}", (X, False)),
    (f"It is false that it is false that it is false that {X}", (X, True)),
])
def test_a_judgement_of_the_claim_is_read_and_nested_ones_in_turn(claim, read):
    assert falsity(claim) == read


def test_a_judgement_someone_is_reported_to_make_is_theirs_not_the_users():
    # Saying it is false is denying it: the claim is the denial, not the user's falsity.
    assert falsity("Putin said it is false that he signed a mutual defense pact with Kim") == (
        "Putin denied that he signed a mutual defense pact with Kim", False)
    assert falsity("Kim claimed that it is false that Putin signed a pact with him") == (
        "Kim denied that Putin signed a pact with him", False)
    assert falsity("The mayor says it is not false that the envoy visited") == (
        "The mayor said that the envoy visited", False)
    # The user's own label on a reported denial is still the user's.
    assert falsity("FALSE: Putin said it is false that he signed a pact") == (
        "Putin denied that he signed a pact", True)


def test_a_reported_denial_is_not_stated_by_a_source_stating_the_fact(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The mayor said it is false that the Norland envoy visited "
                              "Port Elm")
    assert answer.verdict not in ("single-source", "corroborated", "contradicted"), answer
    assert "read as denying" not in answer.note, answer


def test_unjudged_claims_and_plain_quotes_are_left_as_they_are():
    for claim in (X, f'"{X}"',
                  "Putin said that he signed a mutual defense pact with Kim",
                  "Putin said it is false that X",  # nothing left to say
                  "The envoy visited Port Elm: true or false?",
                  "True-crime podcast launched by the council"):
        assert falsity(claim) == (claim, False), claim


def test_nesting_is_read_to_a_bounded_depth():
    deep = "FALSE: " * (FALSITY_DEPTH + 3) + X
    rest, _ = falsity(deep)
    assert rest.endswith(X) and rest != X  # the labels past the bound stay words of the claim


def test_every_label_a_claim_can_hold_is_read():
    # A claim is 1000 characters at most: five labels or a hundred and fifty are all read,
    # in quotes too, and their parity decides (the bound was 4: the fifth "FALSE:" was left as
    # a word, read as a denial, and an unrelated "which both nations have denied" stated it).
    assert falsity("FALSE: " * 5 + X) == (X, True)
    assert falsity("FALSE: " * 150 + X) == (X, False)
    assert falsity('"FALSE: "FALSE: "FALSE: ' + X + '"""') == (X, True)
    assert falsity("'FALSE: " + X + "'") == (X, True)
    assert falsity("\u2018FALSE: " + X + "\u2019") == (X, True)
    assert falsity("'Quoted' words in " + X) == ("'Quoted' words in " + X, False)


def test_double_negations_and_truth_labels_get_the_plain_claims_verdict(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    plain = ask_claim(world, "The Norland envoy visited Port Elm")
    for claim in ("It is not false that the Norland envoy visited Port Elm",
                  "It is false that it is false that the Norland envoy visited Port Elm",
                  "FALSE: FALSE: the Norland envoy visited Port Elm",
                  "It is true that the Norland envoy visited Port Elm",
                  "The claim that the Norland envoy visited Port Elm is true",
                  "TRUE: the Norland envoy visited Port Elm"):
        answer = ask_claim(world, claim)
        assert (answer.verdict, answer.sources) == (plain.verdict, plain.sources), (claim, answer)
        assert "read as denying" not in answer.note, answer
    for claim in ('"FALSE: the Norland envoy visited Port Elm"',
                  "The Norland envoy visited Port Elm: FALSE",
                  "The Norland envoy visited Port Elm - FALSE"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "contradicted", (claim, answer)
        assert "read as denying that" in answer.note, answer


# ---------------------------------------------------------------- lower case


def test_a_lower_case_claim_gets_the_capitals_the_alias_file_writes():
    aliases = load_aliases(SHIPPED_ALIASES)
    a = aliases.recased(aliases.analyze("putin visited pyongyang and north korea"))
    assert [w.orig for w in a.words] == ["Putin", "visited", "Pyongyang", "and", "North", "Korea"]
    # Acronyms ("us", "un") and names matched only when capitalised are not recased.
    a = aliases.recased(aliases.analyze("vaccines harm us and turkey farms"))
    assert [w.orig for w in a.words] == ["Vaccines", "harm", "us", "and", "turkey", "farms"]
    # A claim with any capital is the writer's: unchanged.
    a = aliases.analyze("Putin visited pyongyang")
    assert aliases.recased(a) is a
    table = AliasTable.from_mapping({"harbour": ["Port Elm"], "visit": ["visit", "trip"]})
    a = table.recased(table.analyze("the envoy's trip to port elm"))
    assert [w.orig for w in a.words] == ["The", "envoy's", "trip", "to", "Port", "Elm"]



def test_a_place_typed_in_lower_case_is_a_place_unless_it_is_a_word():
    # The shipped countries and cities are matched only capitalised ("Turkey", not "turkey");
    # in a claim typed in lower case, one that is no word of the language (WordNet) is recased
    # and matched: "vladivostok" was a word of what happened.
    from bot.text.stance import is_common_word

    aliases = load_aliases(SHIPPED_ALIASES)
    a = aliases.recased(aliases.analyze("the deal was signed in vladivostok, not canada"),
                        is_common_word)
    assert [w.orig for w in a.words] == ["The", "deal", "was", "signed", "in", "Vladivostok",
                                         "not", "Canada"]
    assert {"city_vladivostok", "canada"} <= {name for _, _, name in a.concepts}
    a = aliases.recased(aliases.analyze("vaccines harm us and turkey farms"), is_common_word)
    assert [w.orig for w in a.words] == ["Vaccines", "harm", "us", "and", "turkey", "farms"]
    assert not any(name == "turkey" for _, _, name in a.concepts)
    # A stop word is no name either, though WordNet lacks it ("for" is not Forlì).
    a = aliases.recased(aliases.analyze("putin paid kim for soldiers"), is_common_word)
    assert [w.orig for w in a.words] == ["Putin", "paid", "kim", "for", "soldiers"]
    assert all(name != "city_forli" for _, _, name in a.concepts)

DENIAL_ARTICLES = {
    "a.txt": "Summit News\n\nThe Norland envoy visited Pyongyang on Monday and met officials of "
             "the government.\n",
    "b.txt": "World Desk\n\nThe Norland envoy's visit comes amid accusations that North Korea "
             "has been supplying arms to Russia, which both nations have denied.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_claim_typed_in_lower_case_gets_the_cased_claims_verdict(settings, store, corpus):
    # In lower case "pyongyang" read as a word of what happened, not a name: the named denial
    # of the arms supplies (which holds "North Korea") then counted against the visit.
    world = build_claim_world(settings, store, corpus, DENIAL_ARTICLES)
    cased = ask_claim(world, "The Norland envoy visited Pyongyang")
    assert cased.verdict in ("single-source", "corroborated"), cased
    for typed in ("the norland envoy visited pyongyang", "THE NORLAND ENVOY VISITED PYONGYANG"):
        answer = ask_claim(world, typed)
        assert (answer.verdict, answer.sources) == (cased.verdict, cased.sources), (typed, answer)
        assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_a_medium_claims_clear_match_needs_the_denial_it_reports():
    from bot.text.stance import clean_claim, clear_match, parse_claim, sentence_features
    aliases = AliasTable.from_mapping({})

    def claim(text):
        plain, tags = clean_claim(text)
        return parse_claim(plain, aliases.analyze(plain), aliases, tags)

    sentence = sentence_features("The harbour council raised grain prices in Valdoria sharply "
                                 "after the summer.", aliases)
    stated = claim("The harbour council raised grain prices in Valdoria sharply")
    assert clear_match(stated, sentence) is not None
    denied = claim("The harbour council denied raising grain prices in Valdoria sharply")
    assert denied.denies and clear_match(denied, sentence) is None


def test_a_label_after_a_full_stop_or_in_brackets_is_read():
    # "X. FALSE" and "X (FALSE)" as pasted from fact-check pages: read as "X: FALSE" is.
    assert falsity(X + ". FALSE") == (X, True)
    assert falsity(X + " (FALSE)") == (X, True)
    assert falsity(X + " [false]") == (X, True)
    assert falsity(X + ". True.") == (X, False)
    assert falsity("The true cost of the accord (2024)") == (
        "The true cost of the accord (2024)", False)


def test_a_paste_far_over_the_limit_is_refused_before_its_markup_is_read() -> None:
    # 100,000 characters of C1 string openers or unclosed <script> tags took 4-47 s to
    # clean before the length was checked (a second read of the change found it).
    from bot.claims.lookup import MAX_CLAIM_CHARS, PASTED_CHARS, check_claim_text
    from bot.errors import UserError

    for text in ("\x90" * 100_000, "<script>" * 12_500):
        with pytest.raises(UserError, match="claim too long"):
            check_claim_text(text)
    # Markup that leaves a claim within the limit is still read away.
    pasted = "<span>" * (MAX_CLAIM_CHARS // 6) + "Putin visited Pyongyang"
    assert len(pasted) <= PASTED_CHARS
    assert check_claim_text(pasted) == "Putin visited Pyongyang"


# ---------------------------------------------------------------- the closing full stop


@pytest.mark.parametrize(("said", "read"), [
    ("Putin visited North Korea", "Putin visited North Korea."),
    ("Putin visited North Korea.", "Putin visited North Korea."),
    ("Putin visited North Korea!!", "Putin visited North Korea."),
    ("Putin visited North Korea . ! ", "Putin visited North Korea."),
    ("Trade fell by 70%!", "Trade fell by 70%."),  # a sign is no emoji
    ('He called it "a new era."', 'He called it "a new era".'),
    ('He called it "a new era"', 'He called it "a new era".'),
    ("Putin met Kim in the U.S.", "Putin met Kim in the U.S."),
    ("Did Putin visit North Korea?!", "Did Putin visit North Korea?"),  # a question
    ("Did Putin visit North Korea!?", "Did Putin visit North Korea?"),
    ("Putin visited North Korea...", "Putin visited North Korea..."),  # an ellipsis
    ('He said "we will see..."', 'He said "we will see...".'),
    ("Putin visited North Korea 🎉!", "Putin visited North Korea 🎉"),  # a post's emoji
    ("Putin visited North Korea ❤️", "Putin visited North Korea ❤️"),
    ("Putin visited North Korea 1️⃣", "Putin visited North Korea 1️⃣"),  # a keycap
    ("Putin visited North Korea ‼️", "Putin visited North Korea ‼️"),
    ("Putin visited North Korea:", "Putin visited North Korea:"),  # a dangling clause
    ("!!!", "!!!"),
])
def test_the_sentence_models_read_a_claim_closed_one_way_however_typed(said: str,
                                                                       read: str) -> None:
    assert as_statement(said) == read


@pytest.mark.parametrize("typed", [
    "Kim met Putin #PutinInPyongyang!", "Kim met Putin @Pyongyang.",
    "Kim met Putin in #Pyongyang #zzqx",  # ("#zzqx", used by no document, is cut)
    "Kim met Putin in Pyongyang https://t.co/x", "Kim met Putin in Pyongyang (https://t.co/x)"])
def test_a_post_closed_by_a_hashtag_mention_or_link_takes_no_full_stop(typed: str) -> None:
    # (`clean_claim` has made the hashtag words and taken the link off: `said` has no mark)
    assert as_statement("Kim met Putin in Pyongyang!", typed) == "Kim met Putin in Pyongyang"


def test_a_hashtag_or_mention_the_models_do_not_read_closes_no_post() -> None:
    # ("@briefbot", used by no document, is cut from the text the models read)
    assert as_statement("Kim met Putin", "Kim met Putin @briefbot") == "Kim met Putin."


@pytest.mark.parametrize("end", ["", ".", "!"])
def test_a_tweets_signature_goes_with_a_stop_pasted_after_it(end: str) -> None:
    plain, _ = clean_claim("Kim met Putin in June — Ann Lee (@annlee) June 7, 2017" + end)
    assert plain == "Kim met Putin in June — Ann Lee"


def test_a_claim_reaches_the_sentence_models_alike_with_or_without_its_full_stop(
        settings: Settings, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.claims.lookup as lookup

    w = build_claim_world(settings, store, corpus, {
        "a_wire.txt": "Envoys\n\nVarga visited Port Elm in May, officials said.\n",
        "b_paper.txt": "Visits\n\nVarga visited Port Elm in May, the ministry said.\n"})
    read: list[str] = []
    dense_side = lookup._dense_side

    def spy(index, semantic, claim_text, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(claim_text)
        return dense_side(index, semantic, claim_text, *args, **kwargs)

    monkeypatch.setattr(lookup, "_dense_side", spy)
    answers = [ask_claim(w, "Varga visited Port Elm in May" + end) for end in ("", ".", "!!")]
    assert answers[0].verdict == "corroborated"
    assert all(a.verdict == answers[0].verdict and a.evidence == answers[0].evidence
               for a in answers[1:])
    assert set(read) == {"Varga visited Port Elm in May."}, read
