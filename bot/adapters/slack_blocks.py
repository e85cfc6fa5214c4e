"""Block Kit rendering of the neutral `Reply`, within Slack's limits.

Every piece of corpus or user text is escaped (`&`, `<`, `>`), so nothing in an article or a
command can become a `<!channel>`, a `<@U…>` mention or a masked link; broadcast words
(`@channel`, `@here`, `@everyone`) also get a zero-width space after the `@`. Limits: at most
50 blocks per message, section/context text ≤ 3000 characters, ≤ 10 fields of ≤ 2000
characters, header ≤ 150 characters of plain text. Longer replies become several messages
(`split_reply`); every message carries a plain `text` fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.reply import (
    Block,
    Bullet,
    Context,
    Divider,
    Fields,
    Heading,
    Paragraph,
    Reply,
    cite,
    copies_line,
    escape_lone_backticks,
    source_groups,
    split_reply,
    split_text,
)

MAX_BLOCKS = 50
SECTION_CHARS = 3000
FIELD_CHARS = 2000
MAX_FIELDS = 10
HEADER_CHARS = 150
MESSAGE_CHARS = 12_000  # rendered characters per message: readable, far below Slack's caps
FALLBACK_CHARS = 3000  # of the text before escaping (which may make it longer; Slack: 40,000)
ATTACHMENT_CHARS = 20_000  # attachment text shown inline; beyond it, say where to get it

Message = dict[str, Any]  # {"text": str, "blocks": [...]} for chat.postMessage / respond()

_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
# A backtick followed by two more: each but the last of a run gets a zero-width space, so no
# "```" of anyone's text opens (or, in an attachment's code block, closes) a code block.
_FENCE = re.compile(r"`(?=``)")
_KIND_ICON = {"error": ":warning: ", "denied": ":no_entry: "}


@dataclass
class _Code(Paragraph):
    """Attachment text, shown verbatim in a code block."""


@dataclass
class _Bold(Paragraph):
    """A title too long (or too odd) for a plain-text header."""


@dataclass
class _Packed(Paragraph):
    """Several text blocks rendered as the lines of one section (text already mrkdwn);
    `parts`: those blocks as they were (the plain-text fallback is made of them)."""

    parts: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """Make `text` inert in Slack mrkdwn: no mentions, broadcasts or links can come of it,
    nor a code block ("```" broken with a zero-width space), nor a code span of a lone
    backtick ("Don`t panic") and the next one: Slack has no escape, so a lone one is shown as
    "ˋ" (U+02CB, a modifier letter grave accent), which no mrkdwn reads."""
    return _escape_code(escape_lone_backticks(text, lambda run: "\u02cb" * len(run),
                                              backslashes=False))


def _escape_code(text: str) -> str:
    """`escape` for the text of a code block, where a backtick is text (but for a fence)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FENCE.sub("`\u200b", _BROADCAST.sub("@\u200b", text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------- one block


def _block_text(block: Block) -> str:
    """The mrkdwn text of a text block (escaped)."""
    if isinstance(block, _Packed):
        return block.text
    if isinstance(block, _Code):
        return f"```{_escape_code(block.text)}```"
    if isinstance(block, Heading | _Bold):
        return f"*{escape(block.text)}*"
    if isinstance(block, Bullet):
        tail = cite(block.citations)
        if block.note:
            # whole, as on Discord and the console (a source's name and date, a feed's URL:
            # clipped to 200 characters, a claim's evidence lost its date); `_fit` splits
            tail += f" _({escape(block.note)})_"
        return f"• {escape(block.text)}{' ' + tail if tail else ''}"
    if isinstance(block, Paragraph | Context):
        return escape(block.text)
    raise TypeError(f"not a text block: {block!r}")


def _field_text(name: str, value: str) -> str:
    return f"*{escape(name)}*\n{escape(value)}"


def render_block(block: Block) -> dict[str, Any] | None:
    """One reply block → one Block Kit block (None for an empty one, which Slack rejects)."""
    if isinstance(block, Divider):
        return {"type": "divider"}
    if isinstance(block, Fields):
        fields = [{"type": "mrkdwn", "text": _clip(_field_text(k, v), FIELD_CHARS)}
                  for k, v in block.items[:MAX_FIELDS]]
        return {"type": "section", "fields": fields} if fields else None
    if not block.text.strip():
        return None
    text = _clip(_block_text(block), SECTION_CHARS)  # last resort; _fit keeps within limits
    if isinstance(block, Context):
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _measure(block: Block) -> int:
    if isinstance(block, Divider):
        return 4
    if isinstance(block, Fields):
        return sum(len(_field_text(k, v)) + 2 for k, v in block.items)
    return len(_block_text(block))


def _split_text_block(block: Block, budget: int) -> list[Block]:
    assert not isinstance(block, Divider | Fields)
    parts = split_text(block.text, budget) or [""]  # (a blank bullet keeps its citations)
    if isinstance(block, Bullet):
        out: list[Block] = [Bullet(p) for p in parts[:-1]]
        return [*out, Bullet(parts[-1], list(block.citations), block.note)]
    return [replace(block, text=p) for p in parts]


def _pack(blocks: list[Block], at_headings: bool) -> list[Block]:
    """Consecutive text blocks as the lines of one section each (a long briefing then fits
    in one message of at most 50 blocks); a heading starts a new section when `at_headings`."""
    out: list[Block] = []
    lines: list[str] = []
    parts: list[Block] = []
    size = 0

    def flush() -> None:
        nonlocal lines, parts, size
        if lines:
            out.append(_Packed("\n".join(lines), parts=parts))
        lines, parts, size = [], [], 0

    for b in blocks:
        if isinstance(b, Divider | Fields | _Code) or _measure(b) > SECTION_CHARS:
            flush()
            out.append(b)
            continue
        text = _block_text(b)
        if isinstance(b, Context):
            text = f"_{text}_" if "_" not in text else text
        if lines and (size + len(text) + 1 > SECTION_CHARS or (at_headings and isinstance(b, Heading))):
            flush()
        lines.append(text)
        parts.append(b)
        size += len(text) + 1
    flush()
    return out


def _fit(block: Block) -> list[Block]:
    """Cut one block so that each piece renders as one Block Kit block within the limits
    (escaping can grow the text up to five times, so the measure is the rendered text)."""
    if isinstance(block, Divider):
        return [block]
    if isinstance(block, Fields):
        if any(len(_field_text(k, v)) > FIELD_CHARS for k, v in block.items):
            return [p for k, v in block.items for p in _fit(Paragraph(f"{k}: {v}"))]
        return [Fields(block.items[i:i + MAX_FIELDS])
                for i in range(0, len(block.items), MAX_FIELDS)]
    if _measure(block) <= SECTION_CHARS:
        return [block]
    budget = SECTION_CHARS - 100
    while True:
        pieces = _split_text_block(block, budget)
        if budget <= 200 or all(_measure(p) <= SECTION_CHARS for p in pieces):
            return pieces  # anything still over is clipped by render_block
        budget = budget * 2 // 3


# ---------------------------------------------------------------------------- a reply


def _source_blocks(reply: Reply) -> list[Block]:
    if not reply.sources:
        return []
    lines: list[Block] = [Heading("Sources")]
    for ref, copies in source_groups(reply.sources):  # many copies of one: one line
        lines.append(Context(f"[{ref.number}] {ref.linked_label()}"))
        if copies:
            lines.append(Context(copies_line(ref, copies)))
    return lines


def _attachment_blocks(reply: Reply) -> list[Block]:
    att = reply.attachment
    if att is None:
        return []
    content = att.content
    blocks: list[Block] = [Heading(f"Attachment: {att.filename}")]
    if len(content) > ATTACHMENT_CHARS:
        blocks.append(Context(
            f"Showing the first {ATTACHMENT_CHARS:,} of {len(content):,} characters; the "
            "full file is available from the briefbot command line."))
        content = content[:ATTACHMENT_CHARS]
    blocks.extend(_Code(piece) for piece in _chunks(content, 2400))
    return blocks


def _chunks(text: str, size: int) -> list[str]:
    """Verbatim pieces of `text` (code keeps its line breaks), cut at line ends when possible."""
    out: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut + 1 if cut > size // 2 else size
        out.append(text[:cut])
        text = text[cut:]
    if text.strip():
        out.append(text)
    return out


def _unpacked(blocks: list[Block]) -> list[Block]:
    """The blocks as they were before `_pack` (which may have packed packed blocks again)."""
    return [p for b in blocks
            for p in (_unpacked(b.parts) if isinstance(b, _Packed) else [b])]


def _fallback(reply: Reply, blocks: list[Block], title: str | None, limit: int) -> str:
    """The message's plain `text` (notifications, clients without blocks): its text clipped
    to `limit` characters, then escaped. Escaping last: a packed section's text is escaped
    already (escaped again, "&" would show as "&amp;"), and a clip of escaped text could cut
    an entity or make "@everyoneX" a broadcast word ("@everyone…")."""
    from bot.chat.render_markdown import render_block_text

    lines = [title] if title else []
    lines += [render_block_text(b) for b in _unpacked(blocks) if not isinstance(b, Divider)]
    text = "\n".join(line for line in lines if line).strip() or "briefbot"
    icon = _KIND_ICON.get(reply.kind, "")
    return icon + escape(_clip(text, limit - len(icon)))


def _title_block(title: str, kind: str) -> dict[str, Any]:
    # measured as sent: a broadcast word's zero-width space counts towards Slack's 150
    plain = _BROADCAST.sub("@\u200b", _KIND_ICON.get(kind, "") + title)
    if len(plain) <= HEADER_CHARS and not any(c in title for c in "<>&"):
        return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}
    block = render_block(_Bold(title))
    assert block is not None
    if kind in _KIND_ICON:
        block["text"]["text"] = _KIND_ICON[kind] + block["text"]["text"]
    return block


def render_messages(reply: Reply) -> list[Message]:
    """The reply as one or more Slack messages, each within Slack's limits."""
    blocks: list[Block] = []
    for b in [*reply.blocks, *_source_blocks(reply), *_attachment_blocks(reply)]:
        blocks.extend(_fit(b))
    if len(blocks) > MAX_BLOCKS - 1:  # pack lines so that the content fits in one message
        blocks = _pack(blocks, at_headings=True)
        if len(blocks) > MAX_BLOCKS - 1:
            blocks = _pack(blocks, at_headings=False)
    title = reply.title.strip() if reply.title else None
    if title and (len(title) > SECTION_CHARS // 2):
        blocks[:0] = _fit(_Bold(title))  # a very long title is split like any text
        title = None
    whole = Reply(title=title, blocks=blocks, ephemeral=reply.ephemeral, kind=reply.kind)
    parts = split_reply(whole, MESSAGE_CHARS, measure=_measure, max_blocks=MAX_BLOCKS - 1)
    messages: list[Message] = []
    for i, part in enumerate(parts):
        rendered: list[dict[str, Any]] = []
        if part.title:
            rendered.append(_title_block(part.title, reply.kind))
        for b in part.blocks:
            block = render_block(b)
            if block is not None:
                rendered.append(block)
        if not rendered:
            rendered.append(render_block(Paragraph("(empty reply)")) or {})
        suffix = f" ({i + 1}/{len(parts)})" if len(parts) > 1 else ""
        text = _fallback(reply, part.blocks, part.title, FALLBACK_CHARS - len(suffix))
        messages.append({"text": text + suffix, "blocks": rendered})
    return messages


def render_text_message(text: str, kind: str = "info") -> Message:
    """A one-paragraph message (acks, notices)."""
    return render_messages(Reply.text(text, kind=kind))[0]
