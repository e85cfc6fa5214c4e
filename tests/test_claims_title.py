"""An article's title is part of each of its sentences' context (`stance.with_title`): a
sentence seldom repeats what its article is about, so a slot of the claim that only the title
names ("Both nations signed the accord" under "Norland and Valdoria sign fishing accord") is
said with context, as a previous sentence naming them would say it. Where it happened, named by
an earlier sentence of the article, lets the cross-encoder read a sentence that lacks it
(tests/test_cross.py); not for a sentence naming a place of its own."""

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


def test_a_sentence_naming_a_place_of_its_own_says_where_itself():
    # "arraigned in Fairbanks" (a town the place tables do not hold) is not read as happening
    # in the Anchorage an earlier sentence named; a month or weekday after "in" is no place.
    from pathlib import Path

    from bot.claims.lookup import _features, _says_where
    from bot.text.aliases import load_aliases
    from bot.text.stance import parse_claim

    aliases = load_aliases(Path("config/aliases.toml"))
    text = "Demoski was to be arraigned in Anchorage on Sunday."
    claim = parse_claim(text, aliases.analyze(text), aliases, set())
    for sentence, says in (("His son was to be arraigned in Fairbanks on Sunday.", True),
                           ("His son was to be arraigned at the Nulato Court.", True),
                           ("His son was to be arraigned in Nairobi.", True),
                           ("His son was to be arraigned in February, on Sunday.", False),
                           ("His son was to be arraigned in Anchorage.", False),
                           ("His son was to be arraigned on Sunday.", False)):
        assert _says_where(sentence, _features(sentence, aliases), claim) is says, sentence
