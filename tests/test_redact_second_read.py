"""`shown_url` (what `briefbot sources --json`, `source --json` and `digest --json` give for
an article's URL, and what the log shows) leaves out a user name and password only when the
URL starts with its scheme and two slashes: "https:\\\\alice:pw@host/" (backslashes, a
browser's slashes there; a JSONL `url` is stored as written) kept "alice:pw" in `briefbot
sources --json`, while chat (`link`, which reads them as slashes) showed none; so did
" https://alice:pw@host/" (white space before it, or a tab or line break inside its scheme,
which browsers and `link` drop)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.redact import shown_url, without_credentials


@pytest.mark.parametrize("url", [
    " https://alice:pw@example.com/news/1",
    "\thttps://alice:pw@example.com/news/1",
    "\nhttps://alice:pw@example.com/news/1",
    "ht\ttps://alice:pw@example.com/news/1",
    "https\n://alice:pw@example.com/news/1",
    "https:\\\\alice:pw@example.com/news/1",
])
def test_credentials_after_white_space_are_left_out(url: str) -> None:
    for shown in (without_credentials(url), shown_url(url)):
        assert "alice" not in shown and "pw" not in shown, shown
        assert "***@example.com/news/1" in shown, shown


def test_a_jsonl_url_with_backslashes_shows_no_password_in_json(
        store: Store, settings: Settings, corpus: Path) -> None:
    # (stored as written, its ends stripped; chat's `link` reads the backslashes as slashes)
    (corpus / "c.jsonl").write_text(json.dumps(
        {"id": "a1", "title": "Harbour fares", "url": "https:\\\\alice:pw@example.com/news/1",
         "text": "The harbour authority of Port Elm raised the ferry fares by a third."})
        + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    out = CliRunner().invoke(cli, ["--db", str(settings.db_path), "sources", "--json"])
    assert out.exit_code == 0, out.output
    assert "alice" not in out.output and "pw@" not in out.output, out.output


# A name run together that ends in "key" was read as an API key's, so English words ending
# so were secrets too, and an article's working link with one ("?topic=x&hockey=nhl",
# "?turkey=recipes") was shown as code, "hockey=***", not as a link.
@pytest.mark.parametrize("name", ["hockey", "turkey", "monkey", "whiskey", "Hockey", "TURKEY",
                                  "ice_hockey", "best-whiskey"])
def test_english_words_ending_in_key_are_no_secrets(name: str) -> None:
    from bot.redact import is_secret_parameter, shown_url
    assert not is_secret_parameter(name)
    url = f"https://example.com/a/1?{name}=nhl&page=2"
    assert shown_url(url) == url


def test_no_english_word_of_wordnet_is_a_key_by_its_ending() -> None:
    """The rule for "key" at a name's end is checked against every one-word lemma of the
    shipped WordNet table ending so: none is a secret but a key's own names ("key",
    "passkey")."""
    import sqlite3

    from bot.redact import is_secret_parameter
    from bot.text.wordnet import LEXICON

    with sqlite3.connect(f"file:{LEXICON}?mode=ro", uri=True) as db:
        words = {r[0] for r in db.execute("select form from lemma where form glob '*key'")
                 if r[0].isalpha()}
    assert len(words) > 20  # hockey, jockey, lackey, malarkey, monkey, turkey, whiskey, …
    assert {w for w in words if is_secret_parameter(w)} == {"key", "passkey"}


@pytest.mark.parametrize("name", ["apiKey", "APIKEY", "myApiKey", "clientKey", "hmacKey",
                                  "v2Key", "secretkey", "privatekey", "licensekey",
                                  "accesskey", "x-api-key", "Ocp-Apim-Subscription-Key"])
def test_names_of_keys_run_together_are_still_secrets(name: str) -> None:
    from bot.redact import is_secret_parameter
    assert is_secret_parameter(name)
