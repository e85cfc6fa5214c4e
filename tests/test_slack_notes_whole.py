"""A bullet's note is shown whole on Slack, as on Discord and the console: it was clipped to
200 characters, so a claim's closest sentence from an article credited by its long title
lost its date ("… the board confirms in a state…"), and a named feed's URL in /feeds was
cut (a broken link, Slack linking the part left)."""

from __future__ import annotations

import json

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.claims.lookup import CLOSEST_REASON, ClaimAnswer, Evidence, answer_to_reply
from bot.reply import Bullet, Reply
from tests.emulators.slack_api import message_problem

TITLE = ("Harrowgate Rovers manager Miriam Kole leaves the club after a run of five straight "
         "defeats in the Northern League, the board confirms in a statement on Monday evening")


def _slack_text(reply: Reply) -> str:
    messages = render_messages(reply)
    assert all(message_problem(m) is None for m in messages)
    return "\n".join(json.dumps(m["blocks"], ensure_ascii=False) for m in messages)


def test_a_closest_sentence_keeps_its_source_and_date_on_slack() -> None:
    ev = Evidence(sentence="Harrowgate Rovers sacked manager Miriam Kole on Monday.", doc_id="a1",
                  title=TITLE, source=TITLE, published="2024-06-19", outlets=[],
                  stance="mentions", hedged=False, score=0.0, reason=CLOSEST_REASON)
    reply = answer_to_reply(ClaimAnswer("Miriam Kole joined Leeds", "not-found", 0, [ev],
                                        "nothing in the corpus bears on this claim"))
    tail = f"{TITLE}, 2024-06-19)"
    assert tail in _slack_text(reply)
    assert tail in "".join(e.description or "" for m in render_reply(reply) for e in m.embeds)


def test_a_long_feed_url_in_a_note_is_shown_whole_on_slack() -> None:
    url = "https://news.example.com/rss/search?" + "&".join(f"q{n}=word{n}" for n in range(30))
    reply = Reply(title="Feeds").add(Bullet("#1 Example news · every 15 minutes", note=url))
    assert url.replace("&", "&amp;") in _slack_text(reply)
