"""Where a sentence opens, one reading for the key developments' names (`summarize.names`) and
the timeline's months after a name (`timeline.month_names`): `segment.opens_sentence`. Each
had its own, and they differed: the key developments read no sentence opening after a stop and
the quotation mark closing its sentence ('"The dam held." However Putin …' named "however"),
nor after a stop and one opening a quotation."""

from __future__ import annotations

import pytest

from bot.corpus.segment import opens_sentence
from bot.digest.summarize import month_surnames, names
from bot.digest.timeline import month_names


@pytest.mark.parametrize("text", [
    "However {} signed the decree on grain exports.",
    '"The dam held." However {} signed the decree on grain exports.',
    "The dam held. “However {} signed the decree on grain exports,” he said.",
    "“The dam held.” However {} signed the decree on grain exports.",
])
def test_both_readers_open_a_sentence_alike(text: str) -> None:
    assert "however" not in names(text.format("Putin")), text
    assert month_names(text.format("May")) == frozenset(), text
    assert month_surnames(text.format("May")) == frozenset(), text


@pytest.mark.parametrize(("text", "word", "brackets", "opens"), [
    ("Putin signed.", "Putin", True, True),
    ('  "Putin signed," he said.', "Putin", True, True),
    ("The dam held. Putin signed.", "Putin", True, True),
    ('The dam held." Putin signed.', "Putin", True, True),
    ("Then Mr. Putin signed.", "Putin", True, False),
    ("Then Putin signed.", "Putin", True, False),
    ("(Putin signed.)", "Putin", True, True),
    ("(Putin signed.)", "Putin", False, False),
])
def test_where_a_sentence_opens(text: str, word: str, brackets: bool, opens: bool) -> None:
    assert opens_sentence(text, text.index(word), brackets) is opens
