"""Cleaning drops only the prompt sentence of a line, not the article's sentences sharing
that line ("Thank you for reading this post, don't forget to subscribe! Putin met Kim in
Pyongyang in June 2024. They signed a treaty." kept neither Putin sentence)."""

from __future__ import annotations

import pytest

from bot.corpus.article import parse_article
from bot.corpus.metadata import OutletCatalog

FACTS = "Putin met Kim in Pyongyang in June 2024. They signed a treaty."
PROMPTS = [
    "Thank you for reading this post, don't forget to subscribe!",
    "Please subscribe to our newsletter.",
    "Stay informed.",
    "Follow us on Twitter.",
    "Share this article!",
    "Click here to read more.",
]


def _body(text: str, has_title: bool = False) -> list[str]:
    article = parse_article(text, "t", OutletCatalog.load(None), title="T" if not has_title else "")
    return [s.text for s in article.sentences if s.kind == "body"]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_prompt_sentence_only_is_dropped(prompt: str) -> None:
    body = _body(f"{prompt} {FACTS}")
    assert body == ["Putin met Kim in Pyongyang in June 2024.", "They signed a treaty."]


def test_in_a_file_with_more_text() -> None:
    text = (f"Summit in Pyongyang\n\n{PROMPTS[0]} {FACTS}\n\n"
            "The talks lasted two days, officials said.\n")
    body = _body(text, has_title=True)
    assert body[:2] == ["Putin met Kim in Pyongyang in June 2024.", "They signed a treaty."]
    assert not any("subscribe" in s for s in body)


def test_prompt_follow_up_and_notices_still_go_whole() -> None:
    body = _body("Officials met in Seoul on Monday to discuss the pact, aides said.\n\n"
                 "Don't forget to subscribe! You can cancel at any time.\n\n"
                 "Photo: Delegates in Seoul. Credit: Jane Roe / Reuters.\n\n"
                 "All rights reserved. This piece may not be reproduced.")
    assert body == ["Officials met in Seoul on Monday to discuss the pact, aides said."]
