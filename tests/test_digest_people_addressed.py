"""A name addressed before a clause whose subject is a title ("Mr Speaker, the prime minister
has failed this country.") has no role: the clause is none. Who's who listed "Speaker", role
"prime minister has failed this country"."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize("sentence", [
    "Mr Speaker, the prime minister has failed this country.",
    "Mr. Speaker, the minister is wrong about the budget.",
    '"Mr Speaker, the home secretary will not answer," she said.',
    # the title's complement between it and the auxiliary (it was "Speaker", role "leader of
    # the opposition has failed this country")
    "Mr. Speaker, the leader of the opposition has failed this country.",
    "Mr Speaker, the minister for Europe will resign.",
    # of three words or more (it was "Speaker", role "leader of the main opposition party has
    # failed this country")
    "Mr Speaker, the leader of the main opposition party has failed this country.",
    "Mr Speaker, the minister for the north of England will resign.",
    # a possessive after the preposition opens the complement, as an article does
    "Mr Speaker, the leader of his party has failed this country.",
    # and so does a name ("Northern Ireland", "the Labour Party")
    "Mr Speaker, the minister for Northern Ireland will resign.",
    "Mr Speaker, the leader of the Labour Party has failed this country.",
    # a body's or a place's name after a word in lower case is the complement's too, no
    # clause's subject as a person's is (each was "Speaker", role "leader of the main
    # opposition Labour Party has failed this country", "minister for rural Scotland will
    # resign")
    "Mr Speaker, the leader of the main opposition Labour Party has failed this country.",
    "Mr Speaker, the minister for rural Scotland will resign.",
    # a complement holding an abbreviation's or an initial's full stop, which the role runs
    # past (each was "Speaker", role "leader of the U.S. Labor Party has failed this country",
    # "minister for the U.K. will resign", "head of the St. Louis agency has failed …")
    "Mr Speaker, the leader of the U.S. Labor Party has failed this country.",
    "Mr Speaker, the minister for the U.K. will resign.",
    "Mr Speaker, the head of the St. Louis agency has failed this country.",
])
def test_an_addressed_name_is_no_one_of_who_s_who(sentence: str) -> None:
    assert whos_who([sentence]) == []


def test_a_role_with_a_clause_after_its_title_word_keeps_it() -> None:
    assert mentions("Jo Brand, the mayor who has led the city, said so.") == [
        ("Jo Brand", "mayor who has led the city", True)]
    assert mentions("Mr. Baker, the company chief, said so.") == [("Baker", "company chief", True)]


def test_a_later_title_of_the_role_is_another_s_and_keeps_it() -> None:
    # the role's own title is "mayor"; "the governor was indicted" is about someone else
    assert mentions("Tom Lee, the city's mayor since the governor was indicted, said so.") == [
        ("Tom Lee", "city's mayor since the governor was indicted", True)]


def test_a_role_whose_complement_a_relative_clause_follows_keeps_it() -> None:
    assert mentions("Ann Lee, the head of the agency that has grown, said so.") == [
        ("Ann Lee", "head of the agency that has grown", True)]


@pytest.mark.parametrize(("sentence", "role"), [
    # a clause of its own after the complement, its subject a pronoun or a noun with its
    # article: the role is kept (with "he", it was none)
    ("Ann Lee, the head of the agency he has led since 2010, said so.",
     "head of the agency he has led since 2010"),
    ("Ann Lee, the head of the agency the minister has praised, said so.",
     "head of the agency the minister has praised"),
    # or a demonstrative or a possessive, or "I" (they were read as the complement's words, no
    # role, once it ran on past two words)
    ("Ann Lee, the head of an agency his father had founded, said so.",
     "head of an agency his father had founded"),
    ("Ann Lee, the head of the agency this government has cut, said so.",
     "head of the agency this government has cut"),
    ("Ann Lee, the head of the agency I have praised, said so.",
     "head of the agency I have praised"),
])
def test_a_role_whose_complement_a_clause_of_its_own_follows_keeps_it(sentence: str,
                                                                      role: str) -> None:
    assert mentions(sentence) == [("Ann Lee", role, True)]


@pytest.mark.parametrize(("sentence", "listed"), [
    # a name after the complement's noun opens a clause of its own, as "the minister" does: the
    # role is Ann Lee's (it was none), and the name has none (a bare surname with none is not
    # listed)
    ("Ann Lee, the head of the agency Mr Smith has praised, said so.",
     [("Ann Lee", "head of the agency Mr Smith has praised")]),
    ("Ann Lee, the head of the agency John Smith has praised, said so.",
     [("Ann Lee", "head of the agency John Smith has praised"), ("John Smith", None)]),
    ("Ann Lee, the head of the agency President Tim Cole has praised, said so.",
     [("Tim Cole", "President"), ("Ann Lee", "head of the agency President Tim Cole has praised")]),    # a name written with a title's abbreviation or an initial opens one too
    ("Ann Lee, the head of the agency Mr. Smith has praised, said so.",
     [("Ann Lee", "head of the agency Mr. Smith has praised")]),
    ("Ann Lee, the head of the agency George W. Bush has praised, said so.",
     [("Ann Lee", "head of the agency George W. Bush has praised"), ("George W. Bush", None)]),
])
def test_a_role_whose_complement_a_clause_opened_by_a_name_follows_keeps_it(
        sentence: str, listed: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.role) for p in whos_who([sentence])] == listed
