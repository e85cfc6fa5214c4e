"""A one-story briefing lists its sources once on every platform (the Sources section was
given both as blocks and as `Reply.sources`, which the Slack and Discord renderers list
again)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest


def _source_lines(text: str) -> list[str]:
    """The numbers of listed sources: "[n] Title…", not a citation ("[n]" at a sentence's
    end, "[n][m]", "[n] _(2 sources)_")."""
    return re.findall(r"\[(\d+)\] (?![_*(])\S", text)


def test_a_one_story_briefing_lists_each_source_once_everywhere(
        store: Store, settings: Settings, seeds_copy: Path) -> None:
    reload_corpus(store, settings, [seeds_copy])
    digest = build_digest(store, settings)
    assert len(digest.stories) == 1
    reply = digest.to_reply()
    expected = sorted(str(s.number) for s in digest.sources)
    assert sorted(_source_lines(render_markdown(reply))) == expected
    slack = "\n".join(json.dumps(m, ensure_ascii=False) for m in render_messages(reply))
    assert sorted(_source_lines(slack)) == expected
    discord = "\n".join(json.dumps(e.to_dict(), ensure_ascii=False)
                        for m in render_reply(reply) for e in m.embeds)
    assert sorted(_source_lines(discord)) == expected
