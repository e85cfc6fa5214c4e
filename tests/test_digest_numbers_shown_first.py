"""A briefing of several stories numbers its sources by what it shows: the numbers its
bullets cite run 1, 2, 3 … with none left out (they were numbered by every story's items,
its whole key developments and its other sections too, and a story's development cut by its
word budget, or its who's who, took a number the briefing never showed: "[1] … [3] … [5]")."""

from __future__ import annotations

import re

import pytest

from bot.chat.render_markdown import render_markdown, render_text
from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.test_digest_breakit7 import _defn, mixed  # noqa: F401

SECTIONS = ("key-developments", "whos-who", "timeline", "sources")


@pytest.mark.parametrize("words", [20, 60, 600])
@pytest.mark.parametrize("every_story", [False, True])  # the briefing; `--json`'s renderings
def test_the_numbers_a_briefing_shows_run_without_a_gap(
        mixed: Store, settings: Settings, words: int, every_story: bool) -> None:  # noqa: F811
    digest = build_digest(mixed, settings, definition=_defn(*SECTIONS, words=words),
                          every_story=every_story)
    assert digest.several
    reply = digest.to_reply()
    markdown = render_markdown(reply)
    listed = [int(n) for n in re.findall(r"^- \[(\d+)\]", markdown, re.M)]
    assert listed == list(range(1, len(listed) + 1)), markdown
    cited: set[int] = set()
    for line in markdown.split("## Sources")[0].splitlines():  # a bullet's closing "[1][3–5]"
        tail = re.search(r"((?:\[\d+(?:–\d+)?\])+)(?: _\(.*\)_)?$", line)
        for a, b in re.findall(r"\[(\d+)(?:–(\d+))?\]", tail.group(1) if tail else ""):
            cited.update(range(int(a), int(b or a) + 1))
    assert cited == set(listed), markdown
    # The JSON's numbers are the renderings': each shown bullet cites the JSON's source of
    # the same number.
    data = digest.to_json()
    by_number = {s["number"]: s["id"] for s in data["sources"]}
    for st in digest.stories[: digest.max_stories]:
        for it in st.sections[0].items:
            assert all(by_number[c] in st.documents for c in it.citations)
    assert render_text(reply)
