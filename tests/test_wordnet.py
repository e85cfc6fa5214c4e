"""WordNet synonyms and derivations in claim matching (bot/text/wordnet.py): a tiny WordNet in
the database files' own format, built by `make wordnet`'s builder, and the shipped table."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.claims.lookup import query_terms
from bot.text import wordnet
from bot.text.aliases import AliasTable
from bot.text.stance import (
    SYNONYM_CREDIT,
    clean_claim,
    match,
    parse_claim,
    sentence_features,
    weigh,
)
from bot.text.wordnet import LEXICON, Lexicon, load_lexicon
from tests.bench.build_wordnet import (
    build,
    gloss_words,
    inflections,
    person_nouns,
    read_exceptions,
    write_sqlite,
)

ALIASES = AliasTable.from_mapping({})

# synset offset: (lemmas, derivation pointers (source word, target offset, target word))
Synsets = dict[int, tuple[list[str], list[tuple[int, tuple[str, int], int]]]]
NOUNS: Synsets = {
    100: (["policeman", "police_officer"], []),
    101: (["cop", "pig"], []),  # "cop"'s frequent sense; a rare sense of "pig"
    102: (["pig", "hog", "swine"], []),
    103: (["bank"], []),
    104: (["bank", "slope"], []),  # a rare sense of "bank"
    105: (["murderer", "slayer"], []),
}
VERBS: Synsets = {
    200: (["phone", "call", "telephone"], []),
    201: (["murder", "slay"], [(1, ("n", 105), 1), (2, ("n", 105), 2)]),
    202: (["own_up", "confess"], []),
}
# lemma%pos -> [(offset, sense number, tag count)]
SENSES = {
    "policeman%1": [(100, 1, 10)], "police_officer%1": [(100, 1, 3)],
    "cop%1": [(101, 1, 20)], "pig%1": [(102, 1, 40), (101, 2, 1)],
    "hog%1": [(102, 1, 5)], "swine%1": [(102, 1, 5)],
    "bank%1": [(103, 1, 50), (104, 2, 2)], "slope%1": [(104, 1, 9)],
    "murderer%1": [(105, 1, 5)], "slayer%1": [(105, 1, 1)],
    "phone%2": [(200, 1, 8)], "call%2": [(200, 1, 30)], "telephone%2": [(200, 1, 4)],
    "murder%2": [(201, 1, 7)], "slay%2": [(201, 1, 2)],
    "own_up%2": [(202, 1, 0)], "confess%2": [(202, 1, 6)],
}


def _data_lines(synsets: dict[int, tuple[list[str], list]], pos: str) -> str:
    lines = ["  1 This software and database is being provided to you, the LICENSEE ..."]
    for offset, (lemmas, pointers) in synsets.items():
        words = " ".join(f"{w} 0" for w in lemmas)
        ptrs = " ".join(f"+ {target:08d} {tpos} {src:02x}{tw:02x}"
                        for src, (tpos, target), tw in pointers)
        lines.append(f"{offset:08d} 03 {pos} {len(lemmas):02x} {words} {len(pointers):03d}"
                     f"{' ' + ptrs if ptrs else ''} | a gloss")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tiny_wordnet_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wordnet")
    (root / "data.noun").write_text(_data_lines(NOUNS, "n"))
    (root / "data.verb").write_text(_data_lines(VERBS, "v"))
    (root / "data.adj").write_text("")
    (root / "data.adv").write_text("")
    (root / "index.sense").write_text("".join(
        f"{key.split('%')[0]}%{key.split('%')[1]}:00:00:: {offset:08d} {number} {count}\n"
        for key, senses in SENSES.items() for offset, number, count in senses))
    (root / "verb.exc").write_text("slew slay\nslain slay\nbought buy\nsaw see\nseen see\npaid pay\n")
    (root / "noun.exc").write_text("men man\n")
    write_sqlite(build(root, share=0.1), root / "lexicon.sqlite", share=0.1,
                 inflected=inflections(read_exceptions(root)))
    return root / "lexicon.sqlite"


@pytest.fixture(scope="module")
def tiny_wordnet(tiny_wordnet_path: Path) -> Lexicon:
    return Lexicon(tiny_wordnet_path)


def _coverage(claim: str, sentence: str, lexicon: Lexicon) -> float:
    plain, tags = clean_claim(claim)
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, tags, lexicon=lexicon)
    parsed = weigh(parsed, {}, 100)
    return match(parsed, sentence_features(sentence, ALIASES), None).coverage


def test_a_synonym_in_the_sentence_counts_toward_coverage(tiny_wordnet: Lexicon):
    # "phoned" (a verb form, lemmatised) is satisfied by "called" at SYNONYM_CREDIT.
    without = _coverage("Demoski phoned officers", "Demoski called officers", Lexicon(None))
    with_ = _coverage("Demoski phoned officers", "Demoski called officers", tiny_wordnet)
    assert without == pytest.approx(2 / 3)
    assert with_ == pytest.approx((2 + SYNONYM_CREDIT) / 3)


def test_multiword_synonyms_and_derivations_count(tiny_wordnet: Lexicon):
    # "police officer" needs both its words; "slew" (irregular) -> "slay" ~ "murder";
    # "slay" -> "slayer" (a derivation).
    assert _coverage("rangers saw policemen", "rangers saw police officers",
                     tiny_wordnet) > _coverage("rangers saw policemen",
                                               "rangers saw police officers", Lexicon(None))
    assert _coverage("rangers saw policemen", "rangers saw officers", tiny_wordnet) \
        == pytest.approx(_coverage("rangers saw policemen", "rangers saw officers", Lexicon(None)))
    assert _coverage("hunters slew rangers", "hunters murdered rangers", tiny_wordnet) \
        == pytest.approx((2 + SYNONYM_CREDIT) / 3)
    assert _coverage("hunters slay rangers", "hunters are slayers of rangers",
                     tiny_wordnet) == pytest.approx((2 + SYNONYM_CREDIT) / 3)


def test_a_claim_phrase_gets_its_synonyms(tiny_wordnet: Lexicon):
    plain = "Demoski wanted to confess quickly"
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, set(), lexicon=tiny_wordnet)
    assert ("own",) not in {s for u in parsed.units for s in u.syns}  # "own up" minus "up"
    assert {u.text: u.syns for u in parsed.units}["confess"] == ()


def test_a_rare_sense_does_not_match_an_unrelated_word(tiny_wordnet: Lexicon):
    # "bank" as a slope is a rare sense of "bank"; "pig" for a policeman a rare one of "pig":
    # neither side's rare sense links the words, in either direction.
    for claim, sentence in [("rangers reached the bank", "rangers reached the slope"),
                            ("rangers met the pig", "rangers met the cop"),
                            ("rangers met the cop", "rangers met the pig")]:
        assert _coverage(claim, sentence, tiny_wordnet) == pytest.approx(
            _coverage(claim, sentence, Lexicon(None))), claim


def test_the_shipped_lexicon_loads_and_links_frequent_senses():
    lexicon = load_lexicon()
    assert lexicon, "bot/text/wordnet/lexicon.sqlite is missing: run `make wordnet`"
    assert ("call",) in lexicon.alternatives("phoned")
    assert ("killer",) in lexicon.alternatives("killed")  # a derivation
    assert not {("slope",), ("incline",)} & set(lexicon.alternatives("bank"))
    assert (LEXICON.parent / "LICENSE").read_text().startswith("WordNet Release 3.0")
    found = lexicon.inflections_many([("paid", False), ("buy", False), ("went", False)])
    assert "pay" in found[("paid", False)] and "bought" in found[("buy", False)]
    assert {"go", "gone"} <= found[("went", False)]
    persons = lexicon.person_nouns()
    assert {"actor", "singer", "spokeswoman", "lawmaker", "comedian"} <= persons
    # Given names that are also words, whose frequent senses are no person; proper nouns.
    assert not {"will", "grace", "hope", "rose", "mark", "bill", "tom", "mary"} & persons


def test_the_glosses_other_words_are_the_grammar_words_wordnet_lists_no_lemma_for(
        tmp_path: Path):
    """`gloss_words`: the lower-case words of the glosses (definitions and examples) that are
    no form of a lemma written in lower case; a capitalised word (a name) is none."""
    (tmp_path / "data.noun").write_text(
        "  1 the licence\n"
        "00000100 03 n 01 bank 0 000 | sloping land beside water; \"anyone among us, "
        "whether or not Obama's, may fish from the banks\"\n")
    for pos in ("verb", "adj", "adv"):
        (tmp_path / f"data.{pos}").write_text("")
    kinds = {"bank": False, "land": False, "water": False, "fish": False, "slope": False,
             "not": False, "us": False, "obama": True}
    # ("sloping", "banks": forms of lemmas; "or", "may", "from", "beside", "the": no lemma)
    assert gloss_words(tmp_path, kinds) == ["among", "anyone", "beside", "from", "may", "or",
                                            "the", "whether"]


def test_the_shipped_glosses_tell_grammar_words_from_names():
    grammar = load_lexicon().grammar_words()
    assert {"although", "among", "anyone", "everyone", "whether", "upon", "whoever"} <= grammar
    assert not {"obama", "boris", "sergey", "biden", "lavrov", "merkel"} & grammar
    assert Lexicon(None).grammar_words() == frozenset()


@pytest.mark.parametrize("word, verb", [("visited", True), ("met", True), ("is", True),
                                        ("paid", True), ("fears", True), ("other", False),
                                        ("way", False), ("things", False)])
def test_a_word_that_may_be_a_verb(word: str, verb: bool):
    assert load_lexicon().may_be_verb(word) is verb
    assert not Lexicon(None).may_be_verb(word)


def test_nouns_of_persons_are_their_most_frequent_senses(tmp_path: Path):
    """`person_nouns`: one-word common nouns whose most frequent noun sense is in noun.person
    (lexicographer file 18), written in lower case there."""
    lines = ["  1 licence"]
    synsets = {300: ("18", ["actor", "histrion"]), 301: ("09", ["will", "volition"]),
               302: ("18", ["Will"]), 303: ("18", ["mark"]), 304: ("10", ["mark"]),
               305: ("18", ["Tom"])}
    for offset, (lexfile, words) in synsets.items():
        lines.append(f"{offset:08d} {lexfile} n {len(words):02x} "
                     + " ".join(f"{w} 0" for w in words) + " 000 | a gloss")
    (tmp_path / "data.noun").write_text("\n".join(lines) + "\n")
    senses = {"actor": [(300, 1, 14)], "histrion": [(300, 1, 0)],
              # "will": its frequent sense is volition; the person is a proper noun, "Will"
              "will": [(301, 1, 11), (302, 2, 1)],
              "mark": [(304, 1, 20), (303, 2, 1)],  # the rare sense is the person
              "tom": [(305, 1, 0)]}
    (tmp_path / "index.sense").write_text("".join(
        f"{lemma}%1:00:00:: {offset:08d} {number} {count}\n"
        for lemma, rows in senses.items() for offset, number, count in rows))
    assert person_nouns(tmp_path, 0.1) == ["actor", "histrion"]


def test_an_irregular_form_is_the_same_word(tiny_wordnet: Lexicon):
    # No stemmer joins "bought" to "buy" or "men" to "man": such a claim word was missing from
    # a sentence that wrote it in another form (coverage 2/3 for these).
    for claim, sentence in [("Demoski bought skis", "Demoski buys skis"),
                            ("Demoski buys skis", "Demoski bought skis"),
                            ("Demoski buying skis", "Demoski bought skis"),
                            ("Rangers slew wolves", "Rangers have slain wolves"),
                            ("Rangers met the men", "Rangers met the man")]:
        assert _coverage(claim, sentence, tiny_wordnet) == pytest.approx(1.0), claim
        assert _coverage(claim, sentence, Lexicon(None)) < 1.0, claim


def test_a_concept_word_in_another_form_still_names_the_concept(tiny_wordnet: Lexicon):
    # A concept's phrases list base forms ("pay"): "pays" is the concept, "paid" was not.
    aliases = AliasTable.from_mapping({"pay": ["pay", "payment"]})
    plain, tags = clean_claim("Moscow pays Pyongyang")
    for lexicon, whole in [(tiny_wordnet, True), (Lexicon(None), False)]:
        parsed = weigh(parse_claim(plain, aliases.analyze(plain), aliases, tags,
                                   lexicon=lexicon), {}, 100)
        found = match(parsed, sentence_features("Moscow paid Pyongyang", aliases), None)
        assert (found.coverage == pytest.approx(1.0)) is whole
        # A form is matched, not searched: the words' own terms make the query.
        assert "paid" not in dict(query_terms(parsed))


def test_a_form_that_is_another_word_too_joins_nothing():
    # "found" is also a verb of its own (to found), "wound" a noun, "born" a noun (WordNet's
    # index), "leaves" the form of two words: joined, "Obama was born in Kenya" was stated by
    # "A bear in Kenya attacked Obama", and a negated "wind" disputed "soldiers were wounded".
    exceptions = {"v": {"found": ["find"], "bought": ["buy"], "born": ["bear"],
                        "wound": ["wind"]},
                  "n": {"leaves": ["leaf", "leave"], "men": ["man"]}}
    table = inflections(exceptions, {"found", "wound", "born"})
    assert table == {("buy", "v"): ["bought"], ("bought", "v"): ["buy"],
                     ("man", "n"): ["men"], ("men", "n"): ["man"]}
    # "lives" is "live" + "s" as often as the plural of "life": "She lives in Paris" was
    # stated by "Her life in Paris".
    lives = {"n": {"lives": ["life"], "feet": ["foot"]}}
    assert inflections(lives, set(), {"live"}) == {("foot", "n"): ["feet"],
                                                   ("feet", "n"): ["foot"]}
    shipped = load_lexicon().inflections_many(
        [("born", False), ("wounded", False), ("founded", False), ("basis", False),
         ("leaves", False), ("paid", False)])
    assert not shipped[("born", False)] & {"bear", "bore"}
    assert "wind" not in shipped[("wounded", False)]
    assert "find" not in shipped[("founded", False)]
    assert "base" not in shipped[("basis", False)] and not shipped[("leaves", False)]
    assert "pay" in shipped[("paid", False)]
    assert not load_lexicon().inflections_many([("life", False)])[("life", False)]


def test_a_words_forms_are_worked_out_once(tiny_wordnet_path: Path,
                                          monkeypatch: pytest.MonkeyPatch):
    # Each claim word's forms were worked out again at every lookup (+0.1 ms a claim, p50).
    lexicon = Lexicon(tiny_wordnet_path)
    first = lexicon.inflections_many([("bought", False), ("men", True)])
    monkeypatch.setattr(lexicon, "_read_forms", lambda forms: pytest.fail(f"read {forms}"))
    assert lexicon.inflections_many([("bought", False), ("men", True)]) == first
    assert first[("bought", False)] == {"buy"}
    monkeypatch.undo()
    monkeypatch.setattr(wordnet, "MEMO_FORMS", 1)  # a full memo starts over; answers stay right
    lexicon = Lexicon(tiny_wordnet_path)
    for word in ["bought", "men", "paid", "bought"]:
        assert lexicon.inflections_many([(word, False)])[(word, False)]


def test_a_words_forms_do_not_weigh_it():
    # A unit's weight comes from its own terms' document frequency, not from a form's: a
    # rare "wounded" is not made common by a common "wind" (nor is the query's boost).
    plain, tags = clean_claim("Rangers bought skis")
    parsed = parse_claim(plain, ALIASES.analyze(plain), ALIASES, tags,
                         lexicon=Lexicon(None))
    unit = next(u for u in parsed.units if u.key == "bought")
    with_form = replace(unit, alts=unit.alts | {"buy"}, forms=frozenset({"buy"}))
    df = {"bought": 3, "buy": 900}
    alone = weigh(replace(parsed, units=[unit]), df, 1000).units[0].weight
    assert weigh(replace(parsed, units=[with_form]), df, 1000).units[0].weight == alone


def test_irregular_forms_join_only_forms_of_one_word(tiny_wordnet: Lexicon):
    found = tiny_wordnet.inflections_many([("buy", False), ("saw", False), ("seen", False),
                                           ("seed", False), ("saw", True), ("men", True)])
    assert found[("buy", False)] == {"bought"}
    assert found[("saw", False)] == {"see", "seen"}
    assert found[("seen", False)] == {"see", "saw"}
    # "seed" is no "see" + "d": a suffix rule's base counts only with the word's own stem.
    assert found[("seed", False)] == frozenset()
    assert found[("saw", True)] == frozenset()  # "the saw": a noun, no verb form
    assert found[("men", True)] == {"man"}
    assert Lexicon(None).inflections_many([("buy", False)]) == {("buy", False): frozenset()}


def _meta_only(fmt: str) -> Callable[[Path], None]:
    """A lexicon file with only its meta table, of format `fmt` (no lemma table)."""
    def write(path: Path) -> None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', ?)", (fmt,))
        db.commit()
        db.close()
    return write


def _without(table: str) -> Callable[[Path], None]:
    """The shipped lexicon without one of its tables (a build cut short)."""
    def write(path: Path) -> None:
        path.write_bytes(LEXICON.read_bytes())
        db = sqlite3.connect(path)
        db.execute(f"DROP TABLE {table}")
        db.commit()
        db.close()
    return write


@pytest.mark.parametrize("damage", [
    None, lambda p: p.write_bytes(b"not a database at all" * 100), lambda p: p.write_bytes(b""),
    _meta_only("99"), _meta_only("1"), _meta_only("2"), _meta_only("3"), _meta_only("4"),
    _without("inflection"), _without("person"), _without("word"), _without("gloss"),
    lambda p: p.mkdir()])
def test_a_missing_or_damaged_lexicon_falls_back_to_no_synonyms(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, damage):
    path = tmp_path / "lexicon.sqlite"
    if damage is not None:
        damage(path)
    with caplog.at_level(logging.WARNING, logger="bot.text.wordnet"):
        lexicon = load_lexicon(path)
    assert not lexicon and lexicon.alternatives("phoned") == ()
    assert "without synonyms" in caplog.text
    assert _coverage("Demoski phoned officers", "Demoski called officers", lexicon) \
        == pytest.approx(2 / 3)


def test_a_full_memo_keeps_the_rows_the_lookup_needs(tiny_wordnet_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    # When the memo of rows overflowed, it was emptied before the answer was read from it:
    # the forms read by an earlier lookup ("phone", for "phoned") lost their rows, and "phones"
    # got no synonyms, an answer memoised for good.
    monkeypatch.setattr(wordnet, "MEMO_FORMS", 3)
    lexicon = Lexicon(tiny_wordnet_path)
    assert ("call",) in lexicon.alternatives("phoned")
    assert ("call",) in lexicon.alternatives("phones")
    assert ("call",) in lexicon.alternatives("phoning")


class _FailsOnEntry:
    """A lock whose holder finds the lexicon given up by another thread (`_db` None) on the
    way in: what a command thread sees when another one met a damaged table first."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __enter__(self) -> None:
        self.lexicon._db = None

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_lexicon_given_up_by_another_thread_is_no_crash(tiny_wordnet_path: Path):
    # The connection was checked before taking the lock, then used under it: a thread that
    # found the table damaged meanwhile (`_db = None`) made the next one raise AttributeError.
    lexicon = Lexicon(tiny_wordnet_path)
    lexicon._lock = _FailsOnEntry(lexicon)  # type: ignore[assignment]
    assert lexicon.may_be_phrase("own up") is False
    lexicon = Lexicon(tiny_wordnet_path)
    lexicon._lock = _FailsOnEntry(lexicon)  # type: ignore[assignment]
    assert lexicon.alternatives("phoned") == ()


class _ClearedAfterLook(dict):  # type: ignore[type-arg]
    """A memo another thread empties (past MEMO_FORMS) just after this one looked in it."""

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        self.clear()
        return found


def test_a_memo_emptied_by_another_thread_is_no_crash(tiny_wordnet_path: Path):
    lexicon = Lexicon(tiny_wordnet_path)
    assert ("call",) in lexicon.alternatives("phoned")
    lexicon._done = _ClearedAfterLook(lexicon._done)
    assert ("call",) in lexicon.alternatives("phoned")  # was a KeyError


def _damage_past_first_pages(path: Path) -> None:
    """The shipped table with every page from a quarter on overwritten: it opens and passes
    the checks of its first pages, and a read that reaches the damage fails."""
    damaged = bytearray(LEXICON.read_bytes())
    for at in range(len(damaged) // 4, len(damaged), 4096):
        damaged[at:at + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(damaged))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_a_refused_lexicon_leaves_no_file_open(tmp_path: Path):
    # The connection opened to check the table was dropped, not closed, when the table was
    # refused: each refusal held the file open until a garbage collection.
    path = tmp_path / "lexicon.sqlite"
    _meta_only("99")(path)

    def open_on_it() -> int:
        fds = Path("/proc/self/fd")
        return sum(1 for fd in fds.iterdir() if fd.resolve() == path.resolve())

    for _ in range(3):
        assert not Lexicon(path)
    assert open_on_it() == 0
    # A table damaged past its first pages: found out by a lookup, given up and closed.
    _damage_past_first_pages(path)
    lexicon = Lexicon(path)
    assert lexicon
    for word in "phoned called murder zebra yellow walked police testify set run".split():
        lexicon.alternatives(word)
    assert not lexicon and open_on_it() == 0


def test_synonyms_alone_never_state_a_claim(tiny_wordnet: Lexicon):
    # A sentence that holds a claim's words only as WordNet alternatives, and no word of the
    # claim itself, does not state it ("set set" was single-source on a seed sentence through
    # "put"); with one word of the claim beside the synonym it still does.
    from bot.text.stance import judge

    def stance(claim: str, sentence: str) -> str:
        plain, tags = clean_claim(claim)
        parsed = weigh(parse_claim(plain, ALIASES.analyze(plain), ALIASES, tags,
                                   lexicon=tiny_wordnet), {}, 100)
        return judge(parsed, sentence_features(sentence, ALIASES), None).stance

    assert stance("phoned phoned", "They called the rangers.") != "supports"
    assert stance("Demoski phoned rangers", "Demoski called rangers.") == "supports"


def test_a_lexicon_damaged_past_its_first_pages_is_logged_when_its_formulas_are_read(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    # The formulas ("co2") are read in one scan of the table: a damaged page made it return
    # none, silently, and the lexicon stayed in use. It is now given up and logged, as a
    # damaged row read by a lookup is.
    path = tmp_path / "lexicon.sqlite"
    _damage_past_first_pages(path)
    lexicon = Lexicon(path)
    assert lexicon
    with caplog.at_level(logging.WARNING, logger="bot.text.wordnet"):
        assert lexicon.formulas() == frozenset()
    assert "unreadable" in caplog.text and "formulas" in caplog.text
    assert not lexicon and lexicon.alternatives("phoned") == ()


def test_a_long_word_is_told_from_a_name_in_a_bounded_number_of_reads():
    # `word_kind` split the word at every position and read every part's forms: this
    # 10,000-letter word read 19,972 forms, a random one ~100,000 (~1 s, ~130 MB, kept in the
    # memo). Neither of two words run together is longer than the table's longest form: only
    # the splits that may be words are read.
    lexicon = Lexicon(LEXICON)
    word = "".join("qwertyuiopasdfghjklzxcvbnm"[(i * 7 + i // 26) % 26] for i in range(10_000))
    assert lexicon.word_kind(word) is None
    assert len(lexicon._kinds) < 500
    assert lexicon.word_kind("floodwaters") == "common"  # two words run together
    assert lexicon.word_kind("counterterrorismspecialists") == "common"
    assert lexicon.word_kind("putin") == "proper" and lexicon.word_kind("lavrov") is None
