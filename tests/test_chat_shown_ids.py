"""Document ids in chat and on the console as `briefbot sources` lists them (`listed_id`): the
id "a\\\\nb" (a backslash and an "n") and the id "a<newline>b" were both shown `a\\nb` by
/sources, /source and the console's "· /source ID" (and the console completed the id with a
raw newline), and `/source a\\nb` opened the one with the newline. Each is shown apart now,
as the CLI shows it, and opens as shown; on Discord in a code span, where its Markdown would
read `\\\\` as one backslash."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from rich.console import Console

from bot.adapters.console import ConsoleAdapter, _Completer
from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.adapters.testing import TestAdapter
from bot.chat.commands import Caller, CommandRequest, _shown_id
from bot.chat.render_terminal import render_terminal
from bot.config import Settings
from bot.core import Core
from bot.reply import Fields, Reply, SourceRef

SENTENCE = "The harbour master of Port Elm retired on Friday after thirty years."
TITLES = {"a\\nb": "Backslash title", "a\nb": "Newline title"}
# Each id as `briefbot sources` lists it.
LISTED = {"a\\nb": "a\\\\nb", "a\nb": "a\\nb"}


@pytest.fixture
def core(settings: Settings, corpus: Path) -> Iterator[Core]:
    (corpus / "feed.jsonl").write_text("\n".join(
        json.dumps({"id": doc_id, "title": title, "text": SENTENCE})
        for doc_id, title in TITLES.items()) + "\n", encoding="utf-8")
    c = Core(settings)
    c.reload()
    yield c
    c.close()


def _shown(platform: str, reply: Reply) -> str:
    """The reply's text as the platform shows it (Slack blocks and Discord embeds as JSON
    text, the console's terminal output)."""
    if platform == "slack":
        return json.dumps([m["blocks"] for m in render_messages(reply)], ensure_ascii=False)
    if platform == "discord":
        return json.dumps([[e.to_dict() for e in m.embeds] for m in render_reply(reply)],
                          ensure_ascii=False)
    out = io.StringIO()
    render_terminal(reply, Console(file=out, width=200, color_system=None))
    return out.getvalue()


@pytest.mark.parametrize("platform", ["slack", "discord", "console"])
def test_sources_and_source_show_an_id_as_the_cli_lists_it_and_open_it_so(
        core: Core, platform: str) -> None:
    bot = TestAdapter(core, platform=platform)
    listing = bot.send("/sources")
    for doc_id, listed in LISTED.items():
        # (json.dumps writes each backslash of the Slack and Discord texts doubled)
        form = {"slack": listed, "discord": f"`{listed}`", "console": listed}[platform]
        text = form if platform == "console" else json.dumps(form)[1:-1]
        assert f"(id {text})" in _shown(platform, listing), _shown(platform, listing)
        opened = bot.send(f"/source {listed}")
        assert opened.kind != "error" and opened.title == TITLES[doc_id], opened.plain_text()
        assert text in _shown(platform, opened), _shown(platform, opened)


def test_the_consoles_source_line_gives_the_id_as_listed(core: Core) -> None:
    reply = Reply.text("Cited.")
    reply.sources = [SourceRef(1, doc_id, title) for doc_id, title in TITLES.items()]
    shown = _shown("console", reply)
    for listed in LISTED.values():
        assert f"· /source {listed}\n" in shown, shown


@pytest.mark.parametrize("platform", ["slack", "console"])
def test_an_untitled_source_is_labelled_by_its_id_as_listed(platform: str) -> None:
    # A cited source with no title is labelled by its id: the ids "a\\nb" and "a<newline>b"
    # were both labelled `a\nb` (the console's line then said "a\nb — … · /source a\\nb").
    reply = Reply.text("Cited.")
    reply.sources = [SourceRef(n, doc_id) for n, doc_id in enumerate(TITLES, 1)]
    shown = _shown(platform, reply)
    for n, listed in enumerate(LISTED.values(), 1):
        label = f"[{n}] {listed} — date unknown"
        assert (label if platform == "console"
                else json.dumps(label, ensure_ascii=False)[1:-1]) in shown, shown


def test_the_console_completes_an_id_as_listed(core: Core) -> None:
    completer = _Completer(ConsoleAdapter(core, stdin=io.StringIO(""), stdout=io.StringIO()))
    completions = completer.get_completions(Document("/source a"), CompleteEvent())
    assert sorted(c.text for c in completions) == sorted(LISTED.values())


@pytest.mark.parametrize(("doc_id", "shown"), [
    ("a\\nb", "`a\\\\nb`"), ("draft_*1*", "`draft_*1*`"),
    # No code span that the id would end, nor one showing the renderer's escapes ("\\|\\|")
    # or dropping the id's white space at its ends: the id as listed.
    ("it`s", "it`s"), ("a||b", "a||b"), (" spaced ", " spaced "),
])
def test_discord_shows_an_id_in_a_code_span_when_one_holds_it_as_listed(
        doc_id: str, shown: str) -> None:
    request = CommandRequest("source", doc_id, Caller("discord", "u1", "u1"), "c1")
    assert _shown_id(request, doc_id) == shown


@pytest.mark.parametrize("value", ["end\\", "\\", "[bold]x", "a\\[bold]b", "a :smile: b"])
def test_the_console_shows_a_field_value_as_it_is(value: str) -> None:
    # Rich's markup `escape` adds a backslash after one that ends a value, and rich showed
    # both: the id `end\` was "Id: end\\" on the console, unlike /sources; and an emoji
    # code was shown as the emoji.
    shown = _shown("console", Reply(title="T").add(Fields([("Id", value)])))
    assert shown.splitlines()[1:] == [f"Id: {value}"], shown
