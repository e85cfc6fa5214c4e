"""Claim lookup: stance/verdict rules on tiny corpora, aliases, hostile input, JSON contract,
the index's life cycle, and the dev set (plus our own held-out-style claims) with the bars."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.claims.lookup import CLOSEST_REASON, answer_to_reply, lookup_claim
from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import EmptyCorpus, UserError
from bot.reply import Fields
from bot.search.index import read_pointer, refresh_index
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import clean_claim, is_hedged
from tests.conftest import ask_claim, build_claim_world

ROOT = Path(__file__).resolve().parent.parent
DEV = Path("/work/shared/eval/claims_dev.jsonl")
EXTRA = Path(__file__).parent / "data" / "claims_extra.jsonl"
KEYS = {"claim", "verdict", "sources", "evidence", "note"}
EV_KEYS = {"sentence", "doc_id", "title", "source", "published", "outlets", "stance", "hedged",
           "score", "also_in", "also_in_capped"}

# A small world: a summit, a denial, a number, a syndicated sentence, chrome.
ARTICLES = {
    "a_wire.txt": """Ministers Sign Fishing Accord

VALDORIA, March 3 (Wirecast) – Valdoria and Norland signed a fishing accord in Port Elm on Tuesday, the first such deal in 15 years.
The accord caps the annual catch at 40,000 tonnes.
Norland denied that its trawlers had entered Valdorian waters illegally.

Share this article
""",
    "b_paper.txt": """Fishing Deal Reached

Valdoria and Norland signed a fishing accord in Port Elm on Tuesday, the first such deal in 15 years.
Fishermen in Valdoria welcomed the agreement, which was reached after months of talks.
The accord caps the annual catch at 40,000 tonnes.
""",
    "c_blog.txt": """Why the fishing accord matters

Valdorian officials accused Norland's trawlers of entering Valdorian waters illegally.
Analysts say the deal could reportedly ease tensions between the two neighbours.
Observers noted that the signing ceremony was held in Port Elm in March.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def ask(world: tuple[Store, Settings], claim: str):
    return ask_claim(world, claim)


# ---------------------------------------------------------------------------- verdict rules

def test_corroborated_counts_independent_documents(world):
    a = ask(world, "Valdoria and Norland signed a fishing accord in Port Elm.")
    assert a.verdict == "corroborated"
    assert a.sources == 2
    assert all(e.stance != "disputes" for e in a.evidence)


def test_syndicated_sentence_counts_once(world):
    # "The accord caps the annual catch at 40,000 tonnes." is verbatim in two articles.
    a = ask(world, "The accord caps the yearly catch at 40000 tonnes.")
    assert a.verdict == "single-source"
    assert a.sources == 1
    texts = [e.sentence for e in a.evidence]
    assert len(texts) == len(set(texts))


def test_the_json_names_every_document_holding_a_sentence(world):
    # Chat cites both articles of the syndicated sentence; the JSON named only the first, so
    # a program reading it could not see that the second holds it too.
    a = ask(world, "The accord caps the yearly catch at 40000 tonnes.")
    shared = [e for e in a.to_dict()["evidence"] if "40,000 tonnes" in e["sentence"]]
    assert len(shared) == 1
    docs = [shared[0]["doc_id"], *shared[0]["also_in"]]
    assert len(docs) == 2 and len(set(docs)) == 2, shared
    others = [e for e in a.to_dict()["evidence"] if "40,000 tonnes" not in e["sentence"]]
    assert all(e["also_in"] == [] for e in others)


def test_a_closest_sentence_names_every_document_holding_it_too(world):
    # Shown as a closest match (or filling the list), a syndicated sentence named one document
    # and `also_in` was [] though both hold it: its copy was skipped, not named (an
    # exploratory session's; the judged evidence named its copies already).
    for claim in ("The accord bans bottom trawling for ten years",
                  "The accord doubles the annual catch of herring in Port Elm"):
        a = ask(world, claim).to_dict()
        shared = [e for e in a["evidence"] if e["sentence"].startswith("The accord caps")]
        assert shared, (claim, a)
        for e in shared:
            docs = [e["doc_id"], *e["also_in"]]
            assert sorted(docs) == ["a_wire", "b_paper"], (claim, e)


def test_wrong_number_is_contradicted(world):
    a = ask(world, "The accord caps the annual catch at 90,000 tonnes.")
    assert a.verdict == "contradicted"
    assert a.evidence and a.evidence[0].stance == "disputes"


def test_wrong_year_count_is_contradicted(world):
    assert ask(world, "It was the first fishing deal in 3 years.").verdict == "contradicted"


def test_wrong_month_is_contradicted(world):
    assert ask(world, "The signing ceremony was held in Port Elm in July.").verdict == "contradicted"


@pytest.mark.parametrize("claim", [
    "According to the NYT, fishermen welcomed the agreement reached after months of talks.",
    "The signing ceremony was held in Port Elm in March, according to the BBC.",
    # after a label or a question: the outlet was read as a rival actor ("contradicted")
    "BREAKING: According to the NYT, fishermen welcomed the agreement reached after months "
    "of talks.",
    "Is it true that according to the NYT, fishermen welcomed the agreement reached after "
    "months of talks?",
])
def test_the_outlet_a_claim_cites_is_not_required_nor_a_rival(world, claim):
    # The citing outlet used to be a name slot of the claim: missing from every sentence, it
    # vetoed support (not-found), or the sentence's other names read as another actor for the
    # same event (contradicted).
    assert ask(world, claim).verdict in ("single-source", "corroborated")


def test_may_after_a_date_word_is_a_month(world):
    # "May" is also a verb (a stop word): it used to be no month in a claim at all, so the
    # March sentence stated "... in May". The verb stays a verb.
    a = ask(world, "The signing ceremony was held in Port Elm in May.")
    assert a.verdict == "contradicted" and "March rather than May" in a.evidence[0].reason
    assert ask(world, "The signing ceremony may have been held in Port Elm.").verdict != \
        "contradicted"


@pytest.mark.parametrize("claim", [
    "the signing ceremony was held in port elm in july.",
    "the signing ceremony was held in port elm in may.",
    "THE SIGNING CEREMONY WAS HELD IN PORT ELM IN JULY.",
    "The Signing Ceremony Was Held In Port Elm In July By The UN.",
])
def test_a_month_typed_in_lower_case_is_a_month(world, claim):
    # A claim with no case of its own (as chat users type, or shouted): its month names are
    # months, as any writer of dates capitalises them ("july" was a plain word, so the March
    # sentence was no other account of the date; the claim came back single-source).
    a = ask(world, claim)
    assert a.verdict == "contradicted", a
    assert "March rather than" in a.evidence[0].reason, a


@pytest.mark.parametrize("claim", [
    "Valdoria and Norland signed a fishing accord in Vladivostok.",
    "Valdoria and Norland signed a fishing accord in Canada.",
    "The signing ceremony was held in Accra.",
])
def test_a_place_typed_in_lower_case_is_the_place(world, claim):
    # A city or country matched only capitalised was a word of what happened when typed in
    # lower case: the accord "signed in vladivostok" was corroborated by the sentences on
    # Port Elm.
    cased, lower = ask(world, claim), ask(world, claim.lower())
    assert (lower.verdict, lower.sources) == (cased.verdict, cased.sources), lower
    assert lower.verdict != "corroborated"


def test_may_typed_in_lower_case_stays_a_verb_where_no_date_is_told(world):
    assert ask(world, "the signing ceremony may have been held in port elm.").verdict != \
        "contradicted"


@pytest.mark.parametrize("quoted", ['"{}"', "\u201c{}\u201d", "\u00ab{}\u00bb"])
@pytest.mark.parametrize("claim", ["The signing ceremony was held in Port Elm in July.",
                                   "The accord caps the annual catch at 40,000 tonnes."])
def test_a_claim_pasted_within_quotation_marks_is_the_claim(world, claim, quoted):
    # The marks around the whole claim are no part of it: the answer is the claim's own (the
    # quoted form was read as a quotation: 26 of 230 story claims answered otherwise).
    plain, marked = ask(world, claim), ask(world, quoted.format(claim))
    assert (marked.verdict, marked.sources) == (plain.verdict, plain.sources)
    assert [e.sentence for e in marked.evidence] == [e.sentence for e in plain.evidence]
    assert marked.claim == quoted.format(claim)  # the answer shows what was asked


@pytest.mark.parametrize("form", [
    "Reportedly, {}", "Allegedly, {}", "{}, sources say.", "{}, officials said", "@briefbot {}",
    "@ann, @bob: {}", "BREAKING: Reportedly, {}",
])
def test_who_is_said_to_hold_a_claim_or_whom_it_is_addressed_to_is_no_part_of_it(world, form):
    claim = "The signing ceremony was held in Port Elm in July."
    # An opening hedge, an unnamed sayer and whom a message is addressed to say nothing of
    # what happened: the claim is answered as written plainly (they were required words, or
    # the claim's first word, and 65 of 230 story claims ending ", sources say" changed).
    plain, said = ask(world, claim), ask(world, form.format(claim.rstrip(".")))
    assert (said.verdict, said.sources) == (plain.verdict, plain.sources), said


@pytest.mark.parametrize("form", ["{} #FishWatch2024", "{} #FishWatch", "{} #Fishing #Valdoria"])
def test_a_hashtag_after_a_name_is_no_part_of_the_name(world, form):
    # "... in Port Elm #FishWatch2024" read as "in Port Elm Fish Watch2024": one name, made a
    # required slot no sentence says, so the claim was not found. A hashtag's words are their
    # own unit, weighed down as hashtag words are.
    claim = "Valdoria and Norland signed a fishing accord in Port Elm"
    plain, tagged = ask(world, claim), ask(world, form.format(claim))
    assert plain.verdict == "corroborated"
    assert (tagged.verdict, tagged.sources) == (plain.verdict, plain.sources), tagged


@pytest.mark.parametrize("form", ["@briefbot @ann {}", "{} #zzqx", "@zzqx: {} #qqzz"])
@pytest.mark.parametrize("claim", [
    "Valdoria and Norland signed a fishing accord capping the annual catch at 50,000 tonnes",
    "The signing ceremony was held in Port Elm in July",
])
def test_hashtag_and_mention_words_no_document_uses_change_nothing(world, claim, form):
    # They match no sentence: they only took coverage from every candidate, made the claim
    # one unit longer and moved its embedding (the 50,000-tonne claim, contested by one
    # source and supported by two, came back contradicted with "#zzqx" after it).
    plain, tagged = ask(world, claim), ask(world, form.format(claim))
    assert (tagged.verdict, tagged.sources) == (plain.verdict, plain.sources), tagged
    assert [e.sentence for e in tagged.evidence] == [e.sentence for e in plain.evidence]


@pytest.mark.parametrize(("text", "read"), [
    ("Reportedly, Putin visited Pyongyang.", "Putin visited Pyongyang."),
    ("ALLEGEDLY, Putin visited Pyongyang.", "Putin visited Pyongyang."),
    ("Putin visited Pyongyang, sources say.", "Putin visited Pyongyang."),
    ("Putin visited Pyongyang, officials said", "Putin visited Pyongyang"),
    ("Putin said sources say nothing.", "Putin said sources say nothing."),  # not a tail
])
def test_an_opening_hedge_and_an_unnamed_sayer_go(text, read):
    assert clean_claim(text)[0] == read


def test_whom_a_claim_is_addressed_to_is_kept_for_retrieval_after_it():
    text, tags = clean_claim("@AVittadini Don't be fooled, this is her clothing line!")
    assert text.startswith("Don't be fooled") and text.endswith("A Vittadini")
    assert {"vittadini"} <= tags
    # a mention that is the claim's subject stays where it is
    assert clean_claim("@KimJongUn visited Moscow")[0] == "Kim Jong Un visited Moscow"
    # In a message typed all in lower case no capital tells: a leading mention is whom it is
    # addressed to (the 230 story dev claims lower-cased and so addressed: 21 answers
    # differed from the lower-cased claim's, now none).
    assert clean_claim("@briefbot putin visited pyongyang") == (
        "putin visited pyongyang — briefbot", {"briefbot"})
    assert clean_claim("@briefbot: Putin visited")[0] == "Putin visited — briefbot"


@pytest.mark.parametrize("text", ['"Putin" said "no"', 'Putin called it a "breakthrough"',
                                  "'Russia's army is short of soldiers'", '""', '"'])
def test_quotation_marks_that_quote_within_a_claim_stay(text):
    assert clean_claim(text)[0] == text


def test_denial_makes_contested(world):
    a = ask(world, "Norland's trawlers entered Valdorian waters illegally.")
    assert a.verdict == "contested"
    assert any(e.stance == "disputes" for e in a.evidence)


def test_claim_of_denial_is_supported_by_the_denial(world):
    a = ask(world, "Norland denied that its trawlers entered Valdorian waters.")
    assert a.verdict in ("single-source", "corroborated")


def only_closest(evidence) -> bool:
    """A not-found answer shows at most the 3 closest sentences, none confirming the claim."""
    return len(evidence) <= 3 and all(e.stance == "mentions" and e.reason == CLOSEST_REASON
                                      for e in evidence)


def test_unrelated_claim_is_not_found_with_only_the_closest_sentences(world):
    for claim in ("The central bank raised interest rates by half a point.",
                  "Share this article", "Elon Musk visited Port Elm."):
        a = ask(world, claim)
        assert a.verdict == "not-found", claim
        assert only_closest(a.evidence), claim
        assert "Share this" not in " ".join(e.sentence for e in a.evidence)  # chrome never
    # The closest sentences are those nearest to the claim: the signing in Port Elm first.
    a = ask(world, "Elon Musk visited Port Elm.")
    assert a.evidence and "Port Elm" in a.evidence[0].sentence
    assert "none of them confirms it" in a.to_dict()["note"]  # said in the JSON too


def test_words_that_claim_nothing_are_not_found(world):
    """Grammar words and a bare name state nothing: no verdict from incidental matches."""
    for claim in ("not", "said", "AND OR NOT", "Norland", "never, nobody said"):
        a = ask(world, claim)
        assert a.verdict == "not-found" and a.evidence == [], claim
    assert ask(world, "Norland signed an accord").verdict in ("single-source", "corroborated")


def test_hedges_are_flagged(world):
    a = ask(world, "The deal could ease tensions between the two neighbours.")
    assert a.verdict == "single-source"
    assert a.evidence[0].hedged


@pytest.mark.parametrize("sentence,hedged", [
    ("Putin reportedly paid Kim.", True), ("Analysts suggest it could change.", True),
    ("According to officials, the deal is done.", True), ("“It is over,” Lukin said.", True),
    ("The leaders signed the treaty in June.", False),
    # A short quoted phrase is not attribution unless a verb attributes it; a long quotation is.
    ("Thousands lined the streets, waving flags and chanting “Welcome Putin.”", False),
    ("The pact was nicknamed the “iron deal” in Valdoria.", False),
    ("“We stand together,” Kim declared.", True),
    ("Lukin wrote: “Never again.”", True),
    ("“The accord changes the balance of power in the whole region” was the verdict.", True),
])
def test_is_hedged(sentence, hedged):
    assert is_hedged(sentence) is hedged


def test_alternatives_grouped_by_first_letter_match_the_same_texts():
    import re

    from bot.text.stance import _by_first_letter

    words = r"says?|said|seems?|reports? (?:say|said)\w*|rumou?rs?|may|might|according to"
    assert _by_first_letter("ab|cd|ae") == "a(?:b|e)|c(?:d)"
    plain = re.compile(rf"\b(?:{words})\b", re.I)
    grouped = re.compile(rf"\b(?:{_by_first_letter(words)})\b", re.I)
    texts = ["He says so", "SAID", "it seem", "Reports saying", "report say", "rumours", "Rumor",
             "mayor", "Might", "according  to", "According to", "saidx", "ſaid", "x-may-y", ""]
    assert [bool(plain.search(t)) for t in texts] == [bool(grouped.search(t)) for t in texts]
    with pytest.raises(ValueError):
        _by_first_letter("s?ay")


# ---------------------------------------------------------------------------- aliases

def test_aliases_find_paraphrases(tmp_path, settings, store, corpus):
    (corpus / "x.txt").write_text(
        "Talks\n\nMoscow sent 2,000 soldiers to the border, officials in Seoul said.\n"
        "Pyongyang welcomed the 20 percent rise in trade.\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    a = lookup_claim(store, "Russia deployed 2000 troops to the border, South Korea says.",
                     index_path=settings.index_path, aliases_path=settings.aliases_path)
    assert a.verdict == "single-source", a
    a = lookup_claim(store, "North Korea welcomed a 20% rise in trade.",
                     index_path=settings.index_path, aliases_path=settings.aliases_path)
    assert a.verdict == "single-source"


def test_aliases_are_case_aware_for_acronyms():
    table = AliasTable.from_mapping({"un": ["UN"], "russia": ["Russia", "Kremlin"]})
    assert table.analyze("Kim Jong Un spoke").concepts == []
    assert [c[2] for c in table.analyze("The UN and the Kremlin's chief").concepts] == ["un", "russia"]


def test_admin_can_extend_aliases(tmp_path, settings, store, corpus):
    (corpus / "x.txt").write_text("Title\n\nThe Zorblax council approved the budget.\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    claim = "The Gleep council approved the budget."
    assert lookup_claim(store, claim, index_path=settings.index_path,
                        aliases_path=settings.aliases_path).verdict != "single-source"
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('[concepts]\nzorblax = ["Zorblax", "Gleep"]\n', encoding="utf-8")
    a = lookup_claim(store, claim, index_path=settings.index_path, aliases_path=aliases)
    assert a.verdict == "single-source"


# ---------------------------------------------------------------------------- index life cycle

def test_the_long_lived_state_is_frozen_once_an_index_has_served_a_lookup(
        world, corpus, monkeypatch):
    # Python's full collections no longer walk the index and models: once an index's first
    # lookup has loaded them, the next one collects once and freezes what is alive
    # (gc.freeze), and not again until another index (after a reload) has served one.
    import gc

    from bot.claims import lookup as lookup_module

    collections: list[int] = []
    real = gc.collect

    def counting_collect(*a: object) -> int:
        collections.append(1)
        return real()

    monkeypatch.setattr(gc, "collect", counting_collect)
    monkeypatch.setattr(lookup_module, "_served", [None, None], raising=False)
    gc.unfreeze()
    try:
        claim = "Valdoria and Norland signed a fishing accord."
        ask_claim(world, claim)
        assert gc.get_freeze_count() == 0 and not collections
        ask_claim(world, claim)
        frozen = gc.get_freeze_count()
        assert frozen > 1000 and len(collections) == 1
        ask_claim(world, claim)
        assert len(collections) == 1
        (corpus / "d.txt").write_text("Late News\n\nNorland recalled its envoy from Port Elm."
                                      "\n", encoding="utf-8")
        store, settings = world
        reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
            s, settings.index_path, load_aliases(settings.aliases_path)))
        ask_claim(world, claim)
        assert len(collections) == 1
        ask_claim(world, claim)
        assert len(collections) == 2 and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_a_settled_process_collects_its_youngest_generation_seldom(world, monkeypatch):
    # Once settled, a lookup's own objects (its candidates' features: over a thousand) no
    # longer set off collections of the youngest generation: its threshold is raised from
    # Python's 700 to SETTLED_YOUNG; a higher one, or 0 (collection off), is kept.
    import gc

    from bot.claims import lookup as lookup_module

    claim = "Valdoria and Norland signed a fishing accord."
    before = gc.get_threshold()
    try:
        for asked in (700, 50_000, 0):
            monkeypatch.setattr(lookup_module, "_served", [None, None], raising=False)
            gc.set_threshold(asked, 10, 10)
            ask_claim(world, claim)
            assert gc.get_threshold() == (asked, 10, 10)  # not settled yet
            ask_claim(world, claim)
            young, *older = gc.get_threshold()
            assert older == [10, 10]
            assert young == (asked if asked in (0, 50_000) else 10_000)
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_stale_index_is_rebuilt_and_switch_is_atomic(world, corpus):
    store, settings = world
    before = read_pointer(settings.index_path)
    assert before is not None and before.generation == store.generation
    (corpus / "d_new.txt").write_text("New\n\nThe Zebra Treaty was signed in Quarto.\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])  # no after_commit: as if killed before the refresh
    stale = read_pointer(settings.index_path)
    assert stale is not None and stale.generation < store.generation
    a = ask(world, "The Zebra Treaty was signed in Quarto.")
    assert a.verdict == "single-source"
    after = read_pointer(settings.index_path)
    assert after is not None
    assert after.generation == store.generation and after.folder != before.folder
    builds = [p.name for p in settings.index_path.glob("gen-*")]
    assert after.folder in builds and len(builds) <= 2
    assert not list(settings.index_path.glob(".CURRENT.*"))


def test_retired_documents_leave_the_index(world, corpus):
    store, settings = world
    assert ask(world, "Fishermen in Valdoria welcomed the agreement.").verdict == "single-source"
    os.remove(corpus / "b_paper.txt")
    reload_corpus(store, settings, [corpus])
    assert ask(world, "Fishermen in Valdoria welcomed the agreement.").verdict == "not-found"


# ---------------------------------------------------------------------------- hostile input

HOSTILE = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(st.sampled_from(['"', "NEAR", "*", ":", "(", ")", "AND", "OR", "NOT", "'", ";",
                              "DROP TABLE sentences;--", "🔥", "\x00", "\x1b[31m", "^", "~2",
                              "fishing", "accord", "Valdoria", "{", "}", "[", "]", "\\", "-"]),
             min_size=1, max_size=30).map(" ".join),
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE)
def test_hostile_claims_never_crash(world, text):
    try:
        a = ask(world, text)
    except UserError:
        return
    assert a.verdict in ("corroborated", "single-source", "contested", "contradicted", "not-found")
    json.dumps(a.to_dict())


def test_long_claim_is_a_user_error(world):
    with pytest.raises(UserError, match="too long"):
        ask(world, "fishing " * 1250)


def test_empty_corpus(settings, store):
    with pytest.raises(EmptyCorpus):
        lookup_claim(store, "anything", index_path=settings.index_path)
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", "anything"])
    assert r.exit_code == 1
    assert "the corpus is empty — run `briefbot reload`" in r.output


# ---------------------------------------------------------------------------- CLI and contract

@pytest.fixture
def cli_db(tmp_path, corpus):
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "cli.db")
    r = CliRunner().invoke(cli, ["--db", db, "reload", str(corpus)])
    assert r.exit_code == 0, r.output
    return db


def test_json_contract(cli_db):
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "--json", "--limit", "2",
                                 "Valdoria and Norland signed a fishing accord."])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.output)
    assert set(obj) == KEYS
    assert obj["verdict"] == "corroborated" and obj["sources"] == 2
    assert 1 <= len(obj["evidence"]) <= 2
    for ev in obj["evidence"]:
        assert set(ev) == EV_KEYS
        assert ev["stance"] in ("supports", "disputes", "mentions")
        assert isinstance(ev["hedged"], bool) and isinstance(ev["score"], float)
    scores = [ev["score"] for ev in obj["evidence"]]
    assert scores == sorted(scores, reverse=True)


def test_stdin_json_lines_with_error_objects(cli_db):
    lines = ["Valdoria and Norland signed a fishing accord.", "", "x" * 5000,
             'NEAR("fishing" * accord:)', "The moon is made of cheese."]
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-", "--json"], input="\n".join(lines) + "\n")
    assert r.exit_code == 0, r.output
    out = [json.loads(line) for line in r.output.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["verdict"] == "corroborated"
    assert "error" in out[1] and "empty" in out[1]["error"]
    assert "error" in out[2] and "too long" in out[2]["error"]
    assert out[3]["verdict"] is not None
    assert out[4]["verdict"] == "not-found" and len(out[4]["evidence"]) <= 3
    assert all(e["stance"] == "mentions" for e in out[4]["evidence"])


LATIN1_LINES = (b"Valdoria and Norland signed a fishing accord.\n"
                b"Kim met Putin in the caf\xe9\n"
                b"The moon is made of cheese.\n")


def test_stdin_line_not_valid_utf8_is_an_error_record(cli_db):
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-", "--json"], input=LATIN1_LINES)
    assert r.exception is None, r.output
    out = [json.loads(line) for line in r.output.splitlines()]
    assert len(out) == 3
    assert out[0]["verdict"] == "corroborated"
    assert out[1]["verdict"] is None and out[1]["claim"] == "Kim met Putin in the caf\\xe9"
    assert "line 2: not valid utf-8 text (byte 0xe9 at byte 25" in out[1]["error"]
    assert out[2]["verdict"] == "not-found"


def test_stdin_line_not_valid_utf8_in_text_output_exits_1(cli_db):
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-"], input=LATIN1_LINES)
    assert r.exit_code == 1 and not isinstance(r.exception, UnicodeDecodeError), r.output
    assert r.output.count("ERROR: line 2: not valid utf-8 text") == 1
    assert r.output.startswith("CORROBORATED") and "NOT-FOUND" in r.output


def test_human_output_shows_verdict_source_and_hedge(cli_db):
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "The deal could ease tensions."])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("SINGLE-SOURCE")
    assert "hedged" in r.output


def test_answer_to_reply(world):
    reply = answer_to_reply(ask(world, "Valdoria and Norland signed a fishing accord."))
    text = reply.plain_text()
    assert "Corroborated" in text
    assert len(reply.sources) >= 2
    assert re.search(r"\[1\]", text)
    # Platform-neutral: the verdict is a field, no inline Markdown for adapters to show raw.
    assert ("Verdict", "Corroborated") in [i for b in reply.blocks if isinstance(b, Fields)
                                           for i in b.items]
    assert "**" not in text


# ---------------------------------------------------------------------------- gold sets

def _score(path: Path, tmp_path: Path) -> tuple[float, float, int]:
    gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = str(tmp_path / "seeds.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "reload", str(ROOT / "seeds")]).exit_code == 0
    r = runner.invoke(cli, ["--db", db, "claim", "--json", "-"],
                      input="\n".join(g["claim"] for g in gold) + "\n")
    answers = [json.loads(line) for line in r.output.splitlines()]
    assert len(answers) == len(gold)
    boiler = [b.strip().lower() for b in
              (ROOT / "tests" / "data" / "boilerplate.txt").read_text().splitlines() if b.strip()]

    def norm(s: str) -> str:
        s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
        return re.sub(r"\s+", " ", s).strip().lower()

    hits = total = right = leaks = 0
    for g, a in zip(gold, answers, strict=True):
        ev = [norm(e["sentence"]) for e in a["evidence"][:5]]
        leaks += sum(any(b in e for b in boiler) for e in ev)
        for _, phrase in g["evidence"]:
            total += 1
            hits += any(norm(phrase) in e for e in ev)
        right += a["verdict"] in g["verdicts"]
    return hits / max(total, 1), right / len(gold), leaks


@pytest.mark.skipif(not DEV.is_file(), reason="shared dev set not available")
def test_dev_set_meets_the_bars(tmp_path):
    recall, accuracy, leaks = _score(DEV, tmp_path)
    assert recall >= 0.90 and accuracy >= 0.85 and leaks == 0, (recall, accuracy, leaks)


def test_extra_heldout_style_claims(tmp_path):
    recall, accuracy, leaks = _score(EXTRA, tmp_path)
    assert recall >= 0.90 and accuracy >= 0.85 and leaks == 0, (recall, accuracy, leaks)


# ---------------------------------------------------------------------------- same quantity

QUANTITIES = {
    "q_trade.txt": """Valdoria Trade Figures

About 30% of Valdoria's fish exports go to Norland, customs data show.
Officials said 60% of the fleet was idle during the storms.
""",
    "q_talks.txt": """Envoys Meet

The Valdorian envoy visited Norland's capital amid accusations that Valdorian trawlers fished in Norland's reserve, which Valdoria denied.
""",
}


@pytest.fixture
def quantities(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    for name, text in QUANTITIES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, load_aliases(settings.aliases_path)))
    return store, settings


def test_another_number_for_the_same_quantity_contradicts(quantities):
    a = ask(quantities, "Norland takes 45 percent of Valdoria's fish exports.")
    assert a.verdict == "contradicted"
    assert "30" in (a.evidence[0].reason or "")


def test_another_number_for_another_quantity_does_not_contradict(quantities):
    # "20 percent of ... timber" and "60% of the fleet" / "30% of fish exports" count
    # different things: a different number there says nothing about the claim.
    for claim in ("Valdoria received 20 percent of Norland's timber.",
                  "Norland holds 20 percent of Valdoria's debt."):
        a = ask(quantities, claim)
        assert a.verdict == "not-found", (claim, a.verdict, [e.sentence for e in a.evidence])
        assert all(e.stance != "disputes" for e in a.evidence)


def test_a_denial_denies_what_it_names(quantities):
    # "… amid accusations that P, which X denied": P is denied, not the visit.
    a = ask(quantities, "The Valdorian envoy visited Norland.")
    assert a.verdict == "single-source", (a.verdict, a.note)
    a = ask(quantities, "Valdorian trawlers fished in Norland's reserve.")
    assert a.verdict == "contested"


def test_stdin_batch_survives_a_database_error_on_one_line(world, monkeypatch):
    import sqlite3

    import bot.cli.claims as cli_claims

    store, settings = world
    real = cli_claims._lookup
    calls = []

    def flaky(app, text, limit):
        calls.append(text)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database is locked")
        return real(app, text, limit)

    monkeypatch.setattr(cli_claims, "_lookup", flaky)
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", "-", "--json"],
                             input="Norland signed an accord\nsecond claim here\nthird one now\n")
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert len(lines) == 3 and "database is locked" in lines[1]["note"]
    assert lines[0]["verdict"] and lines[2]["verdict"]


# ---------------------------------------------------------------------------- multiword aliases

PLEDGE = {
    "pledge.txt": """Defense Pledge Signed

Russia and North Korea signed a mutual defense pledge in Pyongyang on Wednesday.
Analysts in Tokyo called the agreement a turning point.
""",
}


@pytest.fixture
def pledge(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, PLEDGE)


def test_one_word_of_a_multiword_name_does_not_name_it(pledge):
    # "Korea" of "North Korea" is not "South Korea": nothing states this claim.
    a = ask_claim(pledge, "Russia pledged to attack South Korea.")
    assert a.verdict == "not-found", [(e.stance, e.sentence) for e in a.evidence]
    assert ask_claim(pledge, "Russia pledged to defend North Korea.").verdict == "single-source"


def test_paraphrases_of_promising_each_other(pledge):
    # "promised"/"vowed" ≈ "pledge", "each other"/"one another" ≈ "mutual" (config/aliases.toml)
    for claim in ("Russia and North Korea promised each other protection.",
                  "Russia and North Korea vowed to protect one another."):
        a = ask_claim(pledge, claim)
        assert a.verdict == "single-source", (claim, a.verdict, a.note)
        assert a.evidence[0].sentence.startswith("Russia and North Korea signed")


# ---------------------------------------------------------------------------- names and context

NAMES = {
    "visit.txt": """Envoy in Port Elm

Valdoria and Norland signed a fishing accord in Port Elm in March.
The Valdorian envoy arrived in Port Elm for a three-day visit on Tuesday. The envoy then accused Korvia and Estmark of raising tensions in the strait.
""",
}


@pytest.fixture
def names(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, NAMES)


def test_names_alone_do_not_state_what_happened(names):
    # Every name and the month are there; what happened (invading) is not.
    a = ask_claim(names, "Valdoria invaded Norland in March.")
    assert a.verdict == "not-found", [(e.stance, e.sentence) for e in a.evidence]
    assert ask_claim(names, "Valdoria and Norland signed an accord in March.").verdict \
        == "single-source"


def test_context_completes_a_sentence_but_never_carries_it(names):
    # The visit is in the previous sentence; the sentence itself only names Korvia.
    a = ask_claim(names, "The Valdorian envoy visited Korvia.")
    assert all(e.stance != "supports" for e in a.evidence), [(e.stance, e.sentence)
                                                              for e in a.evidence]
    assert a.verdict != "single-source"


def test_stdin_lines_of_invisible_characters_are_empty_claims_with_their_line(cli_db):
    # A line of zero-width spaces was refused with the one-claim message (naming
    # `briefbot claim "…"`) and no line number, unlike a blank line beside it.
    lines = "\u200b\u200b\n   \nPutin visited North Korea\n\u200d\u2060\n"
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-", "--json"], input=lines)
    out = [json.loads(line) for line in r.output.splitlines()]
    assert [o.get("error") for o in out] == ["line 1: empty claim", "line 2: empty claim", None,
                                         "line 4: empty claim"], out
    assert out[2]["verdict"] is not None
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-"], input=lines)
    assert r.exit_code == 1 and "ERROR: line 4: empty claim" in r.output, r.output


def test_stdin_in_utf16_is_reported_line_by_line_and_a_utf8_bom_is_dropped(cli_db):
    # The second reader's cases: UTF-16 lines after the first were answered as garbage
    # ("U k r a i n e" -> not-found, an empty claim of NUL bytes); a UTF-8 byte-order mark
    # became part of the first claim.
    utf16 = "Putin visited North Korea\nUkraine grain\n".encode("utf-16")
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-", "--json"], input=utf16)
    out = [json.loads(line) for line in r.output.splitlines()]
    assert out and all(o["verdict"] is None and "UTF-16" in o["error"] for o in out), out
    bom = b"\xef\xbb\xbfPutin visited North Korea\n"
    r = CliRunner().invoke(cli, ["--db", cli_db, "claim", "-", "--json"], input=bom)
    answer = json.loads(r.output)
    assert answer["claim"] == "Putin visited North Korea" and answer["verdict"] is not None
