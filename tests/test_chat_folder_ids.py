"""Document ids with folders in them (`hello/index`, `b c/notes`: files of one name in two
folders) in chat and the CLI: /sources lists them, /source and `briefbot source` open them
(whole or by a prefix), claims and digests cite their documents, on Slack and Discord; and the
command a clipped /source gives for the whole text opens the article when pasted into a shell
(`briefbot source my trip/index` was two arguments: "Got unexpected extra argument")."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.adapters.testing import TestAdapter
from bot.chat.commands import _source_command
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply
from tests.test_ingest_reload import run

CRANE = ("A crane collapsed at the Port Elm container terminal on Monday, injuring three dock "
         "workers, the port authority said.")
FILES = {
    "posts/hello/index.md": f"---\ntitle: Crane collapse\n---\n\n{CRANE}\n",
    "posts/world/index.md": "---\ntitle: Port accident\n---\n\nThree dock workers were injured "
                            "on Monday when a crane collapsed at the Port Elm container "
                            "terminal, officials said.\n",
    "a/b c/notes.txt": "Harbour notes\n\nThe harbour master of Port Elm retired on Friday.\n",
    "d/b c/notes.txt": "Ferry notes\n\nA new ferry line to Tarsby opens next week.\n",
    # Longer than /source shows in chat: clipped, with the command giving the whole text.
    "my trip/index.md": "---\ntitle: Trip diary\n---\n\n" + "\n\n".join(
        f"On day {i} of the trip the ferry from Port Elm reached harbour number {i} after "
        f"a crossing of {i + 3} hours in calm weather." for i in range(160)) + "\n",
}
IDS = {"hello/index": "Crane collapse", "world/index": "Port accident",
       "notes": "Harbour notes", "b c/notes": "Ferry notes", "my trip/index": "Trip diary"}


@pytest.fixture
def core(settings: Settings, corpus: Path) -> Iterator[Core]:
    for name, text in FILES.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    c = Core(settings)
    c.reload()
    yield c
    c.close()


def _rendered(reply: Reply) -> dict[str, str]:
    """The reply as each platform posts it (Slack blocks, Discord embeds), as JSON text."""
    return {"slack": json.dumps([m["blocks"] for m in render_messages(reply)],
                                ensure_ascii=False),
            "discord": json.dumps([[e.to_dict() for e in m.embeds]
                                   for m in render_reply(reply)], ensure_ascii=False)}


def test_ids_with_folders_are_listed_opened_and_cited_on_every_platform(core: Core) -> None:
    assert {d["id"]: d["title"] for d in core.sources()} == IDS
    for platform in ("slack", "discord"):
        bot = TestAdapter(core, platform=platform)
        listed = _rendered(bot.send("/sources"))
        for doc_id in IDS:  # (on Discord in a code span, as its Markdown would read it)
            shown = f"`{doc_id}`" if platform == "discord" else doc_id
            assert f"(id {shown})" in listed[platform]
        for typed, doc_id in (("hello/index", "hello/index"), ("hello", "hello/index"),
                              ("b c/notes", "b c/notes"), ('"b c/notes"', "b c/notes"),
                              ("world/", "world/index")):
            reply = bot.send(f"/source {typed}")
            assert reply.kind != "error", (typed, reply.plain_text())
            shown = _rendered(reply)[platform]
            assert IDS[doc_id] in shown and doc_id in shown, (typed, shown)
        claim = bot.send("/claim A crane collapsed at the Port Elm container terminal, "
                         "injuring three dock workers.")
        assert {s.doc_id for s in claim.sources} >= {"hello/index", "world/index"}
        shown = _rendered(claim)[platform]
        assert "Crane collapse" in shown and "Port accident" in shown
        brief = _rendered(bot.send("/brief"))[platform]
        assert "Crane collapse" in brief and "Port accident" in brief


def test_the_clipped_sources_command_opens_it_in_a_shell(core: Core,
                                                         settings: Settings) -> None:
    reply = TestAdapter(core, platform="slack").send("/source my trip/index")
    text = reply.plain_text()
    assert "[clipped:" in text
    # Pasted into a shell, the command it gives is one id, and opens the article.
    command = text.split("the whole text: `", 1)[1].split("`", 1)[0]
    args = shlex.split(command)
    assert args == ["briefbot", "source", "my trip/index"], command
    out = run(settings.db_path, *args[1:])
    assert out.exit_code == 0 and "harbour number 159" in out.output, out.output
    # Nothing in an id is run by the shell; one that cannot be pasted as one line is left to
    # `briefbot sources`.
    assert shlex.split(_source_command("$(reboot)/index").strip("`"))[2] == "$(reboot)/index"
    for odd in ("a\nb/index", "x" * 400, "a`b/index"):
        assert _source_command(odd) == "`briefbot source ID` (the ids: `briefbot sources`)"


def test_the_cli_opens_ids_with_folders(core: Core, settings: Settings) -> None:
    for typed, doc_id in (("hello/index", "hello/index"), ("hello", "hello/index"),
                          ("b c/notes", "b c/notes"), ("notes", "notes")):
        out = run(settings.db_path, "source", typed)
        assert out.exit_code == 0 and f"id: {doc_id} ·" in out.output, (typed, out.output)
