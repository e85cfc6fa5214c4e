"""/reload in chat summarises its report (per kind: the first few files, then a count) so a
reload of many files is one message on Slack and Discord, not one bullet per file; the CLI
keeps its full listing."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.commands import Caller, CommandRequest, Router
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply

ADDED, REJECTED = 60, 15


def write_added_and_empty(corpus: Path, added: int, empty: int) -> None:
    """`added` articles (a000.txt, ...) and `empty` files of blank lines (empty00.txt, ...,
    each rejected: "empty file")."""
    for i in range(added):
        (corpus / f"a{i:03d}.txt").write_text(
            f"Item {i}\n\nPort Elm approved bridge number {i} on Monday, officials said.\n")
    for i in range(empty):
        (corpus / f"empty{i:02d}.txt").write_text("  \n")


def reload_in_chat(core: Core) -> Reply:
    """/reload by a Slack workspace admin."""
    caller = Caller("slack", "U1", is_platform_admin=True, workspace_id="T1")
    return Router(core).handle(CommandRequest("reload", "", caller, "C1"))


def test_reload_reply_summarises_many_files(settings: Settings, corpus: Path) -> None:
    write_added_and_empty(corpus, ADDED, REJECTED)
    core = Core(settings)
    reply = reload_in_chat(core)
    text = reply.plain_text()
    assert len(render_messages(reply)) == 1 and len(render_reply(reply)) == 1
    shown_rejected, shown_added = 10, 5
    # rejections stay visible: the first ones with their reason, then a count
    for i in range(shown_rejected):
        assert f"empty{i:02d}.txt: rejected — empty file" in text
    assert f"empty{shown_rejected:02d}.txt" not in text
    assert f"… and {REJECTED - shown_rejected} more rejected" in text
    for i in range(shown_added):
        assert f"a{i:03d}.txt: added" in text
    assert f"a{shown_added:03d}.txt" not in text
    assert f"… and {ADDED - shown_added} more added" in text
    assert f"{ADDED} added" in text and f"{REJECTED} rejected" in text  # the headline
    run = core.store.last_run()
    assert run is not None
    assert f"briefbot runs show {run['id']}" in text  # the full listing
    core.close()


def test_a_hint_on_an_unchanged_file_is_shown_in_chat(settings: Settings, corpus: Path) -> None:
    # A JSONL file with a line rejected is read again at every reload; from the second on its
    # line is "unchanged (…) — <hint>". `reload -q` shows it (12bec9b); chat's reply left it
    # out as unchanged, so the rejected line was named without what to do about it. An
    # unchanged file without a hint is still left out.
    (corpus / "a.jsonl").write_bytes(
        b'{"id": "one", "text": "Port Elm approved a bridge on Monday, officials said."}\n'
        b'{"id": "two", "text": "Port Elm approved a road."}\r'
        b'{"id": "three", "text": "Port Elm approved a park on Monday, officials said."}\n')
    (corpus / "b.txt").write_text("Item\n\nPort Elm approved a school on Monday, officials said.\n")
    core = Core(settings)
    reload_in_chat(core)
    text = reload_in_chat(core).plain_text()
    assert "a.jsonl: unchanged" in text and "tr '\\r' '\\n'" in text, text
    assert "b.txt" not in text
    core.close()
