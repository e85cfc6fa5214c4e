"""Where a sentence opens, one reading for the key developments' names (`summarize.names`) and
the timeline's months after a name (`timeline.month_names`): `segment.opens_sentence`. Each
had its own, and they differed: the key developments read no sentence opening after a stop and
the quotation mark closing its sentence ('"The dam held." However Putin …' named "however"),
nor after a stop and one opening a quotation, nor after a list's bullet."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.segment import opens_sentence
from bot.corpus.storage import Store
from bot.digest.summarize import OpeningNames, month_surnames, names
from bot.digest.timeline import month_names
from tests.conftest import key_developments, opening_articles


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


# A list's bullet or number opens a sentence too, at the text's start or, a bullet, inside it:
# "• However Putin signed …" named "however" (and its month "• However May brought …" was a
# surname, no date).
@pytest.mark.parametrize("text", [
    "• However {} signed the decree on grain exports.",
    "● However {} signed the decree on grain exports.",
    "- However {} signed the decree on grain exports.",
    "2. However {} signed the decree on grain exports.",
    "What happened: • However {} signed the decree on grain exports.",
])
def test_a_bullet_opens_a_sentence(text: str) -> None:
    story = [text.format("Putin"), "Putin met the minister, however, on Friday."]
    assert names(text.format("Putin"), OpeningNames(story)) == {"putin"}, text
    assert month_names(text.format("May")) == frozenset(), text
    assert month_surnames(text.format("May")) == frozenset(), text


def test_two_bulleted_accounts_of_one_fact_are_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    # (they were two, 1 source each: "however" and "meanwhile" names the other never says)
    items = key_developments(store, settings, corpus, opening_articles([
        "● However Putin signed the decree on grain exports at the port on Monday.",
        "● Meanwhile Putin signed the decree on grain exports at the port on Monday."],
        ["Farmers said the decree came too late for the harvest.",
         "Traders said prices of wheat fell after the decree."], "Grain"))
    signed = [cited for text, cited in items if "signed" in text]
    assert signed == [{"c-0", "c-1"}], items
