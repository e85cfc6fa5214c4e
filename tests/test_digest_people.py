"""Who's who lists people: a name the texts use as a place's (after the article or a
preposition of place) more often than as a person's is not listed."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import whos_who
from tests.conftest import whos_who_items

TOWN = [
    ("The Port Elm city council voted on Tuesday to approve a new bridge across the harbour. "
     "Mayor Ann Lindqvist said construction would start next spring."),
    ("The Port Elm council approved the bridge across the harbour on Tuesday. "
     "Residents of the Old Port said they would go to court."),
    ("Councillors in Port Elm backed the harbour bridge on Tuesday. "
     "Engineers expect the work to take four years, Lindqvist said."),
]


def test_a_place_of_the_town_is_not_in_whos_who(store: Store, settings: Settings,
                                                  corpus: Path) -> None:
    names = [i.text.split(",")[0] for i in whos_who_items(store, settings, corpus, [
        {"id": f"a{k}", "title": f"Bridge {k}", "outlet": f"Outlet {k}", "text": text}
        for k, text in enumerate(TOWN)])]
    assert names == ["Ann Lindqvist"], names


def test_place_uses_outweigh_person_uses_over_the_texts() -> None:
    people = whos_who([
        "A diplomat in New Harbor said talks would resume.",  # a place, once "said" follows
        "Ships were unloaded at New Harbor overnight.",
        "Pope Francis said the talks were a gift.",
        "In Pope Francis it is revealed plainly.",  # one use after "in" against two of his own
        "Pope Francis met the envoys at the Old Port.",
        "Critics of the Rosa Vance campaign said it overspent.",  # a name as a modifier
        "Rosa Vance, the campaign's chair, said it did not.",
        "Lindqvist's aides in Kim Tae-ho's office said nothing.",  # possessives: no place use
        "Kim Tae-ho, the deputy minister, said the vote was close.",
    ])
    names = [p.name for p in people]
    assert "New Harbor" not in names and "Old Port" not in names
    assert {"Pope Francis", "Rosa Vance", "Kim Tae-ho"} <= set(names), names


def test_a_person_named_as_a_modifier_after_the_article_stays_in_whos_who() -> None:
    """"the Donald Trump administration", "in the Donald Trump campaign": the name modifies a
    noun; it is not where something is, and no place's use."""
    people = whos_who([
        "Donald Trump, the US president, said the tariffs would stay.",
        "Officials said the Donald Trump administration had ignored the warnings.",
        "Aides in the Donald Trump campaign declined to comment.",
        "Residents of the Old Port said they would go to court.",  # still a place
        "Ferries left the Old Port at dawn.",
    ])
    names = [p.name for p in people]
    assert names == ["Donald Trump"], names


def test_a_title_is_a_whole_word() -> None:
    from bot.digest.people import mentions

    # "presidential", "speaking", "officially" hold "president", "king", "official": no title.
    assert mentions("Mark Herron, an election lawyer in the 2000 presidential recount, "
                    "declined to comment.") == []
    assert mentions("Meg Whitman, whom Meredith Whitney will also be speaking with, "
                    "arrived late.") == []
    assert mentions("Jake Gyllenhaal, you are officially the indie music snob, wrote one fan.") \
        == []
    # A role that starts with its title, and "one of" the title's plural, are still roles.
    assert mentions("Daniel Baker, CEO of flight tracking service FlightAware, said the "
                    "planes were grounded.") == [
        ("Daniel Baker", "CEO of flight tracking service FlightAware", True)]
    assert mentions("Janet Stout, one of the nation’s top experts in Legionnaires’ disease, "
                    "said the tower was the source.") == [
        ("Janet Stout", "one of the nation’s top experts in Legionnaires’ disease", True)]
    # A plural role after a list of names is theirs together, not the last one's.
    assert mentions("Vladimir Putin and Kim Jong Un, the leaders of Russia and North Korea, "
                    "met in Pyongyang.") == []
    assert mentions("Russian President Vladimir Putin arrived.") == [
        ("Vladimir Putin", "Russian President", False)]
    # A capitalised title word with a possessive is a name's ("Jeff King's kennel").
    assert mentions("Visitors can tour Husky Homestead Tours, King's kennel, in summer.") == []
