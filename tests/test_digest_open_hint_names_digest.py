"""How a briefing of several stories says to open one, in a digest that is not the default.

A topic digest groups its own (filtered) articles, so its stories have their own ids; its
hint named no digest, "open: briefbot digest --story 10414c" (chat: "/brief story 10414c"),
which opened the default digest and answered "No story '10414c' in the current briefing;
stories: 934741, 58c1a4, bacbbb". The hint now names the digest it comes from."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.chat.render_markdown import render_text
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from tests.conftest import ROOT
from tests.test_digest_stories import story_records

TOPIC_DIGEST = """title = "Snow watch"
words = 600
topic = "snowfall"
[[sections]]
kind = "key-developments"
[[sections]]
kind = "sources"
"""


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Core:
    records = story_records(12, 3)
    for r in records:  # two of each story's three articles mention the snowfall
        if not r["id"].endswith("-2"):
            r["text"] += " Heavy snowfall slowed the work of the crews."
    (corpus / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                    encoding="utf-8")
    digests = tmp_path / "digests"
    shutil.copytree(ROOT / "digests", digests)
    (digests / "snow.toml").write_text(TOPIC_DIGEST, encoding="utf-8")
    settings.digests_dir = digests
    settings.default_paths = [corpus]
    core = Core(settings)
    core.reload()
    return core


def _hinted_ids(text: str, hint: str) -> list[str]:
    return re.findall(re.escape(hint) + r"([0-9a-f]+)", text)


def test_the_hint_of_a_topic_digest_names_it_and_opens_its_story(core: Core) -> None:
    text = render_text(core.digest_reply("snow"))
    ids = _hinted_ids(text, "open: /brief snow story ")
    assert len(ids) >= 2, text
    opened = render_text(core.digest_reply("snow", story=ids[0]))
    assert "Snow watch:" in opened
    discord = render_text(core.digest_reply("snow", platform="discord"))
    assert _hinted_ids(discord, "open: /brief name:snow story:") == ids


def test_the_default_digest_s_hint_names_none(core: Core) -> None:
    text = render_text(core.digest_reply())
    assert len(_hinted_ids(text, "open: /brief story ")) >= 2, text
    assert _hinted_ids(render_text(core.digest_reply("daily")), "open: /brief story ") == \
        _hinted_ids(text, "open: /brief story ")


def test_the_command_line_hint_opens_the_story(core: Core, settings: Settings) -> None:
    db = ["--db", str(settings.db_path)]
    assert settings.digests_dir is not None
    config = settings.digests_dir.parent / "briefbot.toml"
    config.write_text(f"[digests]\nfolder = {json.dumps(str(settings.digests_dir))}\n",
                      encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, [*db, "--config", str(config), "digest", "snow"])
    assert out.exit_code == 0, out.output
    ids = _hinted_ids(out.output, "open: briefbot digest snow --story ")
    assert len(ids) >= 2, out.output
    opened = runner.invoke(cli, [*db, "--config", str(config), "digest", "snow", "--story",
                                 ids[0]])
    assert opened.exit_code == 0, opened.output
