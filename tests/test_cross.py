"""The claim cross-encoder (`bot.claims.cross`) and what the lookup asks it: a sentence it
finds stating the claim is support (another outlet's wording), within a small budget."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import pytest

from bot.claims import cross as cross_module
from bot.claims import lookup as lookup_module
from bot.corpus.storage import Store
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Harbour Report\n\nThe city council of Port Elm approved a new lighthouse for the "
             "northern pier.\nFishermen had asked for it for years.\n",
    "b.txt": "Coast Weekly\n\nLocal leaders in Port Elm gave the green light to a beacon tower on "
             "the north jetty.\nWork starts in spring.\n",
    "c.txt": "Valdoria Farm News\n\nGrain prices in Valdoria rose sharply after the dry summer.\n"
             "Farmers in Valdoria blamed the weather.\n",
    "d.txt": "Elm Gazette\n\nThe Port Elm council said no to a lighthouse on the northern pier "
             "in 1990.\nThe vote was close.\n",
}
CLAIM = "The Port Elm council approved a new lighthouse."


class FakeCross:
    """Says a sentence states the claim when it holds one of `stating`; records the asks."""

    states = 0.5

    def __init__(self, *stating: str) -> None:
        self.stating = stating
        self.asked: list[str] = []
        self.contexts: list[str] = []  # what was read before each sentence asked
        self.claims: list[str] = []  # what each sentence was asked to state

    def probabilities(self, claim: str, sentences: list[str],
                      contexts: list[str] | None = None, claim_tokens: int = 24) -> list[float]:
        self.asked.extend(sentences)
        self.claims.extend(claim for _ in sentences)
        self.contexts.extend(contexts or [""] * len(sentences))
        return [0.99 if any(s in sentence for s in self.stating) else 0.01
                for sentence in sentences]


@pytest.fixture
def world(settings, store, corpus):  # type: ignore[no-untyped-def]
    return build_claim_world(settings, store, corpus, ARTICLES)


def _with(monkeypatch: pytest.MonkeyPatch, fake: FakeCross | None) -> None:
    monkeypatch.setattr(lookup_module, "load_cross", lambda: fake)


def test_another_outlets_wording_found_by_the_cross_encoder_corroborates(world, monkeypatch):
    _with(monkeypatch, None)
    alone = ask_claim(world, CLAIM)
    assert alone.verdict == "single-source"  # the rules and the judge read b.txt as related
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, CLAIM)
    assert answer.verdict == "corroborated" and answer.sources == 2
    stated = [e for e in answer.evidence if e.doc_id == "b" and e.stance == "supports"]
    assert stated and stated[0].reason == "states it in other words"


def test_the_cross_encoder_saying_no_changes_nothing(world, monkeypatch):
    _with(monkeypatch, None)
    alone = ask_claim(world, CLAIM)
    _with(monkeypatch, FakeCross())
    answer = ask_claim(world, CLAIM)
    assert answer.verdict == alone.verdict
    assert [(e.sentence, e.stance) for e in answer.evidence] == \
        [(e.sentence, e.stance) for e in alone.evidence]


def test_it_is_asked_within_its_budget_one_sentence_per_document(world, monkeypatch):
    fake = FakeCross()
    _with(monkeypatch, fake)
    ask_claim(world, CLAIM)
    # `CROSS_PAIRS` at most whether they state the claim; `CROSS_PAIRS_MORE` whether they tell
    # what the one source stating it tells (`_paraphrased_support`; asked back only when they
    # do).
    by_claim = [s for s, c in zip(fake.asked, fake.claims, strict=True) if c == CLAIM]
    by_support = [s for s, c in zip(fake.asked, fake.claims, strict=True) if c != CLAIM]
    assert 0 < len(by_claim) <= lookup_module.CROSS_PAIRS
    assert len(by_support) <= lookup_module.CROSS_PAIRS_MORE
    assert all("approved a new lighthouse" in c for c in fake.claims if c != CLAIM)
    for asked in (by_claim, by_support):
        # Never about the document that states it already (one support per document counts).
        assert not any("approved a new lighthouse" in s for s in asked)
        docs = [next(d for d, t in ARTICLES.items() if s in t) for s in asked]
        assert len(docs) == len(set(docs))


def test_it_is_not_asked_once_two_sources_state_it(settings, store, corpus, monkeypatch):
    world = build_claim_world(settings, store, corpus, {
        **ARTICLES, "e.txt": "Pier News\n\nThe city council of Port Elm approved a new "
                             "lighthouse for the northern pier on Monday.\n"})
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, CLAIM)
    assert answer.verdict == "corroborated" and fake.asked == []


def test_an_article_and_its_copy_do_not_stop_it_asking_a_second_source(
        settings, store, corpus, monkeypatch):
    # e.txt is a.txt with an edited lead: one source, so b.txt's wording is still asked about.
    copy = ARTICLES["a.txt"].replace("Harbour Report", "Pier Report").replace(
        "northern pier.", "northern pier on Monday.") + (
        "The new lighthouse will guide the fishing boats home at night.\n"
        "The old lamp on the harbour wall will be kept for the tourists.\n")
    original = ARTICLES["a.txt"] + ("The new lighthouse will guide the fishing boats home at "
                                    "night.\nThe old lamp on the harbour wall will be kept for "
                                    "the tourists.\n")
    world = build_claim_world(settings, store, corpus, {
        **ARTICLES, "a.txt": original, "e.txt": copy})
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, CLAIM)
    assert any("beacon tower" in s for s in fake.asked), fake.asked
    assert answer.verdict == "corroborated" and answer.sources == 2, answer


def test_a_copy_the_cross_encoder_confirms_does_not_crowd_out_a_second_source(tmp_path):
    # A states it; C (a copy of A with an edited lead) is asked first, B (independent) second:
    # both are confirmed, and B is kept, as A and C are one source.
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    shared = ["The new lighthouse will guide the fishing boats home at night.",
              "The old lamp on the harbour wall will be kept for the tourists."]
    docs = {"A": ["The harbour opened a beacon tower on the northern pier last week.", *shared],
            "C": ["A beacon tower now stands on the northern pier, officials said.", *shared],
            "B": ["Fishermen welcomed the tall beacon tower built on the northern pier.",
                  "Other news of the town council followed in a long meeting on Friday."]}
    store, rows = store_of_documents(tmp_path / "x.db", docs)
    judged = [(Judgement("supports", 1.0), rows["A"])]
    may_state = [(0.9, rows["C"]["id"], rows["C"]), (0.8, rows["B"]["id"], rows["B"])]
    lookup_module._cross_support(lookup_module.Copies(store), FakeCross("beacon tower"), CLAIM,  # type: ignore[arg-type]
                                 may_state, judged, [rows["C"], rows["B"]])
    assert [r["doc_id"] for j, r in judged if j.stance == "supports"] == ["A", "C", "B"]



@pytest.mark.parametrize(("stating", "asked"), [
    ("beacon tower", ["B", "C"]),  # the first batch makes two sources: no more is asked
    ("lamp on the quay", ["B", "C", "D", "E"]),  # only the fourth document's wording states it
])
def test_it_reads_its_budget_batch_after_batch_until_two_sources_state_it(
        tmp_path: Path, stating: str, asked: list[str]) -> None:
    # `CROSS_PAIRS` (4) candidates, `CROSS_BATCH` (2) side by side: a wording in the third or
    # fourth document is read (2 pairs a round until 2026-12-07 never reached it), and none
    # after two sources state the claim.
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    assert (lookup_module.CROSS_PAIRS, lookup_module.CROSS_BATCH) == (4, 2)
    docs = {"A": ["The council approved a new lighthouse for the northern pier."],
            "B": ["Leaders gave the green light to a beacon tower on the north jetty."],
            "C": ["Fishermen said the harbour needs more light at night."],
            "D": ["The old pier will be repaired next year, officials said."],
            "E": ["A tall lamp on the quay was approved by the town's council."],
            "F": ["Tourists visit the harbour in summer."]}
    store, rows = store_of_documents(tmp_path / "x.db", docs)
    judged = [(Judgement("supports", 1.0), rows["A"])]
    may_state = [(0.9 - k / 10, rows[d]["id"], rows[d]) for k, d in enumerate("BCDEF")]
    fake = FakeCross(stating)
    lookup_module._cross_support(lookup_module.Copies(store), fake, CLAIM,  # type: ignore[arg-type]
                                 may_state, judged, [rows[d] for d in "BCDEF"])
    assert [next(d for d in docs if docs[d][0] == s) for s in fake.asked] == asked
    supporting = [r["doc_id"] for j, r in judged if j.stance == "supports"]
    assert supporting == ["A", "B" if stating == "beacon tower" else "E"]


class LeaningCross:
    """Gives each sentence the probability of the first of `read` (text: probability) it
    holds, 0.01 for any other, with the shipped model's cut; records the asks."""

    states = 0.73

    def __init__(self, read: dict[str, float]) -> None:
        self.read = read
        self.asked: list[str] = []

    def probabilities(self, claim: str, sentences: list[str],
                      contexts: list[str] | None = None, claim_tokens: int = 24) -> list[float]:
        self.asked.extend(sentences)
        return [next((p for t, p in self.read.items() if t in s), 0.01) for s in sentences]


@pytest.mark.parametrize(("judge_b", "read_b", "weak", "second"), [
    (0.2, 0.6, False, "B"),  # the judge (0.1 on) and the cross-encoder (0.5 on) both lean
    (0.2, 0.6, True, None),  # the one source a long post's reverse coverage: no anchor
    (0.05, 0.6, False, None),  # the judge under `SECOND_SOURCE`
    (0.2, 0.4, False, None),  # the cross-encoder under `SECOND_SOURCE_LEANING`
])
def test_a_candidate_both_readers_lean_to_is_a_second_source(
        tmp_path: Path, judge_b: float, read_b: float, weak: bool, second: str | None) -> None:
    # Each reader alone is under its cut (the judge's `states`, the cross-encoder's 0.73):
    # "Their ties, which date back to the Soviet Union's efforts to install a communist
    # government in North Korea" (judge 0.135, cross-encoder 0.72) was no second source for
    # "The bond between Moscow and Pyongyang goes back to the communist era", stated by
    # another outlet. C, read alike, is one the judge finds unlikely. Never the first source.
    from bot.claims.lookup import SECOND_SOURCE_REASON
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    docs = {"A": ["The council approved a new lighthouse for the northern pier."],
            "B": ["Leaders gave the green light to a beacon tower on the north jetty."],
            "C": ["A tall lamp on the quay was approved by the town's council."]}
    store, rows = store_of_documents(tmp_path / "x.db", docs)
    fake = LeaningCross({"beacon tower": read_b, "lamp on the quay": 0.6})
    judged = [(Judgement("supports", 0.5), rows["A"])]
    may_state = [(judge_b, rows["B"]["id"], rows["B"]), (0.05, rows["C"]["id"], rows["C"])]
    lookup_module._cross_support(lookup_module.Copies(store), fake, CLAIM,  # type: ignore[arg-type]
                                 may_state, judged, [rows["B"], rows["C"]],
                                 weak={rows["A"]["id"]} if weak else frozenset())
    supporting = [(r["doc_id"], j.reason) for j, r in judged if j.stance == "supports"]
    assert supporting == [("A", None)] + ([(second, SECOND_SOURCE_REASON)] if second else [])
    assert fake.asked == [docs["B"][0], docs["C"][0]]
    judged = []
    lookup_module._cross_support(lookup_module.Copies(store), fake, CLAIM,  # type: ignore[arg-type]
                                 may_state, judged, [rows["B"], rows["C"]])
    assert judged == []


def test_a_long_posts_support_the_cross_encoder_confirmed_anchors_a_second_source(
        tmp_path: Path) -> None:
    # Read from reverse coverage, A's sentence is no anchor by itself; once the cross-encoder
    # finds it stating the claim, it is one.
    from bot.claims.lookup import SECOND_SOURCE_REASON
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    docs = {"A": ["The council approved a new lighthouse for the northern pier."],
            "B": ["Leaders gave the green light to a beacon tower on the north jetty."]}
    store, rows = store_of_documents(tmp_path / "x.db", docs)
    fake = LeaningCross({"new lighthouse": 0.9, "beacon tower": 0.6})
    judged = [(Judgement("mentions", 0.2), rows["A"])]
    may_state = [(0.2, rows["A"]["id"], rows["A"]), (0.2, rows["B"]["id"], rows["B"])]
    lookup_module._cross_support(lookup_module.Copies(store), fake, CLAIM,  # type: ignore[arg-type]
                                 may_state, judged, [rows["B"]], weak={rows["A"]["id"]})
    assert [(r["doc_id"], j.reason) for j, r in judged if j.stance == "supports"] == [
        ("A", "states it in other words"), ("B", SECOND_SOURCE_REASON)]


class PairCross:
    """States a (claim, sentence) pair when the claim holds `first` and the sentence `second`
    of one of `pairs`; records each pair asked."""

    states = 0.5

    def __init__(self, *pairs: tuple[str, str]) -> None:
        self.pairs = pairs
        self.asked: list[tuple[str, str]] = []
        self.claim_tokens: list[int] = []  # each call's budget for what is in the claim's place

    def probabilities(self, claim: str, sentences: list[str],
                      contexts: list[str] | None = None, claim_tokens: int = 24) -> list[float]:
        self.asked.extend((claim, s) for s in sentences)
        self.claim_tokens.append(claim_tokens)
        return [0.99 if any(a in claim and b in s for a, b in self.pairs) else 0.01
                for s in sentences]


# A states the claim; B tells what A tells in other words; C is a copy of A (an edited lead).
PARAPHRASED = {
    "A": ["The council approved a new lighthouse for the northern pier on Monday.",
          "The new lighthouse will guide the fishing boats home at night.",
          "The old lamp on the harbour wall will be kept for the tourists."],
    "C": ["On Monday the council approved a new lighthouse for the northern pier.",
          "The new lighthouse will guide the fishing boats home at night.",
          "The old lamp on the harbour wall will be kept for the tourists."],
    "B": ["Local leaders gave the green light to a beacon tower on the north jetty.",
          "Work on the jetty starts in the spring, the harbour master said."],
}


def _paraphrase_world(tmp_path: Path):  # type: ignore[no-untyped-def]
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    store, rows = store_of_documents(tmp_path / "p.db", PARAPHRASED)
    judged = [(Judgement("supports", 0.9), rows["A"])]
    may_state = [(0.2, rows["C"]["id"], rows["C"]), (0.1, rows["B"]["id"], rows["B"])]
    return store, rows, judged, may_state


def test_another_outlets_paraphrase_of_the_supporting_sentence_is_a_second_source(tmp_path):
    # Each states the other (the cross-encoder asked both ways): B tells what A tells, so it
    # states the claim A states. C, a copy of A, is not asked: it is no second source.
    store, rows, judged, may_state = _paraphrase_world(tmp_path)
    fake = PairCross(("lighthouse", "beacon tower"), ("beacon tower", "lighthouse"))
    unrelated = [rows["C"], rows["B"]]
    made = lookup_module._paraphrased_support(
        lookup_module.Copies(store), fake, may_state, judged, unrelated)  # type: ignore[arg-type]
    assert made == (rows["B"]["id"], rows["A"]["id"])
    assert [r["doc_id"] for j, r in judged if j.stance == "supports"] == ["A", "B"]
    assert judged[-1][0].reason == lookup_module.PARAPHRASE_REASON
    assert unrelated == [rows["C"]]
    assert fake.asked == [(rows["A"]["text"], rows["B"]["text"]),
                          (rows["B"]["text"], rows["A"]["text"])]
    # Each sentence read whole in the claim's place, not by a claim's 24 tokens.
    assert fake.claim_tokens == [cross_module.SENTENCE_AS_CLAIM_TOKENS] * 2


def test_a_sentence_the_supporting_one_states_but_not_the_other_way_is_no_second_source(
        tmp_path):
    # A sentence telling more than B (the supporting one) "states" B one way only: B may tell
    # only A's other part. Nor is anything asked once two sources state it.
    store, rows, judged, may_state = _paraphrase_world(tmp_path)
    one_way = PairCross(("lighthouse", "beacon tower"))
    lookup_module._paraphrased_support(lookup_module.Copies(store), one_way,  # type: ignore[arg-type]
                                       may_state, judged, [rows["C"], rows["B"]])
    assert [r["doc_id"] for j, r in judged if j.stance == "supports"] == ["A"]
    assert len(one_way.asked) == 2  # asked back, refused
    both = PairCross(("lighthouse", "beacon tower"), ("beacon tower", "lighthouse"))
    from bot.text.stance import Judgement

    two = [*judged, (Judgement("supports", 0.8), rows["B"])]
    lookup_module._paraphrased_support(lookup_module.Copies(store), both,  # type: ignore[arg-type]
                                       may_state, two, [rows["C"]])
    assert both.asked == []



def test_a_paraphrase_supports_only_while_what_it_paraphrases_does():
    # The sentence it paraphrases read again as telling the event the other way round (a
    # dispute): the paraphrase, which that reading may not find in other words, goes with it.
    # From the second read of the change.
    from bot.text.stance import Judgement

    a, b, c = ({"id": i, "doc_id": d, "text": d} for i, d in enumerate("ABC", start=1))
    paraphrase = Judgement("supports", 0.9, lookup_module.PARAPHRASE_REASON)
    kept = [(Judgement("supports", 1.0), a), (paraphrase, b), (Judgement("supports", 0.8), c)]
    assert lookup_module._paraphrase_with_its_source(kept, 2, 1) == kept
    reversed_ = [(Judgement("disputes", 1.0, lookup_module.ROLES_REVERSED, conflict=True), a),
                 (paraphrase, b), (Judgement("supports", 0.8), c)]
    out = lookup_module._paraphrase_with_its_source(reversed_, 2, 1)
    assert [j.stance for j, _ in out] == ["disputes", "mentions", "supports"]

@pytest.mark.xfail(strict=True, reason="the shipped cross-encoder reads shared wording, not "
                   "what differs: 'voted to sell the old lighthouse' and 'approved a new "
                   "lighthouse' state each other at 0.97 both ways, read whole or by their "
                   "leads (as 'arrested'/'released', 'rose'/'fell'); see README, 'A paraphrase'")
def test_two_sentences_sharing_only_a_long_lead_are_no_paraphrase(tmp_path):
    # With the shipped cross-encoder: each sentence in the claim's place is read whole, not by
    # a claim's 24 tokens, which here are the lead alone ("voted to sell the old lighthouse"
    # passed both ways, 0.97, as a paraphrase of "approved a new lighthouse"). From the second
    # read of the change. Reading them whole did not change the model's answer: it fails.
    from bot.text.stance import Judgement
    from tests.conftest import store_of_documents

    reader = cross_module.load_cross()
    if reader is None:
        pytest.skip("no cross-encoder")
    lead = ("The Port Elm town council, which met on Monday night in the old customs house on "
            "the harbour front for the first time since the storm, ")
    states, other = lead + "approved a new lighthouse for the northern pier.", \
        lead + "voted to sell the old lighthouse on the northern pier."
    assert len(reader.tokenizer.encode(lead, add_special_tokens=False).ids) \
        > cross_module.CLAIM_TOKENS
    store, rows = store_of_documents(tmp_path / "p.db", {"A": [states], "B": [other]})
    judged = [(Judgement("supports", 0.9), rows["A"])]
    lookup_module._paraphrased_support(lookup_module.Copies(store), reader,
                                       [(0.2, rows["B"]["id"], rows["B"])], judged, [rows["B"]])
    assert [r["doc_id"] for j, r in judged if j.stance == "supports"] == ["A"], judged

def test_a_lookup_reads_each_supporting_documents_sentences_once(
        settings, store, corpus, monkeypatch):
    # The copy merges before the cross-encoder's count and for the verdict share one reader.
    world = build_claim_world(settings, store, corpus, {
        **ARTICLES, "e.txt": "Pier News\n\nThe city council of Port Elm approved a new "
                             "lighthouse for the northern pier on Monday.\n"})
    read: list[str] = []
    original = Store.body_keys_of

    def counting(self, doc_ids):  # type: ignore[no-untyped-def]
        doc_ids = list(doc_ids)
        read.extend(doc_ids)
        return original(self, doc_ids)

    monkeypatch.setattr(Store, "body_keys_of", counting)
    _with(monkeypatch, FakeCross("beacon tower"))
    ask_claim(world, CLAIM)
    assert read and len(read) == len(set(read)), read


def test_a_conflicting_value_or_a_negated_claim_is_never_support(world, monkeypatch):
    # The cross-encoder may be fooled by the wording; the rules' conflicts and the claim's
    # polarity still stand: a sentence giving another year is not asked about, nor is any
    # sentence when the claim is negated.
    fake = FakeCross("lighthouse", "beacon tower")
    _with(monkeypatch, fake)
    ask_claim(world, "The Port Elm council approved a lighthouse on the northern pier in 2021.")
    assert not any("1990" in s for s in fake.asked)
    fake.asked.clear()
    answer = ask_claim(world, "The Port Elm council did not approve a new lighthouse.")
    assert fake.asked == [] and answer.verdict != "corroborated"


def test_a_sentence_naming_the_claims_actors_only_in_its_context_is_read_with_it(
        settings, store, corpus, monkeypatch):
    # "Its council gave the green light to a beacon tower": whose (Port Elm's) is said by the
    # previous sentence of the paragraph. Alone the sentence misses a name of the claim and
    # was never asked about; now it is, with that sentence read before it.
    world = build_claim_world(settings, store, corpus, {
        "a.txt": ARTICLES["a.txt"],
        "b.txt": "Coast Weekly\n\nStorms wrecked three boats off Port Elm this winter. Its "
                 "council gave the green light to a beacon tower on the north jetty.\n"})
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, CLAIM)
    at = fake.asked.index("Its council gave the green light to a beacon tower on the north "
                          "jetty.")
    assert fake.contexts[at] == "Storms wrecked three boats off Port Elm this winter."
    assert answer.verdict == "corroborated" and answer.sources == 2
    # A sentence that names them itself is read alone (a sentence naming none, "The vote was
    # close.", may be asked with its context, as above, when the judge's floor lets it).
    fake = FakeCross()
    _with(monkeypatch, fake)
    ask_claim(build_claim_world(settings, store, corpus, ARTICLES), CLAIM)
    named = "Local leaders in Port Elm gave the green light to a beacon tower on the north jetty."
    assert named in fake.asked and fake.contexts[fake.asked.index(named)] == ""


def test_the_shipped_model_reads_the_context_before_the_sentence():
    model = cross_module.CrossEncoder(cache_size=0)
    claim = "Valdoria and Ostrava have both been hit by heavy floods."
    sentence = "Both towns have suffered heavy flooding this spring, fostering a climate of fear."
    context = "Valdoria and Ostrava lie on the same river."
    alone, read = model.probability(claim, sentence), model.probability(claim, sentence, context)
    assert alone < model.states <= read
    # The context is cut from its start: the sentence itself is read whole.
    ids, types = model._ids(claim, sentence, "word " * 500 + context)
    assert len(ids) <= cross_module.MAX_TOKENS
    own = model.tokenizer.encode(sentence, add_special_tokens=False).ids
    assert ids[-len(own) - 1:-1] == own and len(types) == len(ids)
    # A long sentence with its context: the pair stays within the training length, the
    # sentence first (it was cut to 128 tokens, then the context added: 152).
    long_sentence = "Both towns have suffered heavy flooding " + "this spring " * 80
    ids, types = model._ids(claim, long_sentence, context)
    assert len(ids) == cross_module.MAX_TOKENS and len(types) == len(ids)
    a = model.tokenizer.encode(claim, add_special_tokens=False).ids
    own = model.tokenizer.encode(long_sentence, add_special_tokens=False).ids
    assert ids[len(a) + 2:-1] == own[:cross_module.MAX_TOKENS - 3 - len(a)]


def test_a_long_sentence_is_read_to_its_end():
    # What states the claim comes after a long preamble: read on 48 tokens it was cut off.
    model = cross_module.CrossEncoder(cache_size=0)
    claim = "The company cut 300 jobs at its Ohio plant."
    sentence = ("On a grey Tuesday morning, in a short statement read out to reporters gathered "
                "outside the headquarters by a spokeswoman who took no questions afterwards, the "
                "firm said it had eliminated 300 positions at its factory in Ohio.")
    ids, _ = model._ids(claim, sentence)
    assert ids[-2] == model.tokenizer.encode("Ohio.", add_special_tokens=False).ids[-1]
    assert len(ids) <= cross_module.MAX_TOKENS == 128  # the training length
    # The end changes what it reads (on 48 tokens, it stopped at "the firm said it had").
    cut = sentence.split(" the firm said")[0]
    assert model.probability(claim, sentence) != model.probability(claim, cut)


def test_the_shipped_model_reads_wording_and_values():
    model = cross_module.load_cross()
    assert model is not None and 0 < model.states < 1
    claim = "The company cut 300 jobs at its Ohio plant."
    same = "The firm eliminated 300 positions at its factory in Ohio, a spokeswoman said."
    other_number = "The firm eliminated 30 positions at its factory in Ohio, a spokeswoman said."
    unrelated = "Shares of the company rose 4 percent on Tuesday after strong earnings."
    p_same = model.probability(claim, same)
    assert p_same > model.probability(claim, other_number)
    assert p_same > model.probability(claim, unrelated)
    assert model.probability(claim, unrelated) < model.states
    assert model.probability(claim, same) == p_same  # cached, and deterministic
    # Side by side, each pair alone: the same probabilities as one by one.
    fresh = cross_module.CrossEncoder(cache_size=0)
    assert fresh.probabilities(claim, [same, other_number, unrelated]) == [
        fresh.probability(claim, s) for s in (same, other_number, unrelated)]


def test_a_pair_is_read_once_until_the_cache_is_cleared(monkeypatch):
    # (the speed bench clears it, so that the same claims are new again at each corpus size)
    model = cross_module.CrossEncoder()
    real = model._run
    runs: list[str] = []

    def run(claim: str, sentence: str, context: str = "", claim_tokens: int = 24) -> float:
        runs.append(sentence)
        return real(claim, sentence, context)

    monkeypatch.setattr(model, "_run", run)
    claim, sentence = "Port Elm approved a lighthouse.", "Port Elm's council approved it."
    p = model.probability(claim, sentence)
    assert model.probability(claim, sentence) == p and runs == [sentence]
    model.cache_clear()
    assert model.probability(claim, sentence) == p and runs == [sentence, sentence]


def test_the_first_pair_is_read_on_the_callers_thread(monkeypatch):
    # The others beside it on the pool's: one thread fewer to wake per lookup.
    model = cross_module.CrossEncoder(cache_size=0)
    real = model._run
    threads: dict[str, threading.Thread] = {}

    def run(claim: str, sentence: str, context: str = "", claim_tokens: int = 24) -> float:
        threads[sentence] = threading.current_thread()
        return real(claim, sentence, context)

    monkeypatch.setattr(model, "_run", run)
    claim, first, second = "Port Elm approved a lighthouse.", "A lighthouse.", "Grain rose."
    assert model.probabilities(claim, [first, second]) == [real(claim, first),
                                                           real(claim, second)]
    assert threads[first] is threading.current_thread()
    assert threads[second] is not threading.current_thread()


def test_a_missing_or_damaged_model_is_logged_and_lookups_go_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, world, monkeypatch):
    broken = tmp_path / "cross"
    shutil.copytree(cross_module.MODEL_DIR, broken)
    (broken / "model.onnx").write_bytes(b"\x00not a model")
    with caplog.at_level(logging.ERROR, logger="bot.claims.cross"):
        assert cross_module.load_cross(tmp_path / "missing") is None
        assert cross_module.load_cross(broken) is None
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.claims.cross"]
    assert len(lines) == 2 and "judged without it" in lines[0]
    _with(monkeypatch, None)
    assert ask_claim(world, CLAIM).verdict == "single-source"


@pytest.mark.parametrize("claim,sentence", [
    ("word " * 400, "other " * 5000),  # both far over the model's length: cut, not refused
    ("a lone surrogate \udcff here", "and \ud800 there"),  # no UTF-8 string holds these
    ("Putin visited Pyongyang.", ""),
    ("\u202e\x1b[31m", "\x00\x00"),
])
def test_any_text_gives_a_probability(claim: str, sentence: str):
    model = cross_module.load_cross()
    assert model is not None
    assert 0.0 <= model.probability(claim, sentence) <= 1.0


def test_the_setting_switches_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     settings, store, corpus):
    from bot.config import load_settings
    from bot.errors import UserError

    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[search]\n", encoding="utf-8")
    assert load_settings(cfg).cross_encoder is True  # on by default
    cfg.write_text("[search]\ncross_encoder = false\n", encoding="utf-8")
    assert load_settings(cfg).cross_encoder is False
    cfg.write_text("[search]\ncross_encoder = \"maybe\"\n", encoding="utf-8")
    with pytest.raises(UserError, match="cross_encoder"):
        load_settings(cfg)
    cfg.write_text("[search]\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_CROSS_ENCODER", " Off ")
    assert load_settings(cfg).cross_encoder is False
    monkeypatch.setenv("BRIEFBOT_CROSS_ENCODER", "maybe")
    with pytest.raises(UserError, match=r"BRIEFBOT_CROSS_ENCODER: 'maybe' must be one of"):
        load_settings(cfg)
    # Off, the lookup never asks it (the chat core and the CLI pass the setting).
    from bot.core import Core

    build_claim_world(settings, store, corpus, ARTICLES)
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    settings.cross_encoder = False
    reply = Core(settings).claim_reply(CLAIM)
    assert fake.asked == [] and "('Verdict', 'Single source" in repr(reply.blocks)
    settings.cross_encoder = True
    reply = Core(settings).claim_reply(CLAIM)
    assert fake.asked and "('Verdict', 'Corroborated" in repr(reply.blocks)


def test_it_is_not_asked_about_a_candidate_the_judge_finds_too_unlikely():
    # Below the judge's `cross_floor` (its probability under which the cross-encoder passed
    # under 1% of what it read on the training lookups) a candidate is not worth a run; each
    # shipped judge has its own.
    from bot.claims.judge import WEIGHTS, WEIGHTS_FULL, load_judge

    for weights in (WEIGHTS_FULL, WEIGHTS):
        judge = load_judge(weights)
        assert judge is not None and 0 < judge.cross_floor < 0.05
    floor = 0.002
    rows = {d: {"id": i, "doc_id": d, "key": None, "text": f"sentence of {d}"}
            for i, d in enumerate("abc", start=1)}
    fake = FakeCross("sentence of")
    judged: list = []
    unrelated = [rows["a"], rows["c"]]
    may_state = [(floor * 0.9, 1, rows["a"]), (0.4, 3, rows["c"])]
    lookup_module._cross_support(None, fake, CLAIM, may_state, judged, unrelated,  # type: ignore[arg-type]
                                 floor)
    assert fake.asked == ["sentence of c"]
    assert [row["doc_id"] for _, row in judged] == ["c"] and unrelated == [rows["a"]]
    fake.asked.clear()
    lookup_module._cross_support(None, fake, CLAIM, [(floor, 2, rows["b"])], [],  # type: ignore[arg-type]
                                 [rows["b"]], floor)
    assert fake.asked == ["sentence of b"]  # at the floor: asked
    fake.asked.clear()
    lookup_module._cross_support(None, fake, CLAIM, may_state, [], [rows["a"], rows["c"]])  # type: ignore[arg-type]
    assert fake.asked == ["sentence of c", "sentence of a"]  # no floor (0): as before


def test_make_judges_floor_fit_records_what_the_lookup_asks():
    # `make judge` runs tests/bench/fit_cross_floor.py after each fit: its recording of the
    # pairs the lookup asks must take the reader's arguments as the lookup passes them (it
    # took (claim, sentences) and failed with a TypeError once contexts were passed too).
    from tests.bench.fit_cross_floor import recording_support

    rows = {d: {"id": i, "doc_id": d, "key": None, "text": f"sentence of {d}"}
            for i, d in enumerate("abc", start=1)}
    out: list = [("claim-1", [])]
    recording = recording_support(out, lookup_module._cross_support)
    fake = FakeCross("sentence of c")
    judged: list = []
    may_state = [(0.001, 1, rows["a"]), (0.4, 3, rows["c"])]
    recording(None, fake, CLAIM, may_state, judged, [rows["a"], rows["c"]], 0.5,
              {3: "The council met."})
    # Asked as without a floor, with the context the lookup gives, both recorded.
    assert fake.asked == ["sentence of c", "sentence of a"]
    assert fake.contexts == ["The council met.", ""]
    assert out == [("claim-1", [(0.4, 0.99), (0.001, 0.01)])]
    assert [row["doc_id"] for j, row in judged if j.stance == "supports"] == ["c"]


def test_make_judges_floor_fit_records_through_a_real_lookup(world, monkeypatch):
    # The same recording, called by the lookup itself: a recorder taking fewer arguments
    # than the lookup passes (three were added after the test above was written) made
    # `make cross-model` and `make judge` fail with a TypeError at their floor fit.
    from tests.bench.fit_cross_floor import recording_support

    out: list = [("claim-1", [])]
    monkeypatch.setattr(lookup_module, "_cross_support",
                        recording_support(out, lookup_module._cross_support))
    _with(monkeypatch, FakeCross("beacon tower"))
    answer = ask_claim(world, CLAIM)
    assert answer.verdict == "corroborated" and answer.sources == 2
    assert out[0][0] == "claim-1" and (max(p for _, p in out[0][1]) == 0.99), out


PLACE_ARTICLES = {
    "a.txt": "Flood Report\n\nHeavy rain fell across Kenya this week.\n\n"
             "Officials said the river burst its banks on Tuesday.\n"
             "The floods destroyed 300 homes, the Red Cross said.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
    "c.txt": "Storm Desk\n\nThe floods destroyed 300 homes, officials said.\n\n"
             "Rescue teams reached Tanzania on Friday.\n",
    "d.txt": "Court Notes\n\nHeavy rain fell across Kenya all week.\n\n"
             "The floods destroyed 300 homes in Port Elm, the mayor said.\n",
}


def test_a_sentence_lacking_only_where_an_earlier_sentence_said_it_happened_is_asked_about(
        settings, store, corpus, monkeypatch):
    # Kenya is a slot "The floods destroyed 300 homes" lacks (neither the previous sentence of
    # its paragraph nor the title names it). Named earlier in the article, it is known to the
    # reader: the cross-encoder is asked about the sentence, after those saying every slot
    # themselves and alone (no context: given one, it took the claim's words from it).
    # Before, it was never asked: not-found.
    world = build_claim_world(settings, store, corpus, PLACE_ARTICLES)
    fake = FakeCross("destroyed 300 homes")
    _with(monkeypatch, fake)
    answer = ask_claim(world, "Floods destroyed 300 homes in Kenya.")
    assert (answer.verdict, answer.sources) == ("single-source", 1), answer
    assert [(e.doc_id, e.stance) for e in answer.evidence[:1]] == [("a", "supports")]
    assert fake.asked == ["The floods destroyed 300 homes, the Red Cross said."]
    assert fake.contexts == [""]
    # Named only after the sentence (c.txt), or by a sentence naming a place of its own
    # (d.txt: Port Elm), the place is not said: nothing else is asked about.
    fake.asked.clear()
    answer = ask_claim(world, "Floods destroyed 300 homes in Tanzania.")
    assert answer.verdict == "not-found" and fake.asked == [], (answer, fake.asked)


# "South Korea" left unsaid by a sentence on floods: before, (earlier) "North Korea" named
# earlier in the article said where, the words of a known place's name ("korea") taken for the
# place (an exploratory tester's "Sergei Shoigu visited South Korea in July", single-source by
# his visit to North Korea); (itself) with Seoul named earlier, a sentence naming North Korea
# left it unsaid ("While North Korea has a longstanding defense treaty with China" stated
# "China has long been South Korea's key ally").
KOREA_FLOODS = {
    "earlier": "Flood Report\n\nHeavy rain fell across North Korea this week.\n\n"
               "Officials said the river burst its banks on Tuesday.\n"
               "The floods destroyed 300 homes, the Red Cross said.\n",
    "itself": "Storm Desk\n\nEnvoys met in Seoul on Monday.\n\n"
              "North Korea's floods destroyed 300 homes, the Red Cross said.\n",
}


@pytest.mark.parametrize("where", sorted(KOREA_FLOODS))
def test_a_place_is_said_by_its_names_not_by_a_word_of_another_places(
        settings, store, corpus, monkeypatch, where):
    world = build_claim_world(settings, store, corpus, {
        "a.txt": KOREA_FLOODS[where],
        "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
    })
    fake = FakeCross("destroyed 300 homes")
    _with(monkeypatch, fake)
    answer = ask_claim(world, "Floods destroyed 300 homes in South Korea.")
    assert answer.verdict == "not-found" and fake.asked == [], (answer, fake.asked)
    if where == "earlier":  # North Korea, by any of its names, is said there
        for claim in ("Floods destroyed 300 homes in North Korea.",
                      "Floods destroyed 300 homes in the country ruled from Pyongyang."):
            fake.asked.clear()
            answer = ask_claim(world, claim)
            assert answer.verdict == "single-source" and fake.asked == [
                "The floods destroyed 300 homes, the Red Cross said."], (claim, answer)


# A wording that lacks a name of the claim: the rules cannot find every slot said; the
# cross-encoder reads it ("an American flag" for "the Stars and Stripes"), but only for a
# second source. Never when it lacks a place or country the shipped tables know (another
# country reads as the same words: the swaps), or whom the claim is about.
DESIGNED = {**ARTICLES, "a.txt": ARTICLES["a.txt"].replace(
    "a new lighthouse", "a new lighthouse designed by Ada Brill")}
DESIGNED_CLAIM = "The Port Elm council approved a new lighthouse designed by Ada Brill."


def test_make_judges_floor_fit_records_the_later_rounds_too(settings, store, corpus, monkeypatch):
    # The lookup's second round asks about a sentence lacking only a place an earlier
    # sentence of its article names: the recorder must know the judge's probability of it
    # too (it knew the first round's alone, and the floor fit failed with a KeyError).
    from tests.bench.fit_cross_floor import recording_support

    world = build_claim_world(settings, store, corpus, PLACE_ARTICLES)
    out: list = [("claim-1", [])]
    monkeypatch.setattr(lookup_module, "_cross_support",
                        recording_support(out, lookup_module._cross_support))
    _with(monkeypatch, FakeCross("destroyed 300 homes"))
    answer = ask_claim(world, "Floods destroyed 300 homes in Kenya.")
    assert (answer.verdict, answer.sources) == ("single-source", 1), answer
    assert [q for _, q in out[0][1]] == [0.99], out


def test_a_second_wording_lacking_only_a_name_no_table_knows_is_asked_about(
        settings, store, corpus, monkeypatch):
    world = build_claim_world(settings, store, corpus, DESIGNED)
    _with(monkeypatch, None)
    assert ask_claim(world, DESIGNED_CLAIM).verdict == "single-source"
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, DESIGNED_CLAIM)
    assert any("beacon tower" in s for s in fake.asked), fake.asked
    assert answer.verdict == "corroborated" and answer.sources == 2, answer
    stated = [e for e in answer.evidence if e.doc_id == "b" and e.stance == "supports"]
    assert stated and stated[0].reason == "states it in other words"


def test_a_wording_lacking_a_name_is_never_the_first_source(settings, store, corpus,
                                                            monkeypatch):
    # a.txt, which states it, is gone: b.txt lacks the designer's name, which e.txt (on
    # something else) keeps known to the corpus. (Both the round's "exactly one source" and
    # its `_second_independent` filter keep it from a first source.)
    world = build_claim_world(settings, store, corpus, {
        **{k: v for k, v in DESIGNED.items() if k != "a.txt"},
        "e.txt": "Museum Notes\n\nAda Brill designed the new town museum on Elm Street.\n"})
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, DESIGNED_CLAIM)
    assert not any("beacon tower" in s for s in fake.asked), fake.asked
    assert answer.verdict not in ("corroborated", "single-source"), answer


@pytest.mark.parametrize(("written", "claim", "jetty"), [
    # (b.txt names another country, North Korea: not the claim's left unsaid, another account)
    ("a new lighthouse paid for by South Korea",
     "The Port Elm council approved a new lighthouse paid for by South Korea.",
     "north jetty, paid for by North Korea"),
    # (a place no table knows, after "in": a where)
    ("a new lighthouse in Dunmore Cove",
     "The Port Elm council approved a new lighthouse in Dunmore Cove.",
     "north jetty in Gallow Bay"),
    ("a new lighthouse, Ada Brill said,",
     "Ada Brill said the Port Elm council approved a new lighthouse.", "north jetty"),
])
def test_a_wording_lacking_a_place_or_the_actor_is_not_asked_about(
        settings, store, corpus, monkeypatch, written, claim, jetty):
    world = build_claim_world(settings, store, corpus, {
        **ARTICLES, "a.txt": ARTICLES["a.txt"].replace("a new lighthouse", written),
        "b.txt": ARTICLES["b.txt"].replace("north jetty", jetty)})
    fake = FakeCross("beacon tower")
    _with(monkeypatch, fake)
    answer = ask_claim(world, claim)
    assert not any("beacon tower" in s for s in fake.asked), fake.asked
    assert answer.verdict != "corroborated", answer
