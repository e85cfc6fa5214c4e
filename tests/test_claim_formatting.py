"""A claim pasted from a chat message or a list is looked up as what it says (a helper's
fuzzing, 2026-12-06): a list's number or a bullet before it, Markdown's and Slack's emphasis,
brackets around it, a chat mention or custom emoji, another script's digits, one name said
twice, or caps lock left on. Before, "1. Putin visited North Korea" was `not-found` (the "1" a
quantity), "<@U123ABC> …" `not-found` ("U123 ABC" a name), "… in १९९९" `corroborated` (its
year dropped), "*A man …" supported by a sentence that does not state it, "Korea Korea"
`contested`, and "pUTIN vISITED nORTH kOREA" `contested`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import check_claim_text
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.stance import clean_claim, unformatted
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a_wire.txt": """Summit in Valdoria

Norland's president visited Valdoria in June 2024, his first trip there in 24 years.
The two leaders signed a trade pact in the capital.
""",
    "b_paper.txt": """Valdoria Visit

Norland's leader visited Valdoria in June 2024 for talks on trade.
A ferry strike in Port Elm cost the harbour $6,000 a day.
""",
    "c_wire.txt": """Prices

Prices in Korea rose by 20% in June, and by 12% in Valdoria.
""",
}
PLAIN = "Norland's president visited Valdoria in June 2024"


@pytest.mark.parametrize(("typed", "said"), [
    ("1. Putin visited North Korea", "Putin visited North Korea"),
    ("12) Putin visited North Korea", "Putin visited North Korea"),
    ("- Putin visited North Korea", "Putin visited North Korea"),
    ("• Putin visited North Korea", "Putin visited North Korea"),
    ("► Putin visited North Korea", "Putin visited North Korea"),
    ("* A man killed a dog", "A man killed a dog"),
    ("# Putin visited", "Putin visited"),
    ("> Putin visited", "Putin visited"),
    ("*A man killed a dog", "A man killed a dog"),
    ("**Putin** visited _North Korea_", "Putin visited North Korea"),
    ("_They charged $6,000_", "They charged $6,000"),
    ("They charged $6,000_", "They charged $6,000"),
    ("Putin* visited", "Putin visited"),
    ("Students got A* grades", "Students got A* grades"),
    ("(Putin visited North Korea)", "Putin visited North Korea"),
    ("[Putin visited North Korea]", "Putin visited North Korea"),
    # what is said, left as typed
    ("1 man died in Port Elm", "1 man died in Port Elm"),
    ("3.5 million people live there", "3.5 million people live there"),
    ("5*3 is 15", "5*3 is 15"),
    ("snake_case names stay", "snake_case names stay"),
    ("~350 people live there", "~350 people live there"),
    ("Kim (the leader) visited Moscow (twice)", "Kim (the leader) visited Moscow (twice)"),
    ("(Kim) visited (Moscow)", "(Kim) visited (Moscow)"),
    ("-5 degrees in Moscow", "-5 degrees in Moscow"),
])
def test_what_a_chat_message_says(typed: str, said: str) -> None:
    assert unformatted(typed).strip() == said


@pytest.mark.parametrize(("typed", "said"), [
    ("<@U123ABC> Putin visited North Korea", "Putin visited North Korea"),
    ("<@!123456789> Putin visited North Korea", "Putin visited North Korea"),
    ("<!channel> Putin visited North Korea <:party:123456789>", "Putin visited North Korea"),
    ("<@U123|ann> says Putin visited <#C42|news>", "@ann says Putin visited #news"),
    ("Putin visited on <t:1718755200:D> <@&987654321>", "Putin visited on June 19, 2024"),
    ("Putin visited on <t:1718755200>", "Putin visited on June 19, 2024"),
    ("Putin visited North Korea <t:1718755200:R>", "Putin visited North Korea"),
    ("Putin visited on <!date^1718755200^{date_long}|June 19, 2024>",
     "Putin visited on June 19, 2024"),
    ("<!subteam^S1ABC|@editors> Putin visited North Korea", "@editors Putin visited North Korea"),
    ("<!channel|@channel> Putin visited North Korea", "Putin visited North Korea"),
    ("<@U1|ann.smith> says Putin visited", "@ann_smith says Putin visited"),
    ("<@U1|Ann Smith> says Putin visited", "@Ann_Smith says Putin visited"),
    ("</claim:123456789012345678> Putin visited <id:customize>", "Putin visited"),
    ("<https://x.co/a|Putin visited North Korea> via <@U1>", "Putin visited North Korea via"),
    ("[Putin visited North Korea](https://x.co/a) (link)", "Putin visited North Korea (link)"),
    ("See [1] and (2) at x.co", "See [1] and (2) at x.co"),
    ("Putin visited North Korea in १९९९", "Putin visited North Korea in 1999"),
    ("Putin paid ٥ troops", "Putin paid 5 troops"),
    ("Putin visited in ２０２４", "Putin visited in 2024"),
    ("x² and a < b > c", "x² and a < b > c"),
])
def test_chat_markup_and_digits_read_as_said(typed: str, said: str) -> None:
    assert " ".join(check_claim_text(typed).split()) == said


def test_no_run_of_spaces_is_left_where_markup_was() -> None:
    assert check_claim_text("Putin <@U123> visited North Korea") == "Putin visited North Korea"
    assert check_claim_text("Putin  visited") == "Putin  visited"  # (the user's own, kept)


@pytest.mark.parametrize("typed", ["> 1. Putin visited North Korea",
                                   "**1. Putin visited North Korea**",
                                   '"1. Putin visited North Korea"',
                                   "(1. Putin visited North Korea)"])
def test_layered_formatting_goes_too(typed: str) -> None:
    assert clean_claim(typed)[0] == "Putin visited North Korea"


@pytest.mark.parametrize(("typed", "said"), [
    ("pUTIN vISITED nORTH kOREA", "putin visited north korea"),  # (then read caseless)
    ("nORLAND'S PRESIDENT VISITED vALDORIA IN jUNE 2024",
     "Norland's president visited Valdoria in June 2024"),
    # as typed: no word in capitals after a lower-case letter, or words in lower case
    ("iPhone sales rose in eBay auctions", "iPhone sales rose in eBay auctions"),
    ("the eU and nATO met", "the eU and nATO met"),
    ("pUTIN visited North Korea", "pUTIN visited North Korea"),
    ("NATO ISIS", "NATO ISIS"),
])
def test_a_claim_typed_with_caps_lock_on(typed: str, said: str) -> None:
    assert clean_claim(typed)[0] == said


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def answered(answer) -> tuple[str, list[tuple[str, str]]]:
    return answer.verdict, [(e.doc_id, e.stance) for e in answer.evidence]


@pytest.mark.parametrize("typed", [
    f"1. {PLAIN}", f"2) {PLAIN}", f"- {PLAIN}", f"* {PLAIN}", f"► {PLAIN}", f"**{PLAIN}**", f"_{PLAIN}_",
    f"({PLAIN})", f"[{PLAIN}]", f"> {PLAIN}", f"<@U123ABC> {PLAIN}", f"<!here> {PLAIN}",
    f"{PLAIN} <:tada:123456789>", PLAIN.replace("2024", "२०२४"), f"> 1. {PLAIN}",
    f"**1. {PLAIN}**", f"(2. {PLAIN})", f'"3. {PLAIN}"', f"<https://x.co/a|{PLAIN}>",
    f"[{PLAIN}](https://x.co/a)", PLAIN.swapcase(),
])
def test_a_formatted_claim_is_answered_as_the_plain_one(world, typed: str) -> None:
    plain = ask_claim(world, PLAIN)
    assert plain.verdict == "corroborated"
    assert answered(ask_claim(world, typed)) == answered(plain)


def test_another_scripts_year_is_read_not_dropped(world) -> None:
    assert ask_claim(world, "Norland's president visited Valdoria in १९९९").verdict \
        == ask_claim(world, "Norland's president visited Valdoria in 1999").verdict \
        != "corroborated"


@pytest.mark.parametrize("typed", ["Korea Korea", "%%", "Valdoria Valdoria", "$$$"])
def test_one_thing_said_over_and_over_claims_nothing(world, typed: str) -> None:
    answer = ask_claim(world, typed)
    assert answer.verdict == "not-found", answer
    assert not any(e.stance in ("supports", "disputes") for e in answer.evidence), answer
