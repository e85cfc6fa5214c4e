"""Rendering a `Reply` on a terminal with rich (colours on a TTY, plain text when piped)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.rule import Rule
from rich.text import Text

from bot.reply import Bullet, Context, Divider, Fields, Heading, Paragraph, Reply, cite


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
                console.print(f"[bold]{escape(name)}:[/bold] {escape(value)}")
        elif isinstance(block, Context):
            console.print(Text(block.text, style="dim"))
        elif isinstance(block, Divider):
            console.print(Rule(style="dim"))
