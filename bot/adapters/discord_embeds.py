"""Rendering a `Reply` as Discord embeds, within Discord's limits.

One message carries one embed: the title, the blocks as Markdown in the description, trailing
`Fields` as embed fields, "part i/n" in the footer. A reply too long for one embed is split
with `split_reply` (measured by this rendering) across several messages; nothing is cut off.

Text from articles is neutralised before it is split: mention syntax (`@everyone`, `@here`,
`<@123>`, `<@&1>`, `<#1>`) gets a zero-width space so it neither pings (the adapter also sends
`AllowedMentions.none()`) nor renders as a mention, nor do Discord's other tokens (a
timestamp `<t:…>` would show another date than the text's), and Discord-only Markdown that would
mis-render plain text (spoilers, code fences, a lone backtick, headers/quotes/lists at a line
start) is escaped."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import discord

from bot.reply import (
    Block,
    Bullet,
    Context,
    Divider,
    Fields,
    Heading,
    Paragraph,
    Reply,
    SourceRef,
    cite,
    copies_line,
    escape_lone_backticks,
    map_texts,
    source_groups,
    split_reply,
    split_text,
)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_PER_EMBED = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBEDS_PER_MESSAGE = 10
MESSAGE_EMBED_TOTAL = 6000
CONTENT_LIMIT = 2000

# What one embed's description + fields may hold; leaves room for the title (256), the footer
# and the few characters rendering adds to a block after splitting (bullet marks, escapes).
EMBED_BUDGET = 3600

COLOURS = {"info": 0x3B82F6, "error": 0xDC2626, "denied": 0xF59E0B}
ZWSP = "\u200b"
NO_MENTIONS = discord.AllowedMentions.none()

_MENTION_WORDS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_MENTION_TOKENS = re.compile(r"<(@[!&]?|#)(\d+)>")
# Discord's other angle-bracket tokens: a timestamp shown as a date in the reader's own zone
# and locale (<t:1718755200:F>), a command link (</claim:123>), a custom emoji (<:name:123>,
# <a:name:123>), a server guide link (<id:customize>).
_OTHER_TOKENS = re.compile(r"<(?=t:-?\d|/[^<>/\n]+:\d|a?:\w+:\d|id:\w)")
# What opens a line as Discord Markdown, after the line's own white space only: read from
# across the blank lines before it, each line of a run of blank lines read the run to its end,
# quadratic in its length (4,000 newlines took 0.36 s, 16,000 5.8 s). The mark escaped is the
# same: the white space before it is written back as it was.
_LINE_START = re.compile(r"^([^\S\n]*)(#{1,3}\s|-#\s|>|[-*+]\s)", re.MULTILINE)
_NUMBERED = re.compile(r"^([^\S\n]*\d+)(\.\s)", re.MULTILINE)


@dataclass
class SourceLine(Paragraph):
    """One entry of the closing source list (rendered without blank lines between)."""


@dataclass
class DiscordMessage:
    """One message to send: its embeds and, on the last part, the reply's attachment."""

    embeds: list[discord.Embed]
    file_name: str | None = None
    file_data: bytes | None = None

    def file(self) -> discord.File | None:
        if self.file_name is None or self.file_data is None:
            return None
        return discord.File(io.BytesIO(self.file_data), filename=self.file_name)


# ---------------------------------------------------------------------------- escaping


def neutralise(text: str) -> str:
    """Mentions that neither ping nor render as mentions; Discord-only Markdown escaped."""
    text = _MENTION_WORDS.sub(lambda m: "@" + ZWSP + m.group(1), text)
    text = _MENTION_TOKENS.sub(lambda m: f"<{m.group(1)}{ZWSP}{m.group(2)}>", text)
    text = _OTHER_TOKENS.sub("<" + ZWSP, text)
    text = text.replace("||", "\\|\\|").replace("```", "\\`\\`\\`")
    # A lone backtick ("Don`t panic") opens no code span up to the next line's "`[2]`".
    text = escape_lone_backticks(text, _backslashed, backslashes=True)
    # No masked links from article text: "[Reuters](https://evil)" must not hide its target.
    return text.replace("](", "]" + ZWSP + "(")


def _backslashed(run: str) -> str:
    return "".join("\\" + c for c in run)


def _escape_line_starts(text: str) -> str:
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _source_line(ref: SourceRef) -> str:
    line = f"`[{ref.number}]` {ref.label()}"
    url = ref.shown_url
    return f"{line} {url}" if url else line


def _prepare(reply: Reply) -> Reply:
    """The reply as one list of safe blocks: escaped, fields that fit embed fields (or turned
    into paragraphs when one is too long), the sources as a closing section."""
    blocks: list[Block] = []
    title = neutralise(reply.title) if reply.title else None
    if title and len(title) > TITLE_LIMIT:
        blocks.append(Paragraph(f"**{title}**"))  # shown in full; the title is shortened
        title = title[: TITLE_LIMIT - 1] + "…"
    for raw in reply.blocks:
        block = map_texts(raw, neutralise)
        if isinstance(block, Fields):
            fitting: list[tuple[str, str]] = []
            for name, value in block.items:
                if len(name) > FIELD_NAME_LIMIT or len(value) > FIELD_VALUE_LIMIT:
                    if fitting:
                        blocks.append(Fields(fitting))
                        fitting = []
                    blocks.append(Paragraph(f"**{name}:** {value}"))
                    continue
                fitting.append((name or "\u200b", value or "\u200b"))
                if len(fitting) == FIELDS_PER_EMBED:
                    blocks.append(Fields(fitting))
                    fitting = []
            if fitting:
                blocks.append(Fields(fitting))
        else:
            blocks.append(block)
    if reply.sources:
        blocks.append(Heading("Sources"))
        for ref, copies in source_groups(reply.sources):  # many copies of one: one line
            blocks.append(SourceLine(neutralise(_source_line(ref))))
            if copies:
                blocks.append(SourceLine(neutralise(copies_line(ref, copies))))
    return Reply(title=title, blocks=blocks, attachment=reply.attachment,
                 ephemeral=reply.ephemeral, kind=reply.kind)


# ---------------------------------------------------------------------------- rendering


def _italic(text: str) -> str:
    return text if "*" in text or not text.strip() else f"*{text}*"


def render_block(block: Block) -> str:
    """One block as Discord Markdown (the description text)."""
    if isinstance(block, Heading):
        return f"**{block.text}**"
    if isinstance(block, Paragraph):
        return _escape_line_starts(block.text)
    if isinstance(block, Bullet):
        tail = cite(block.citations)
        if block.note:
            tail += f" {_italic('(' + block.note + ')')}"
        return f"• {_escape_line_starts(block.text)}{(' ' + tail) if tail else ''}"
    if isinstance(block, Fields):
        return "\n".join(f"**{k}:** {v}" for k, v in block.items)
    if isinstance(block, Context):
        return _italic(_escape_line_starts(block.text))
    if isinstance(block, Divider):
        return "─" * 12
    raise TypeError(f"unknown block {block!r}")


def measure(block: Block) -> int:
    """Characters a block takes in an embed (the larger of its two renderings, plus a line
    break): what `split_reply` budgets with."""
    return len(render_block(block)) + 2


def _trailing_fields(blocks: list[Block]) -> int:
    """How many blocks at the end of a part are Fields that can be embed fields."""
    n, count = 0, 0
    for block in reversed(blocks):
        if not isinstance(block, Fields) or count + len(block.items) > FIELDS_PER_EMBED:
            break
        n += 1
        count += len(block.items)
    return n


def _embed(part: Reply, colour: int) -> list[discord.Embed]:
    n_fields = _trailing_fields(part.blocks)
    text_blocks = part.blocks[: len(part.blocks) - n_fields]
    field_blocks = part.blocks[len(part.blocks) - n_fields:]
    lines: list[str] = []
    prev: Block | None = None
    for block in text_blocks:
        rendered = render_block(block)
        tight = (isinstance(block, Bullet) and isinstance(prev, Bullet)) or (
            isinstance(block, SourceLine) and isinstance(prev, SourceLine | Heading))
        if lines and not tight:
            lines.append("")
        lines.append(rendered)
        prev = block
    description = "\n".join(lines).strip()
    # Safety net: never exceed the description limit, whatever a block rendered to.
    chunks = split_text(description, DESCRIPTION_LIMIT - 96) if description else [""]
    embeds = []
    for i, chunk in enumerate(chunks):
        embed = discord.Embed(title=part.title if i == 0 else None,
                              description=chunk or None, colour=colour)
        embeds.append(embed)
    last = embeds[-1]
    for block in field_blocks:
        assert isinstance(block, Fields)
        for name, value in block.items:
            last.add_field(name=name, value=value, inline=len(value) <= 40)
    return embeds


def render_reply(reply: Reply) -> list[DiscordMessage]:
    """The messages that carry `reply`, each within Discord's limits."""
    prepared = _prepare(reply)
    if not prepared.blocks and not prepared.title:
        prepared.blocks.append(Paragraph("(no content)"))
    parts = split_reply(prepared, EMBED_BUDGET, measure)
    colour = COLOURS.get(reply.kind, COLOURS["info"])
    embeds: list[discord.Embed] = []
    for part in parts:
        embeds.extend(_embed(part, colour))
    if len(embeds) > 1:
        for i, embed in enumerate(embeds, 1):
            embed.set_footer(text=f"part {i}/{len(embeds)}")
    messages = [DiscordMessage([e]) for e in embeds]
    if reply.attachment is not None:
        messages[-1].file_name = reply.attachment.filename
        messages[-1].file_data = reply.attachment.content.encode("utf-8")
    return messages


def message_size(embeds: list[discord.Embed]) -> int:
    """Discord's count towards the 6000-character total of one message."""
    return sum(len(e) for e in embeds)
