"""A digest's `topic` reads an article's title as well as its text (an article whose headline
alone names the topic was left out: "Quake hits Chile" said "earthquake" in its text, and a
`topic = "quake"` digest had "No article matches"), and a `stories_about` that finds nothing
in an empty window does not take the blame for a topic that matched nothing."""

from __future__ import annotations

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.test_digest_breakit7 import _defn, mixed  # noqa: F401


def test_a_topic_in_the_title_alone_keeps_the_article(
        mixed: Store, settings: Settings) -> None:  # noqa: F811
    # quake1's title is "Quake hits Chile", quake2's "Chile quake toll rises …"; their texts
    # say "earthquake": "No article matches the topic 'quake'."
    digest = build_digest(mixed, settings, definition=_defn(topic="quake"))
    assert sorted(s.doc_id for s in digest.sources) == ["quake1", "quake2"], digest.notice


def test_a_topic_matching_nothing_is_named_not_stories_about(
        mixed: Store, settings: Settings) -> None:  # noqa: F811
    digest = build_digest(mixed, settings,
                          definition=_defn(topic="volcano", stories_about=["Chile"]))
    assert digest.notice == "No article matches the topic 'volcano'.", digest.notice
    # A window with stories none of which mentions the terms still says so.
    digest = build_digest(mixed, settings, definition=_defn(stories_about=["volcano"]))
    assert digest.notice == "No story mentions 'volcano'.", digest.notice
