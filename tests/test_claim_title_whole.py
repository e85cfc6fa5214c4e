"""A /claim answer shows the claim it looked up whole: its title held the first 200
characters, cut without a mark, so a long claim's last words (its date, its place: what
the verdict is about) were not shown anywhere in chat. The platforms' renderers fit a long
title (Discord: the whole in bold under a shortened title; Slack: bold text, not a header)."""

from __future__ import annotations

import io
import json

from rich.console import Console

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_terminal import render_terminal
from bot.claims.lookup import ClaimAnswer, answer_to_reply
from tests.emulators.discord_api import _validate_message
from tests.emulators.slack_api import message_problem

CLAIM = ("Harrowgate Rovers, the Northern League side whose supporters had protested outside "
         "the ground for three weeks, sacked their manager Miriam Kole after a fifth straight "
         "defeat, a 3-0 loss at home to Kestrel Bay, on the evening of Monday 19 June 2024")


def test_a_long_claim_is_shown_whole_on_every_platform() -> None:
    assert len(CLAIM) > 200
    reply = answer_to_reply(ClaimAnswer(CLAIM, "not-found", 0, [], "nothing bears on it"))
    tail = "Kestrel Bay, on the evening of Monday 19 June 2024"
    messages = render_reply(reply)
    for m in messages:
        assert _validate_message({"embeds": [e.to_dict() for e in m.embeds]}, new=True,
                                 n_files=0) is None
    assert tail in "\n".join(f"{e.title}\n{e.description}" for m in messages for e in m.embeds)
    slack = render_messages(reply)
    assert all(message_problem(m) is None for m in slack)
    assert tail in json.dumps([m["blocks"] for m in slack], ensure_ascii=False)
    console = Console(file=io.StringIO(), width=400)
    render_terminal(reply, console)
    assert tail in console.file.getvalue()  # type: ignore[attr-defined]
    assert tail in reply.plain_text()
