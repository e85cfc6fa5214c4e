"""Three backticks in anyone's text (an article's title, a sentence) open no code block on
Slack: a briefing's Sources section is packed into one section, so two titles holding "```"
made every line between them preformatted (its links no links). They are broken with a
zero-width space, as a broadcast word's "@" is; an attachment's code block keeps its own
fences, and no text inside it closes them."""

from __future__ import annotations

from bot.adapters.slack_blocks import escape, render_messages
from bot.reply import Attachment, Reply, SourceRef, source_bullets


def _texts(reply: Reply) -> list[str]:
    return [b["text"]["text"] for m in render_messages(reply) for b in m["blocks"]
            if b["type"] == "section" and "text" in b]


def test_triple_backticks_from_titles_open_no_code_block() -> None:
    refs = [SourceRef(n, f"d{n}", title=f"Use ``` fences {n}", url=f"https://e.example/{n}")
            for n in range(1, 60)]
    reply = Reply(title="Daily briefing").add(*source_bullets(refs))
    texts = _texts(reply)
    assert any("Use `" in t for t in texts)
    assert not any("```" in t for t in texts), texts
    assert "```" not in escape("a ``` b ```` c")


def test_an_attachment_keeps_its_code_block() -> None:
    reply = Reply(attachment=Attachment("a.md", "x ``` y"))
    code = [t for t in _texts(reply) if t.startswith("```")]
    assert len(code) == 1 and code[0].endswith("```") and code[0].count("```") == 2, code
