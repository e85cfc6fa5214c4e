"""Rendering a `Reply` as Markdown (digests, files, the Markdown output of the CLI) and as
plain text (logs, tests, `--format text`)."""

from __future__ import annotations

from .reply import Block, Bullet, Context, Divider, Fields, Heading, Paragraph, Reply, cite


def _bullet(block: Bullet, markup: bool) -> str:
    text = block.text
    tail = cite(block.citations)
    if block.note:
        tail += f" ({block.note})" if not markup else f" _({block.note})_"
    return f"- {text}{(' ' + tail) if tail else ''}"


def render_block_markdown(block: Block) -> str:
    if isinstance(block, Heading):
        return f"## {block.text}"
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullet):
        return _bullet(block, markup=True)
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


def render_block_text(block: Block) -> str:
    if isinstance(block, Heading):
        return block.text.upper()
    if isinstance(block, Paragraph | Context):
        return block.text
    if isinstance(block, Bullet):
        return _bullet(block, markup=False)
    if isinstance(block, Fields):
        return "\n".join(f"{k}: {v}" for k, v in block.items)
    if isinstance(block, Divider):
        return ""
    raise TypeError(f"unknown block {block!r}")


def render_text(reply: Reply) -> str:
    lines = [reply.title] if reply.title else []
    lines += [render_block_text(b) for b in reply.blocks]
    return "\n".join(lines).strip() + "\n"
