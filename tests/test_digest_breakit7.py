"""Break-it tests of briefings (helper fix-digest7): the digest's note names articles on one
printable line, the JSON lists every article of the window (a story the digest cannot use
too), a briefing of several stories shows no empty story header and `--only sources` lists
the sources, a topic with no word is refused, an unknown story id is echoed clipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown, render_text
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.definitions import parse_definition
from bot.errors import UserError
from bot.reply import Bullet, Heading
from tests.test_slack_adapter import strings

INJECTED = "Chile quake toll rises\n# injected header\n- [9] fake source \u202e\x1b[2J"

RECORDS: list[dict[str, Any]] = [
    {"id": "bridge1", "title": "Harbour bridge approved", "published": "2024-05-02",
     "outlet": "Reuters",
     "text": "Port Elm councillors voted on Tuesday to approve a 450-metre harbour bridge and a "
             "new ferry terminal. Mayor Ann Lee said the harbour bridge project would cost $40 "
             "million. The harbour bridge construction starts in June 2025, officials said."},
    {"id": "bridge2", "title": "Bridge vote", "published": "2024-05-03", "outlet": "AP",
     "text": "Port Elm councillors voted on Thursday to approve a 450-metre harbour bridge and a "
             "new ferry terminal. The harbour bridge will cost $40 million, Mayor Ann Lee said. "
             "Critics said the harbour bridge was too expensive for the town."},
    {"id": "quake1", "title": "Quake hits Chile", "published": "2024-05-06", "outlet": "BBC",
     "text": "A magnitude 6.1 earthquake struck northern Chile on Monday, killing 12 people. "
             "Rescue teams searched collapsed buildings in Iquique for survivors. President "
             "Gabriel Boric declared a state of emergency in the Tarapaca region."},
    # Dated 2099: the digest's note names it ("dated more than a day after it was added").
    {"id": "quake2", "title": INJECTED, "published": "2099-05-07", "outlet": "CNN",
     "text": "A magnitude 6.1 earthquake struck northern Chile on Monday, killing 14 people. "
             "Rescue teams in Iquique searched collapsed buildings for survivors on Tuesday. "
             "Gabriel Boric, the president, visited the Tarapaca region on Wednesday."},
    # No word in Latin letters: a story the digest cannot use (the note names it too).
    {"id": "greek", "title": "Μουσείο\n# also injected \u202e", "published": "2024-05-05",
     "text": "Το μουσείο άνοιξε τις πόρτες του σήμερα στην Αθήνα μετά από πέντε χρόνια "
             "εργασιών ανακαίνισης."},
    {"id": "apples", "title": "Apple harvest",
     "text": "Farmers in Kent reported a record apple harvest this autumn after a warm summer "
             "season. The National Farmers Union said yields rose by 20 percent compared with "
             "last year."},
]


@pytest.fixture
def mixed(store: Store, settings: Settings, corpus: Path) -> Store:
    (corpus / "news.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert not report.rejected
    return store


def _defn(*sections: object, **extra: object):  # type: ignore[no-untyped-def]
    data: dict[str, Any] = {"title": "Briefing", "words": 600,
                            "sections": list(sections) or ["key-developments", "sources"]}
    data.update(extra)
    return parse_definition("t", data)


def _renderings(reply: Any) -> dict[str, str]:
    return {
        "markdown": render_markdown(reply),
        "text": render_text(reply),
        # Every string of the Slack messages (the fallback text, each block's mrkdwn).
        "slack": "\n".join(strings(render_messages(reply))),
        "discord": "\n".join(str(e.to_dict().get("description"))
                             for m in render_reply(reply) for e in m.embeds),
    }


def test_the_note_names_articles_on_one_printable_line(mixed: Store, settings: Settings) -> None:
    # The note naming a future-dated article (and a story the digest cannot use) held their
    # titles as they were: a title's newline made "# injected header" a Markdown heading and
    # "- [9] fake source" a source line of its own; a bidi override or an escape sequence
    # reached the terminal.
    # The JSON's `notice` keeps the titles as they are, as its other values do (it held their
    # display escapes, "Chile quake toll rises\\n# injected header").
    digest = build_digest(mixed, settings)
    notice = digest.notice or ""
    assert "dated more than a day after" in notice and "no sentence the digest can use" in notice
    assert digest.to_json()["notice"] == notice
    assert INJECTED in notice and "Μουσείο\n# also injected \u202e" in notice
    renderings = _renderings(digest.to_reply())
    assert "Chile quake toll rises\\n# injected header" in renderings["text"]
    for name, shown in renderings.items():
        lines = [ln.strip() for ln in shown.splitlines()]
        assert not any(ln.startswith(("# injected", "# also injected", "- [9]"))
                       for ln in lines), (name, shown)
        assert "\u202e" not in shown and "\x1b" not in shown, name


def test_json_lists_the_articles_of_a_story_the_digest_cannot_use(
        mixed: Store, settings: Settings) -> None:
    # README: every article of the window is in exactly one story of the JSON. The Greek
    # article's story (no sentence the digest can use) was left out of `stories` altogether.
    digest = build_digest(mixed, settings, every_story=True)
    data = digest.to_json()
    docs = [doc for s in data["stories"] for doc in s["documents"]]
    assert sorted(docs) == sorted(r["id"] for r in RECORDS)
    greek = next(s for s in data["stories"] if "greek" in s["documents"])
    assert set(greek) == {"id", "headline", "documents", "sections"}
    assert all(not sec["items"] for sec in greek["sections"])
    assert "· 3 stories" in data["headline"]  # the count still leaves it out
    assert "greek" not in [d for s in digest.stories for d in s.documents]  # nor is it shown


@pytest.mark.parametrize("kind", ["timeline", "whos-who", "to-watch"])
def test_several_stories_show_no_empty_story_header(
        mixed: Store, settings: Settings, kind: str) -> None:
    # `digest --only timeline` (or a definition of such sections) on several stories showed
    # every top story's header and counts with nothing under it when the story had no item
    # of the kind (the quake story has no dated event).
    digest = build_digest(mixed, settings, definition=_defn("key-developments", kind, "sources"),
                          only=kind)
    assert digest.several
    reply = digest.to_reply()
    shown_stories = [st for st in digest.stories[: digest.max_stories]
                     if (sec := st.section(kind)) is not None and sec.items]
    assert shown_stories  # the case has stories with items and stories without
    assert len(shown_stories) < len(digest.stories)
    text = reply.plain_text()
    assert text.count("open: /brief story ") == len(shown_stories), text
    blocks = reply.blocks
    for i, block in enumerate(blocks):  # every story header has a bullet after its context
        if isinstance(block, Heading) and block.text[:1].isdigit():
            assert isinstance(blocks[i + 2], Bullet), text
    numbers = [b.text.split(".")[0] for b in blocks
               if isinstance(b, Heading) and b.text[:1].isdigit()]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_several_stories_only_sources_lists_every_briefed_article(
        mixed: Store, settings: Settings) -> None:
    # `digest --only sources` of a corpus of several stories printed the story headers and no
    # source at all (no item cites one); one story's digest lists them all, as the README says.
    digest = build_digest(mixed, settings, only="sources")
    assert digest.several
    for name, shown in _renderings(digest.to_reply()).items():
        for rec in ("Harbour bridge approved", "Bridge vote", "Quake hits Chile",
                    "Apple harvest"):
            assert rec in shown, (name, shown)
        assert "open: /brief story" not in shown, name
    assert len(digest.to_json()["sources"]) == len(RECORDS)


def test_a_briefing_with_nothing_to_show_says_so(mixed: Store, settings: Settings) -> None:
    # A budget too small for any item (`words = 1`), or a section the articles give nothing
    # for: the briefing was its headline alone (one story) or headers over nothing (several).
    several = build_digest(mixed, settings, definition=_defn(words=1))
    text = several.to_reply().plain_text()
    assert f"Nothing to show under Key developments: the top {len(several.stories)} stories " \
        "give none, or none fits the word budget." in text
    assert "open: /brief story" not in text
    one = build_digest(mixed, settings, definition=_defn(
        "key-developments", "whos-who", "sources", words=1, stories_about=["harbour"]))
    assert not one.several
    assert "Nothing to show under Key developments, Who's who" in one.to_reply().plain_text()
    full = build_digest(mixed, settings, definition=_defn(stories_about=["harbour"]))
    assert "Nothing to show" not in full.to_reply().plain_text()


@pytest.mark.parametrize("topic", ["the", "!!!", "Αθήνα", "it is"])
def test_a_topic_with_no_word_is_refused(topic: str) -> None:
    # Such a topic filtered nothing: every article was briefed under a digest said to be of
    # that topic (a stories_about term with no word was already refused).
    with pytest.raises(UserError, match="topic .* has no word"):
        _defn(topic=topic)
    assert _defn(topic="  ").topic is None  # blank: no topic, as ""
    assert _defn(topic="harbour").topic == "harbour"


def test_an_unknown_story_id_is_echoed_clipped(mixed: Store, settings: Settings) -> None:
    typed = "Z" * 3000
    with pytest.raises(UserError) as err:
        build_digest(mixed, settings, story=typed)
    assert len(err.value.message) < 200
    assert "'" + "Z" * 40 + "…'" in err.value.message


@pytest.mark.parametrize("only", ["", "  "])
def test_an_empty_only_is_refused_not_ignored(tmp_path: Path, corpus: Path, only: str) -> None:
    # `digest --only "$SECTION"` with the variable unset printed the whole digest, exit 0.
    from tests.test_ingest_reload import reload, run

    (corpus / "news.jsonl").write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert reload(db, corpus).exit_code == 0
    res = run(db, "digest", "--only", only)
    assert res.exit_code != 0
    assert "unknown section" in res.output and "Key developments" not in res.output


def test_text_key_developments_with_nothing_to_show_says_why_on_stderr(
        tmp_path: Path, corpus: Path) -> None:
    # `digest --only key-developments --format text` is for pipes: with no sentence within
    # --words it printed one blank line and nothing else, exit 0, so a reader could not tell
    # why. stdout now stays empty and stderr says why.
    from tests.test_ingest_reload import reload, run

    (corpus / "news.jsonl").write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert reload(db, corpus).exit_code == 0
    res = run(db, "digest", "--only", "key-developments", "--format", "text", "--words", "1")
    assert res.exit_code == 0
    assert res.stdout == ""
    assert res.stderr.startswith("Nothing to show under Key developments: "), res.stderr
    res = run(db, "digest", "--only", "key-developments", "--format", "text", "--words", "200")
    assert res.stdout.strip() and res.stderr == ""


def test_a_source_naming_thousands_of_outlets_is_one_short_line() -> None:
    """A document naming 20,000 outlets made a 149,614-character Sources line in `briefbot
    digest` (each outlet clipped, not the list; a fuzzing session's find)."""
    from bot.reply import SourceRef, source_bullet

    ref = SourceRef(1, "big", title="Bridge", author="Jane Doe",
                    outlets=tuple(f"Outlet number {i}" for i in range(20_000)))
    line = source_bullet(ref).text
    assert len(line) < 1_000 and "[clipped: " in line, len(line)
    assert line.startswith("[1] Bridge — Jane Doe — Outlet number 0, Outlet number 1")
    small = SourceRef(2, "small", title="Bridge", outlets=("AP", "Reuters"))
    assert source_bullet(small).text == "[2] Bridge — AP, Reuters — date unknown"


def test_the_notice_is_one_printable_line_on_the_command_line_and_as_it_is_in_json(
        tmp_path: Path, corpus: Path) -> None:
    # A window whose one story the digest cannot use: `--only key-developments --format text`
    # prints the notice in place of the sentences, on one printable line; `--json` keeps the
    # title it names as it is (it held the display escapes).
    from tests.test_ingest_reload import reload, run

    greek = next(r for r in RECORDS if r["id"] == "greek")
    (corpus / "news.jsonl").write_text(json.dumps(greek) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert reload(db, corpus).exit_code == 0
    res = run(db, "digest", "--only", "key-developments", "--format", "text")
    assert res.exit_code == 0, res.output
    assert "Μουσείο\\n# also injected \\u202e" in res.output and "\u202e" not in res.output
    assert not any(ln.startswith("# also") for ln in res.output.splitlines())
    res = run(db, "digest", "--json")
    assert res.exit_code == 0, res.output
    assert greek["title"] in json.loads(res.output)["notice"]


def test_the_notice_of_a_one_story_briefing_is_one_printable_line(
        mixed: Store, settings: Settings) -> None:
    # The one-story layout shows the notice through its own path: it must escape the titles
    # the notice names as the several-story layout does (a second read's find: no test held
    # that path once the notice kept its titles as they are).
    digest = build_digest(mixed, settings, definition=_defn(stories_about=["quake"]))
    assert not digest.several and INJECTED in (digest.notice or ""), digest.notice
    for name, shown in _renderings(digest.to_reply()).items():
        lines = [ln.strip() for ln in shown.splitlines()]
        assert not any(ln.startswith(("# injected", "- [9]")) for ln in lines), (name, shown)
        assert "\u202e" not in shown and "\x1b" not in shown, name
