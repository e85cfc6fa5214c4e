"""One surname the texts title both as a man's and as a woman's ("Ms. Smith, a spokeswoman,"
and "Mr. Smith, the chief executive,") is two people, each shown with the title: they were one
"Smith", the spokeswoman, mentioned twice. One title, or none, keeps one person as before."""

from __future__ import annotations

from bot.digest.people import whos_who


def _listed(sentences: list[str]) -> list[tuple[str, str | None, int]]:
    return [(p.name, p.role, p.mentions) for p in whos_who(sentences)]


def test_a_man_and_a_woman_of_one_surname_are_two_people() -> None:
    assert _listed([
        "Ms. Smith, a spokeswoman, said the plant would close.",
        "Mr. Smith, the chief executive, said profits fell.",
        "Smith said the board agreed.",  # after "Mr. Smith": his
    ]) == [("Mr. Smith", "chief executive", 2), ("Ms. Smith", "spokeswoman", 1)]


def test_titles_without_their_stop_too() -> None:
    assert _listed([
        "Mrs Smith, the mayor, said the plant would close.",
        "Mr Smith, the chief executive, said profits fell.",
    ]) == [("Mrs Smith", "mayor", 1), ("Mr Smith", "chief executive", 1)]


def test_one_title_keeps_one_person() -> None:
    assert _listed([
        "Ms. Smith, a spokeswoman, said the plant would close.",
        "Smith said the board agreed.",
        "Dr. Smith, a spokeswoman, said so again.",
    ]) == [("Smith", "spokeswoman", 3)]


def test_a_use_without_a_title_goes_with_its_own_article_s_title() -> None:
    sentences = ["Ms. Smith, a spokeswoman, said the plant would close.",
                 "Smith said profits fell.",  # article b, which titles him "Mr." after it
                 "Mr. Smith, the chief executive, said profits fell sharply."]
    assert [(p.name, p.mentions, p.sentences) for p in whos_who(sentences, ["a", "b", "b"])] == [
        ("Mr. Smith", 2, [1, 2]), ("Ms. Smith", 1, [0])]
