"""Rendering a `Reply` on a terminal with rich (colours on a TTY, plain text when piped).

The sources a reply cites (`Reply.sources`, the numbers of its "[1][3]") close it, as on
Slack and Discord: number, label and link, and the document's id as the /source command that
opens it. A briefing that lists its sources as a section of its own has none there, so none
is listed twice."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from bot.reply import (
    Bullet,
    Context,
    Divider,
    Fields,
    Heading,
    Paragraph,
    Reply,
    SourceRef,
    cite,
    command_syntax,
    copies_line,
    listed_id,
    source_groups,
)


def render_terminal(reply: Reply, console: Console) -> None:
    style = "bold red" if reply.kind in ("error", "denied") else "bold"
    if reply.title:
        console.print(Text(reply.title, style=f"{style} underline"))
    for block in reply.blocks:
        if isinstance(block, Heading):
            console.print()
            console.print(Text(block.text, style="bold cyan"))
        elif isinstance(block, Paragraph):
            console.print(Text(block.text, style="red" if reply.kind == "error" else ""))
        elif isinstance(block, Bullet):
            line = Text("• ")
            line.append(block.text)
            if block.citations:
                line.append(" " + cite(block.citations), style="cyan")
            if block.note:
                line.append(f" ({block.note})", style="dim")
            console.print(line)
        elif isinstance(block, Fields):
            for name, value in block.items:
                # (as text, not markup: rich's `escape` adds a backslash after one ending a
                # value, and rich showed both, the id `end\` "Id: end\\"; and ":smile:" was
                # shown as the emoji)
                console.print(Text.assemble((f"{name}:", "bold"), f" {value}"))
        elif isinstance(block, Context):
            console.print(Text(block.text, style="dim"))
        elif isinstance(block, Divider):
            console.print(Rule(style="dim"))
    if reply.sources:
        console.print()
        console.print(Text("Sources", style="bold cyan"))
        for ref, copies in source_groups(reply.sources):  # many copies of one: one line
            console.print(source_line(ref))
            if copies:
                console.print(Text(copies_line(ref, copies), style="cyan"))


def source_line(ref: SourceRef) -> Text:
    """"[2] Title — Outlet — 2024-06-19 — https://… · /source doc-id": what the citation
    "[2]" stands for, and how to open it."""
    line = Text(f"[{ref.number}] ", style="cyan")
    line.append(ref.linked_label())
    opener = command_syntax("console", "source", listed_id(ref.doc_id))  # (as /source reads it)
    line.append(f" · {opener}", style="dim")
    return line
