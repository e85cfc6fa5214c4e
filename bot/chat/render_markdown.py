"""Rendering a `Reply` as Markdown (digests, files, the Markdown output of the CLI). The plain
text rendering (logs, tests, `--format text`) is the reply model's own (`bot.reply`) and is
re-exported here."""

from __future__ import annotations

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
    render_block_text,
    render_text,
)

__all__ = ["render_block_markdown", "render_block_text", "render_markdown", "render_text"]


def render_block_markdown(block: Block) -> str:
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
        out.append(f"# {reply.title}")
    prev: Block | None = None
    for block in reply.blocks:
        text = render_block_markdown(block)
        # Consecutive bullets form one list; everything else is its own paragraph.
        if isinstance(block, Bullet) and isinstance(prev, Bullet) and out:
            out[-1] += "\n" + text
        else:
            out.append(text)
        prev = block
    return "\n\n".join(out) + "\n"
