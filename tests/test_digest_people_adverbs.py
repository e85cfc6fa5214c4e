"""Who speaks after a name (`people._SPEAKS_AFTER`: "NAME only recently said") reads adverbs
and auxiliaries before the reporting verb. "only", "previously" and "recently" were read both
as words of their own and as any "-ly" word, so each of them doubled the ways tried before the
pattern gave up where no reporting verb followed: "Mayor John Smith " + "only " * 24 + "x."
took 8 s, the 60 a sentence of 80 words may hold centuries, and the digest of any article
holding the sentence with them."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions
from tests.conftest import called_in_a_child


def test_many_adverbs_before_no_reporting_verb_are_read() -> None:
    sentence = "Mayor John Smith " + "only recently previously " * 20 + "opened it."
    assert called_in_a_child("bot.digest.people", "mentions", sentence) == [["John Smith", "Mayor", False]]


@pytest.mark.parametrize("adverbs", ["only", "previously", "recently", "only recently",
                                     "has only recently", "also previously"])
def test_the_adverbs_before_a_reporting_verb_are_read_as_before(adverbs: str) -> None:
    assert mentions(f"Mayor John Smith {adverbs} said it was open.") == [
        ("John Smith", "Mayor", True)]
