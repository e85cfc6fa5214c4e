"""Chat shows a user error beginning as a sentence: the messages the command line writes after
"Error: " ("no digest named …") began in lower case in chat, beside chat's own "Usage: …"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.testing import TestAdapter
from bot.chat.commands import as_sentence
from bot.config import Settings
from tests.conftest import reloaded_core


@pytest.mark.parametrize(("message", "shown"), [
    ("no digest named 'dialy'; available: daily", "No digest named 'dialy'; available: daily"),
    ("unknown timezone 'Mars/Olympus'", "Unknown timezone 'Mars/Olympus'"),
    ("line 3: empty claim", "Line 3: empty claim"),
    ("digests/daily.toml is not valid TOML", "digests/daily.toml is not valid TOML"),
    ("'0 8 31 4 *' never fires", "'0 8 31 4 *' never fires"),
    ("briefbot reload first", "briefbot reload first"),
    ("https://news.example/feed.xml: HTTP 404", "https://news.example/feed.xml: HTTP 404"),
    ("daily: no sections", "daily: no sections"),
    ("Usage: /claim TEXT", "Usage: /claim TEXT"),
    ("x", "x"),
    ("", ""),
])
def test_an_opening_word_is_capitalised_and_a_name_or_value_left(message: str,
                                                                  shown: str) -> None:
    assert as_sentence(message) == shown


def test_a_chat_user_error_begins_as_a_sentence(settings: Settings, corpus: Path) -> None:
    core = reloaded_core(settings, corpus, {"a.txt": "Ports\n\nThe ports pact was signed.\n"})
    try:
        reply = TestAdapter(core).send("/source no-such-document")
        assert reply.kind == "error"
        assert reply.plain_text().startswith("No source with id 'no-such-document'"), \
            reply.plain_text()
    finally:
        core.close()
