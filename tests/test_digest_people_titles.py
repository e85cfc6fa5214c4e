"""Who's who reads a role, a title and an organisation by their general forms: an attribution
inside a role ("a spokesman according to the company") says who says so, not who the person
is; a role's words before a name run on to its last title or noun of a kind of person ("Chief
Executive Officer Tim Cook": the role was "Chief"; "Chief Technology Officer Ann Lee" gave the
person "Technology Officer Ann Lee", "Delphi Police Chief Steve Mullin told" a second person
"Police Chief Steve Mullin"); and a name ending in a company's legal form or holding ("Michael
Kors Holdings", "Northwind Logistics Ltd"), the kind of body it is ("Coastal Health Authority") or the business
it is in ("Northwind Mining") is no person."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("Tom Hart, a spokesman according to the company, said it would reopen.",
     "Tom Hart", "spokesman"),
    ("Tom Hart, the chief executive according to the filing, said it would reopen.",
     "Tom Hart", "chief executive"),
])
def test_an_attribution_is_no_part_of_a_role(sentence: str, name: str, role: str) -> None:
    assert mentions(sentence) == [(name, role, True)]


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("Chief Executive Officer Tim Cook said sales rose.", "Tim Cook", "Chief Executive Officer"),
    ("Chief Executive Mark Zuckerberg said the network would grow.", "Mark Zuckerberg",
     "Chief Executive"),
    ("Chief Technology Officer Ann Lee said the servers were safe.", "Ann Lee",
     "Chief Technology Officer"),
    ("Apple Chief Financial Officer Peter Oppenheimer said the quarter would be affected.",
     "Peter Oppenheimer", "Apple Chief Financial Officer"),
    ("Store Manager Cy Young said the shelves were empty.", "Cy Young", "Store Manager"),
    ("Police Captain Dan Cole said the road was closed.", "Dan Cole", "Police Captain"),
    # a given name that is a noun of a person too stays the name's after a title
    ("President Victor Yanukovych said the deal was off.", "Victor Yanukovych", "President"),
])
def test_a_roles_words_before_a_name_are_the_roles(sentence: str, name: str,
                                                   role: str) -> None:
    assert mentions(sentence) == [(name, role, True)]


def test_a_title_read_by_a_reporting_verb_is_no_second_person() -> None:
    people = whos_who([
        "\u201cIt is much appreciated,\u201d Delphi Police Chief Steve Mullin told the newspaper.",
        "\u201cWe have a duty,\u201d says Maryland Attorney General Brian Frosh.",
    ])
    assert [(p.name, p.role) for p in people] == [
        ("Steve Mullin", "Delphi Police Chief"), ("Brian Frosh", "Maryland Attorney General")]


@pytest.mark.parametrize(("sentence", "name", "role"), [
    # the reporting verb read "State Hillary Clinton", the title "Secretary of State" before
    # "Hillary Clinton": one person, "State Hillary Clinton" in who's who, two mentions
    ("Secretary of State Hillary Clinton has said the talks failed.",
     "Hillary Clinton", "Secretary of State"),
    ("Secretary of Defense Leon Panetta said the war was nearly won.",
     "Leon Panetta", "Secretary of Defense"),
])
def test_a_title_s_complement_read_with_the_name_is_no_word_of_it(sentence: str, name: str,
                                                                   role: str) -> None:
    assert mentions(sentence) == [(name, role, True)]
    assert [(p.name, p.role, p.mentions) for p in whos_who([sentence])] == [(name, role, 1)]


@pytest.mark.parametrize(("sentence", "expected"), [
    # two people, one's name ending in the other's, read at two places: each was the shorter,
    # the speaker "Mary Ann Smith" lost and "Ann Smith" quoted
    ("Mary Ann Smith said Ann Smith had called her.",
     [("Mary Ann Smith", None, True), ("Ann Smith", None, False)]),
    ("Ann Smith said Mary Ann Smith had called her.",
     [("Ann Smith", None, True), ("Mary Ann Smith", None, False)]),
])
def test_a_name_ending_in_another_read_elsewhere_is_another_person(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a title before a run's last word: a surname, the words before it its role (each was a
    # person "Defense Secretary Austin", "Hennepin County Chief Deputy")
    ("Defense Secretary Austin said the talks went well.", [("Austin", "Defense Secretary", True)]),
    ("Defense Secretary Austin, a former general, said so.", [("Austin", "former general", True)]),
    # the name the pattern cut ("… Deputy| Mike Carlson") is the full name's alone
    ("The officers were hurt, said Hennepin County Chief Deputy Mike Carlson.",
     [("Mike Carlson", "Hennepin County Chief Deputy", True)]),
    # no title: a name of three words ("Billie Jean King"); a generation's suffix is none
    ("Billie Jean King said the match was won.", [("Billie Jean King", None, True)]),
    ("Stephen King Jr. said the book was done.", [("Stephen King Jr.", None, True)]),
    # a title's word last is none: the run is a title's alone, naming no one (each listed
    # "General" or "Chief")
    ("Deputy Secretary General said the talks went well.", []),
    ("The talks went well, said Lieutenant Governor General.", []),
    ("Interior Minister Chief said the talks went well.", []),
])
def test_a_title_before_a_run_s_last_word_makes_it_a_surname(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


def test_a_surname_after_a_title_joins_the_full_name() -> None:
    people = whos_who(["Lloyd Austin said the talks would start.",
                       "Defense Secretary Austin said the talks went well."])
    assert [(p.name, p.role, p.mentions) for p in people] == [
        ("Lloyd Austin", "Defense Secretary", 2)]


@pytest.mark.parametrize(("sentence", "expected"), [
    # a title's complement after "of" (a person "National Intelligence James R. Clapper")
    ("Director of National Intelligence James R. Clapper said the report was done.",
     [("James R. Clapper", "Director of National Intelligence", True)]),
    ("Minister of Foreign Affairs Sergei Lavrov said the talks failed.",
     [("Sergei Lavrov", "Minister of Foreign Affairs", True)]),
    ("Chief of Naval Operations John Richardson said the ships were ready.",
     [("John Richardson", "Chief of Naval Operations", True)]),
    # no title before "of": the name is whole
    ("Friends of John Smith said he was kind.", [("John Smith", None, True)]),
    # a given name that is a word of the language ("john", "henry") after a complement the
    # title's pattern reads is the name's (each was "Foster Dulles", "Lewis Stimson")
    ("Secretary of State John Foster Dulles said the pact would hold.",
     [("John Foster Dulles", "Secretary of State", True)]),
    ("Secretary of War Henry Lewis Stimson said the bomb was ready.",
     [("Henry Lewis Stimson", "Secretary of War", True)]),
])
def test_a_title_s_complement_after_of_is_the_role_s(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # after the reporting verb too (each listed a "Director", a "Secretary" beside John Kerry,
    # a "Chief")
    ("The report was done, said Director of National Intelligence James R. Clapper.",
     [("James R. Clapper", "Director of National Intelligence", True)]),
    ("The talks failed, said Secretary of State John Kerry.",
     [("John Kerry", "Secretary of State", True)]),
    ("He said Chief of Staff John Kelly had left.", [("John Kelly", "Chief of Staff", False)]),
    # no name after the complement: as before
    ("The dogs were hurt, said King of Denali.", [("King", None, True)]),
])
def test_a_title_s_complement_after_a_reporting_verb_is_the_role_s(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # words and a title's abbreviation before the name: its role (each was a person "Iowa
    # State Patrol Sgt", "Texas Gov")
    ("The road was closed, said Iowa State Patrol Sgt. Scott Bright.",
     [("Scott Bright", "Iowa State Patrol Sgt.", True)]),
    ("The report said Texas Gov. Rick Perry was not vetted.", [("Rick Perry", "Texas Gov.", False)]),
    # the abbreviation alone is no role, as before
    ("It was cold, said Gov. Rick Perry.", [("Rick Perry", None, True)]),
    # two abbreviations, with words before them or none (each was a person "Gov", "Col")
    ("The road was closed, said Texas Lt. Gov. Dan Patrick.",
     [("Dan Patrick", "Texas Lt. Gov.", True)]),
    ("The road was closed, said Lt. Col. John Smith.", [("John Smith", None, True)]),
])
def test_a_title_s_abbreviation_after_words_before_a_name_is_a_role(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # the pattern after "said" cut the run after four words: "Marshal Angus" and "Santa Clara
    # County Public" were people, then no one (Molly O'Neal) or a cut name
    ("It is time, said Air Chief Marshal Angus Houston, who leads the search.",
     [("Angus Houston", "Air Chief Marshal", True)]),
    ("The sentence is fair, said Santa Clara County Public Defender Molly O'Neal.",
     [("Molly O'Neal", "Santa Clara County Public Defender", True)]),
    ("The vote was close, said Ana Maria Soares Silva Costa.",
     [("Ana Maria Soares Silva Costa", None, True)]),
])
def test_a_run_a_reporting_verb_s_pattern_cut_is_read_whole(
        sentence: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Michael Kors Holdings said it had agreed to buy the shoe company.",
    "Northwind Logistics Ltd said on Monday that it would cut jobs.",
    "Global Shipping Corp said profits rose.",
    "Acme Widgets Inc said the plant would reopen.",
    # the business it is in, or the kind of body it is (each was a quoted person)
    "Northwind Mining said on Monday that it would close the Karsk pit.",
    "Harbor Airlines said flights would resume on Friday.",
    "Kestrel Pharmaceuticals announced a recall of the drug.",
    "The pit is unsafe, said Coastal Health Authority.",
])
def test_a_company_is_no_person(sentence: str) -> None:
    assert mentions(sentence) == []


def test_a_company_beside_its_people_in_whos_who() -> None:
    """The company that speaks is not listed; the people are, a business word in a role before
    the name being the role's ("Energy Secretary Chris Wright")."""
    people = whos_who([
        "Northwind Mining said on Monday that it would close the Karsk copper pit by March.",
        "Dana Holt, the miners' union leader, said 300 jobs would go.",
        "The Karsk pit will close by March, Northwind Mining said.",
        "Energy Secretary Chris Wright said the state would not step in.",
    ])
    assert [(p.name, p.role) for p in people] == [
        ("Dana Holt", "miners' union leader"), ("Chris Wright", "Energy Secretary")]
