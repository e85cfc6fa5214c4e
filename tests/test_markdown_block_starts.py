"""In the Markdown (`briefbot digest`), an article's sentence that opens with what Markdown
reads as a block — "# …", "> …", "1. …", "- …" (a scraped page saved as .txt keeps them) —
is text, not a heading, quotation or list nested in its bullet: "- # The harbour master said
…" was a heading inside the list (Discord's rendering already escaped them)."""

from __future__ import annotations

import pytest

from bot.chat.render_markdown import render_markdown
from bot.reply import Bullet, Paragraph, Reply

markdown_it = pytest.importorskip("markdown_it")  # (rich's dependency)

OPENINGS = ["# The harbour master said 14 ships were delayed.",
            "### Three ferries were cancelled.",
            "> Pilots said the fog was the worst in 20 years.",
            "1. Officials said 3 ferries were cancelled.",
            "2) Officials said the fog would lift.",
            "- Officials said the port reopened.",
            "+ Officials said the port reopened.",
            "* Officials said the port reopened."]


def _tokens(markdown: str) -> list[str]:
    return [t.type for t in markdown_it.MarkdownIt("commonmark").parse(markdown)]


@pytest.mark.parametrize("text", OPENINGS)
def test_a_bullet_opening_with_a_block_marker_stays_one_bullet_of_text(text: str) -> None:
    md = render_markdown(Reply(title="Briefing").add(Bullet(text, [1], "1 source"),
                                                     Bullet("Next point.", [2])))
    kinds = _tokens(md)
    assert kinds.count("bullet_list_open") == 1, md
    assert "heading_open" not in kinds[3:] and "blockquote_open" not in kinds, md
    assert "ordered_list_open" not in kinds, md
    assert text.split(" ", 1)[1] in md


@pytest.mark.parametrize("text", OPENINGS)
def test_a_paragraph_opening_with_a_block_marker_is_a_paragraph(text: str) -> None:
    md = render_markdown(Reply(title=None).add(Paragraph(text)))
    assert _tokens(md)[0] == "paragraph_open", md


def test_text_without_block_markers_is_unchanged() -> None:
    md = render_markdown(Reply(title=None).add(Bullet("Costs rose 3.5% - officials said.", [1])))
    assert md == "- Costs rose 3.5% - officials said. [1]\n"
