"""Who's who reads no headline's verb into a name: Title Case writes the verb capitalised,
and "Obama Hails Angela Merkel, the German Chancellor" listed "Obama Hails Angela Merkel"."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("headline", "expected"), [
    ("Obama Hails Angela Merkel, the German Chancellor",
     [("Angela Merkel", "German Chancellor", False)]),
    ("Pope Urges Emma Rossi, the Italian Minister, to Act",
     [("Emma Rossi", "Italian Minister", False)]),
    # fewer than two words after the verb: no name rather than a wrong one
    ("Tiger Woods Wins Masters, the Golf Tournament", []),
])
def test_a_headline_verb_is_no_word_of_a_name(headline: str, expected: list[object]) -> None:
    assert mentions(headline) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # running text writes its verbs in lower case: a capitalised verb's form is a name's word
    ("Daniel James Smith said the boy was home.", [("Daniel James Smith", None, True)]),
    ("Ana Soares Silva, the mayor, said the plan would work.",
     [("Ana Soares Silva", "mayor", True)]),
    ("The plan would work, said Mary Brooks Hill, the mayor.", [("Mary Brooks Hill", "mayor", True)]),
])
def test_a_verb_s_form_inside_a_name_of_running_text_is_a_name_s_word(
        sentence: str, expected: list[object]) -> None:
    assert mentions(sentence) == expected


@pytest.mark.parametrize(("sentence", "name"), [
    # a verb's form as a name's last word is a surname
    ("Ken Burns said the film would air in May.", "Ken Burns"),
    ("Garth Brooks said the tour would go on.", "Garth Brooks"),
    # a given name before a middle initial is none
    ("Director James R. Clapper said the report was done.", "James R. Clapper"),
])
def test_a_name_holding_a_verb_s_form_is_kept(sentence: str, name: str) -> None:
    assert [n for n, _, _ in mentions(sentence)] == [name]


def test_the_headline_s_person_joins_her_surname() -> None:
    people = whos_who(["Obama Hails Angela Merkel, the German Chancellor",
                       "Merkel said the talks went well."])
    assert [(p.name, p.role, p.quoted, p.mentions) for p in people] == [
        ("Angela Merkel", "German Chancellor", True, 2)]


@pytest.mark.parametrize(("headline", "expected"), [
    # the run is longer than a name's four words: the name read starts at the verb
    ("Biden Meets Kim Jong Un, the North Korean Leader",
     [("Kim Jong Un", "North Korean Leader", False)]),
    ("Obama Greets Kim Jong Un, the North Korean Leader",
     [("Kim Jong Un", "North Korean Leader", False)]),
])
def test_a_headline_verb_opening_the_name_read_is_no_word_of_it(
        headline: str, expected: list[object]) -> None:
    assert mentions(headline) == expected



def test_a_headline_verb_s_form_opening_the_run_is_a_name_s_word() -> None:
    # after a function word "Brooks" opens the run: no verb (it was "Koepka Jones")
    assert [n for n, _, _ in mentions("As Brooks Koepka Jones, the Team Leader, Rests")] == [
        "Brooks Koepka Jones"]


@pytest.mark.parametrize(("headline", "expected"), [
    # the role before the verb is the words before it's, not the name's after it
    ("President Obama Hails Angela Merkel", [("Angela Merkel", None, False)]),
    ("Obama Hails President Xi Jinping, the Chinese Leader", [("Xi Jinping", "President", False)]),
    ("Pope Urges Italian Minister Emma Rossi to Act", [("Emma Rossi", "Italian Minister", False)]),
    # no verb: the role is whole
    ("Italian Minister Emma Rossi, the Envoy", [("Emma Rossi", "Italian Minister", False)]),
])
def test_a_role_before_a_headline_s_name_is_cut_at_its_verb(headline: str, expected: list[object]) -> None:
    assert mentions(headline) == expected


@pytest.mark.parametrize(("headline", "expected"), [
    # after a title a name starts: "James" (a verb's form to WordNet) was read as the verb,
    # the name with it, and the title's role lost
    ("Senator James Inhofe, the Committee Chairman", [("James Inhofe", "Senator", False)]),
    ("Senator Brooks Koepka Jones, the Team Leader", [("Brooks Koepka Jones", "Senator", False)]),
])
def test_a_name_after_a_title_in_a_headline_starts_at_its_first_word(
        headline: str, expected: list[object]) -> None:
    assert mentions(headline) == expected
