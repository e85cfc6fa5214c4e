"""A lone backtick in anyone's text (a title "Don`t panic", "`90s hits", a sentence) opens no
code span on Discord, Slack or in Markdown: a renderer paired it with the next backtick of the
reply, a source line's "`[2]`" or the code span of a link shown without its key, showed the
text between as code and left the rest of the line mis-paired. Discord and Markdown escape it
("\\`"); Slack, which has no escape, shows it as "ˋ". The bot's own code spans, and one the
text writes whole ("the `ls` command"), stay code."""

from __future__ import annotations

import re

import pytest

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown
from bot.reply import Bullet, Paragraph, Reply, SourceRef


def _code_spans(text: str, backslashes: bool) -> list[str]:
    """The code spans a Markdown renderer reads in `text`, line by line: a run of backticks
    not escaped opens one, the next run of the same length closes it (escapes do not work
    inside a span)."""
    spans: list[str] = []
    for line in text.split("\n"):
        runs = list(re.finditer(r"`+", line))
        k = 0
        while k < len(runs):
            m = runs[k]
            k += 1
            if backslashes and (len(line[:m.start()]) - len(line[:m.start()].rstrip("\\"))) % 2:
                continue
            close = next((j for j in range(k, len(runs))
                          if len(runs[j].group()) == len(m.group())), None)
            if close is not None:
                spans.append(line[m.end():runs[close].start()])
                k = close + 1
    return spans


def _reply() -> Reply:
    return Reply(title="Claim: it`s over", blocks=[
        Paragraph("Rock ` Roll band says the `ls` command is fine."),
        Bullet("He said it`s over for the band.", [1, 2], "supports · Don`t Media, 2024-05-02")],
        sources=[SourceRef(1, "d1", title="Don`t panic", outlets=("Reuters",),
                           url="https://e.example/a?token=abc"),
                 SourceRef(2, "d2", title="`90s hits return", url="https://e.example/b")])


KEYLESS = "https://e.example/a?token=***"


def test_discord_pairs_only_the_bots_code_spans() -> None:
    text = "\n".join(part for m in render_reply(_reply()) for e in m.embeds
                     for part in (e.title or "", e.description or "",
                                  *(f.value or "" for f in e.fields)))
    assert _code_spans(text, backslashes=True) == ["ls", "[1]", KEYLESS, "[2]"], text
    assert "Don\\`t panic" in text and "\\`90s hits" in text and "Rock \\` Roll" in text


def test_slack_pairs_only_the_bots_code_spans() -> None:
    text = "\n".join(b["text"]["text"] if "text" in b else b["elements"][0]["text"]
                     for m in render_messages(_reply()) for b in m["blocks"]
                     if b["type"] in ("section", "context") and "fields" not in b)
    assert _code_spans(text, backslashes=False) == ["ls", KEYLESS], text
    assert "Donˋt panic" in text and "ˋ90s hits" in text and "it\u02cbs over" in text


def test_markdown_pairs_only_the_bots_code_spans() -> None:
    text = render_markdown(_reply())
    assert _code_spans(text, backslashes=True) == ["ls", KEYLESS], text
    assert "Don\\`t panic" in text and "# Claim: it\\`s over" in text


@pytest.mark.parametrize(("text", "shown"), [
    ("`[1]` Don`t panic — `https://e.example/?k=***`",
     "`[1]` Don\\`t panic — `https://e.example/?k=***`"),
    ("Say `hi — `x`", "Say \\`hi — `x`"),  # the opening one is lone, not the last
    ("the `ls` and ``a`b`` commands", "the `ls` and ``a`b`` commands"),  # whole spans stay
    ("a \\` b", "a \\` b"),  # escaped already
    ("one `line\nand` the next", "one \\`line\nand\\` the next"),  # a span is on one line
])
def test_which_backticks_are_lone(text: str, shown: str) -> None:
    from bot.reply import escape_lone_backticks

    assert escape_lone_backticks(text, lambda run: "\\" + run, backslashes=True) == shown
