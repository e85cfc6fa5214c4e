"""An article's title is part of each of its sentences' context (`stance.with_title`): a
sentence seldom repeats what its article is about, so a slot of the claim that only the title
names ("Both nations signed the accord" under "Norland and Valdoria sign fishing accord") is
said with context, as a previous sentence naming them would say it."""

from __future__ import annotations

from bot.text.stance import Features, with_title
from tests.conftest import ask_claim, build_claim_world


def test_the_title_joins_the_context_or_is_it():
    prev = Features(terms={"storm", "harbour"}, entities={"tarn"}, years={"2019"})
    title = Features(terms={"ferri", "norland"}, entities={"norland"}, years={"2020"})
    assert with_title(None, None) is None
    assert with_title(prev, None) is prev
    assert with_title(None, title) is title
    both = with_title(prev, title)
    assert both is not None and both.terms == {"storm", "harbour", "ferri", "norland"}
    assert both.entities == {"tarn", "norland"}
    assert both.years == {"2019"}  # only the previous sentence's dates date the sentence
    assert prev.terms == {"storm", "harbour"}  # neither side changed


ARTICLES = {
    "a.txt": "Norland and Valdoria sign fishing accord\n\nBoth nations signed the new fishing "
             "accord at the harbour on Monday.\n",
    "b.txt": "Harbour notes\n\nGrain prices at the harbour rose sharply after the dry summer.\n",
}


def test_a_slot_only_the_title_names_is_said_with_context(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "Norland and Valdoria signed the new fishing accord at the harbour")
    assert answer.verdict == "single-source"
    assert answer.evidence[0].doc_id == "a" and answer.evidence[0].stance == "supports"
    # A title names what its own article is about, not another's: b's sentence still lacks
    # Norland.
    other = ask_claim(world, "Grain prices of Norland rose sharply after the dry summer")
    assert not any(e.doc_id == "b" and e.stance == "supports" for e in other.evidence)
