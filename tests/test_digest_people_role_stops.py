"""A role after a name runs on past a full stop that ends no sentence, a title's abbreviation's,
an initial's or a dotted abbreviation's ("the agency Mr. Smith has praised", "a former U.S.
ambassador", "under President George W. Bush"): the role ended at any full stop ("head of the
agency Mr", "adviser under President George W", and "a former U.S. ambassador" no role, no
one). It ends at a comma, a semicolon, a bracket, the sentence's end or the text's."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("sentence", "name", "role"), [
    ("Ann Lee, the head of the agency Mr. Smith has praised, said so.", "Ann Lee",
     "head of the agency Mr. Smith has praised"),
    ("John Smith, a former U.S. ambassador, said the talks had failed.", "John Smith",
     "former U.S. ambassador"),
    ("Tom Lee, an adviser under President George W. Bush, said so.", "Tom Lee",
     "adviser under President George W. Bush"),
    ("Andrew Lo, a finance professor at M.I.T., said so.", "Andrew Lo",
     "finance professor at M.I.T."),
    # the full stop a sentence starter follows ends a sentence, and the role
    ("Tom Lee, the envoy to the U.S. The talks failed, she said.", "Tom Lee",
     "envoy to the U.S"),
    # a bracket ends it, and so does the text's end (a caption): they ended none, the role
    # ending at "Rep" and "W"
    ("Bob Lee, the son of Committee Chairman Rep. Tim Lee (R-Va.), made the announcement.",
     "Bob Lee", "son of Committee Chairman Rep. Tim Lee"),
    ("Richard Painter, an adviser under President George W. Bush", "Richard Painter",
     "adviser under President George W. Bush"),
])
def test_a_stop_that_ends_no_sentence_ends_no_role(sentence: str, name: str, role: str) -> None:
    assert {n: r for n, r, _ in mentions(sentence)}[name] == role


def test_the_name_after_a_title_s_stop_in_a_role_takes_none_of_it() -> None:
    assert [(p.name, p.role) for p in whos_who(
        ["Ann Lee, the head of the agency Mr. Smith has praised, said so."])] == [
        ("Ann Lee", "head of the agency Mr. Smith has praised")]
