"""Who speaks after a name (`people._SPEAKS_AFTER`: "NAME only recently said") reads adverbs
and auxiliaries before the reporting verb. "only", "previously" and "recently" were read both
as words of their own and as any "-ly" word, so each of them doubled the ways tried before the
pattern gave up where no reporting verb followed: "Mayor John Smith " + "only " * 24 + "x."
took 8 s, the 60 a sentence of 80 words may hold centuries, and the digest of any article
holding the sentence with them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.digest.people import mentions
from tests.conftest import ROOT

# A guard, not a measure: the sentence is read in milliseconds; it was never read before.
GUARD_SECONDS = 120


def _mentions_in_a_child(sentence: str) -> list[list[object]]:
    code = ("import json, sys; from bot.digest.people import mentions; "
            "print(json.dumps(mentions(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-c", code, sentence], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=GUARD_SECONDS)
    return json.loads(done.stdout)


def test_many_adverbs_before_no_reporting_verb_are_read() -> None:
    sentence = "Mayor John Smith " + "only recently previously " * 20 + "opened it."
    assert _mentions_in_a_child(sentence) == [["John Smith", "Mayor", False]]


@pytest.mark.parametrize("adverbs", ["only", "previously", "recently", "only recently",
                                     "has only recently", "also previously"])
def test_the_adverbs_before_a_reporting_verb_are_read_as_before(adverbs: str) -> None:
    assert mentions(f"Mayor John Smith {adverbs} said it was open.") == [
        ("John Smith", "Mayor", True)]
