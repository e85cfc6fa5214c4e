"""Whether a story has a sentence the digest can use is one rule: `build._usable` (a story
past `max_stories`, counted unscored) reads the rows `_Context.from_rows` reads (`build._read`)
with the test `score_units` makes before scoring (`summarize.usable`)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.digest import build as build_module
from bot.digest.build import _Context, _usable

USED = "Floods in the river valley reached 1500 homes on Wednesday, officials said."
NOT_USED = {
    "short": "Floods reached homes.",
    "question": "Did the floods in the river valley reach 1500 homes on Wednesday?",
    "colon": "Floods in the river valley reached these homes on Wednesday:",
    "chrome": "Read more about the floods in the river valley on our website today.",
    "link": "Floods in the river valley: see https://example.com/floods for the homes reached.",
    "no word read": "It was what it is and so it will be for them all.",
    "too long": " ".join(["Floods"] * 71),
    # no word in Latin letters, only a number: the digest does not read other scripts
    "other script": "Τουλάχιστον 1500 σπίτια πλημμύρισαν στην κοιλάδα του ποταμού την Τετάρτη.",
}


def _rows(texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"doc_id": "a", "position": i, "kind": kind, "text": text, "key": f"k{i}"}
            for i, (kind, text) in enumerate(texts)]


@pytest.mark.parametrize("texts", [
    [("body", USED)],
    [("title", USED)],
    *[[("body", t)] for t in NOT_USED.values()],
    [("body", t) for t in NOT_USED.values()],
    [*[("body", t) for t in NOT_USED.values()], ("body", USED)],
    [("title", USED), ("body", NOT_USED["chrome"]), ("body", NOT_USED["question"])],
])
def test_usable_is_what_the_story_finds_to_brief(texts: list[tuple[str, str]]) -> None:
    rows = _rows(texts)
    found = bool(_Context.from_rows([{"id": "a"}], rows).top(1))
    assert _usable(rows) == found
    assert found == any(kind == "body" and text == USED for kind, text in texts)


def test_the_rows_a_story_reads_are_one_rule() -> None:
    rows = _rows([("body", USED), ("title", USED), ("body", NOT_USED["chrome"]),
                  ("body", NOT_USED["short"])])
    ctx = _Context.from_rows([{"id": "a"}], rows)
    assert ctx.sents == [r for r in rows if build_module._read(r)] == [rows[0], rows[3]]
