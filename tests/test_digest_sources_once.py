"""A one-story briefing lists its sources once on every platform (the Sources section was
given both as blocks and as `Reply.sources`, which the Slack and Discord renderers list
again)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown, render_text
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


def test_only_the_sources_the_shown_points_cite_are_listed(
        store: Store, settings: Settings, seeds_copy: Path) -> None:
    # `digest --words 1` listed all five seeds under "Sources" although no point fits in one
    # word; a budget of a few points listed the ones nothing shown cites as well.
    reload_corpus(store, settings, [seeds_copy])
    for words in (1, 60, None):
        digest = build_digest(store, settings, words=words)
        cited = {str(c) for sec in digest.sections for it in sec.items for c in it.citations}
        assert len(cited) < len(digest.sources) or words is None, words  # the case at issue
        reply = digest.to_reply()
        slack = "\n".join(json.dumps(m, ensure_ascii=False) for m in render_messages(reply))
        discord = "\n".join(json.dumps(e.to_dict(), ensure_ascii=False)
                            for m in render_reply(reply) for e in m.embeds)
        for shown in (render_markdown(reply), render_text(reply), slack, discord):
            assert set(_source_lines(shown)) == cited, (words, shown)
        data = digest.to_json()
        assert {str(s["number"]) for s in data["sources"]} == cited
    # A digest of its sources alone lists them all.
    only = build_digest(store, settings, only="sources", words=1)
    assert len(only.cited_sources(only.sections)) == len(only.sources) == 5
    assert len(_source_lines(render_markdown(only.to_reply()))) == 5


def test_copies_are_found_whatever_the_document_order():
    # A, B and C share one sentence; B and C share a second: B and C are copies, though each
    # first meets the shared sentence in A (second reader's case).
    from bot.corpus.article import copied_pairs

    long = "a sentence of well over eight words in it {}"
    rows = [("A", long.format(1), "k1"), ("B", long.format(1), "k1"), ("C", long.format(1), "k1"),
            ("B", long.format(2), "k2"), ("C", long.format(2), "k2"),
            ("A", long.format(3), "k3")]  # A's own sentence: A is no (short) copy
    assert copied_pairs(rows) == {("B", "C")}
