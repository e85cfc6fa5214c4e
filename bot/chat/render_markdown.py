"""Rendering a `Reply` as Markdown (digests, files, the Markdown output of the CLI). The plain
text rendering (logs, tests, `--format text`) is the reply model's own (`bot.reply`) and is
re-exported here."""

from __future__ import annotations

import re

from bot.reply import (
    Block,
    Bullet,
    Context,
    Divider,
    Fields,
    Heading,
    Paragraph,
    Reply,
    bullet_line,
    escape_lone_backticks,
    map_texts,
    render_block_text,
    render_text,
    sources_blocks,
)

__all__ = ["render_block_markdown", "render_block_text", "render_markdown", "render_text"]


def inert(text: str) -> str:
    """`text` with no link or HTML of its own in Markdown: "[Reuters](javascript:…)" (a title,
    anyone's text) keeps its words but is no masked link (`]\\(`), and no `<` starts an
    autolink ("<javascript:…>") or a tag (`\\<`), nor a lone backtick ("Don`t panic") a code
    span up to the next one (`escape_lone_backticks`). Its backslashes are escaped first, so
    that none can cancel those escapes ("\\<img …>" stays text). Emphasis stays as written."""
    text = text.replace("\\", "\\\\").replace("<", "\\<").replace("](", "]\\(")
    return escape_lone_backticks(text, lambda run: "".join("\\" + c for c in run),
                                 backslashes=True)


# What opens a block at a line's start: a heading ("# …"), a quotation ("> …"), a list item
# ("- …", "* …", "+ …", "1. …", "2) …"). An article's sentence opening so ("# The harbour
# master said …", kept by a scraped page saved as .txt) made a heading, quotation or list
# inside its bullet (Discord's rendering escapes them too: `discord_embeds._LINE_START`).
_BLOCK_START = re.compile(r"^([ \t]*)(#{1,6}(?=[ \t]|$)|>|[-*+](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$)))",
                          re.MULTILINE)


def _text_at_line_start(text: str) -> str:
    """`text` (already `inert`) with no block marker opening a line of it."""
    def escape(m: re.Match[str]) -> str:
        marker = m.group(2)
        if marker[:1].isdigit():  # "1. …": the number's full stop (or bracket) escaped
            return m.group(1) + marker + "\\"
        return m.group(1) + "\\" + marker
    return _BLOCK_START.sub(escape, text)


def render_block_markdown(block: Block) -> str:
    block = map_texts(block, inert)
    if isinstance(block, Bullet | Paragraph):
        block = map_texts(block, _text_at_line_start)
    if isinstance(block, Heading):
        return f"## {block.text}"
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullet):
        return bullet_line(block, markup=True)
    if isinstance(block, Fields):
        return "\n".join(f"**{k}:** {v}" for k, v in block.items)
    if isinstance(block, Context):
        return f"_{block.text}_"
    if isinstance(block, Divider):
        return "---"
    raise TypeError(f"unknown block {block!r}")


def render_markdown(reply: Reply) -> str:
    out: list[str] = []
    if reply.title:
        out.append(f"# {inert(reply.title)}")
    prev: Block | None = None
    for block in [*reply.blocks, *sources_blocks(reply)]:
        text = render_block_markdown(block)
        # Consecutive bullets form one list; everything else is its own paragraph.
        if isinstance(block, Bullet) and isinstance(prev, Bullet) and out:
            out[-1] += "\n" + text
        else:
            out.append(text)
        prev = block
    return "\n\n".join(out) + "\n"
