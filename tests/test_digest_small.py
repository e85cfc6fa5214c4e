"""Small briefing defects (helper digest-small): the story count of the headline does not
depend on `max_stories`, plain text upper-cases a heading without mangling its escapes, the
definition's titles are shown on one printable line, a year before 1800 after "in" dates
an event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import Section, build_digest
from bot.reply import Heading, Reply, printable_line, render_text
from tests.test_digest_breakit7 import INJECTED, RECORDS, _defn, _renderings, mixed  # noqa: F401


@pytest.mark.parametrize("max_stories", [1, 2, 8])
def test_the_story_count_does_not_depend_on_max_stories(
        mixed: Store, settings: Settings, max_stories: int) -> None:  # noqa: F811
    # The window has 3 stories with something to show and one (Greek) with no sentence the
    # digest can use. Stories beyond the top `max_stories` were counted unchecked: "4
    # stories" with max_stories 1 or 2, "3 stories" with 8.
    digest = build_digest(mixed, settings, definition=_defn(max_stories=max_stories))
    assert digest.headline.endswith("· 3 stories"), digest.headline
    assert "greek" not in [d for st in digest.stories for d in st.documents]
    assert "1 story had no sentence the digest can use" in (digest.notice or "")
    assert len(digest.stories) == 3
    every = build_digest(mixed, settings, definition=_defn(max_stories=max_stories),
                         every_story=True)  # --json briefs every story: the same count
    assert every.headline == digest.headline


def test_a_text_heading_keeps_its_escapes() -> None:
    # `--format text` upper-cased a heading after its unprintable characters were escaped:
    # "\n" showed as "\N", a bidi override "\u202e" as "\U202E" (another escape's form).
    shown = printable_line("1. Chile quake\n# header \u202e\x1b[2J \U000e0001")
    text = render_text(Reply(title=None).add(Heading(shown)))
    assert text == "1. CHILE QUAKE\\n# HEADER \\u202e\\x1b[2J \\U000e0001\n"
    assert render_text(Reply(title=None).add(Heading("Who's who"))) == "WHO'S WHO\n"


def test_the_digest_text_shows_a_story_headline_escaped_as_written(
        mixed: Store, settings: Settings) -> None:  # noqa: F811
    text = render_text(build_digest(mixed, settings).to_reply())
    assert "1. CHILE QUAKE TOLL RISES\\n# INJECTED HEADER\\n- [9] FAKE SOURCE \\u202e\\x1b[2J" \
        in text, text
    assert "\\N" not in text and "\\U202E" not in text


HOSTILE = "Key\n# injected heading\n- [9] fake \u202e\x1b[2J"


@pytest.mark.parametrize("about", [["harbour"], []])  # one story; several
def test_the_definition_titles_are_shown_on_one_printable_line(
        mixed: Store, settings: Settings, about: list[str]) -> None:  # noqa: F811
    # A section's title (or the digest's) from digests/*.toml reached every rendering as
    # written: a newline made "# injected heading" a Markdown heading of its own, a bidi
    # override or an escape sequence reached the terminal.
    defn = _defn({"kind": "key-developments", "title": HOSTILE},
                 {"kind": "sources", "title": "Sources " + HOSTILE},
                 title="Briefing " + HOSTILE, stories_about=about)
    digest = build_digest(mixed, settings, definition=defn)
    assert digest.several == (not about)
    for name, shown in _renderings(digest.to_reply()).items():
        lines = [ln.strip().lstrip("#*_ ") for ln in shown.splitlines()]
        assert not any(ln.startswith(("injected", "- [9]", "[9]")) for ln in lines), (name, shown)
        assert "\u202e" not in shown and "\x1b" not in shown, (name, shown)
    assert digest.to_json()["title"] == "Briefing " + HOSTILE  # the JSON keeps them as written
    # With nothing to show, the line that says so names the sections on one line too.
    empty = build_digest(mixed, settings, definition=_defn(
        {"kind": "key-developments", "title": HOSTILE}, "sources", words=1, stories_about=about))
    text = empty.to_reply().plain_text()
    assert "Nothing to show under Key\\n# injected heading" in text, text
    assert "\u202e" not in text


def test_cli_nothing_to_show_names_the_section_on_one_line(
        tmp_path: Path, corpus: Path) -> None:
    from tests.test_ingest_reload import reload, run

    (corpus / "news.jsonl").write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "hostile.toml").write_text(
        'title = "Hostile"\n[[sections]]\nkind = "key-developments"\n'
        'title = "Key\\n# injected \\u202e"\n', encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[digests]\nfolder = "{digests}"\ndefault = "hostile"\n',
                      encoding="utf-8")
    db = tmp_path / "t.db"
    assert reload(db, corpus, config=config).exit_code == 0
    res = run(db, "digest", "--only", "key-developments", "--format", "text", "--words", "1",
              config=config)
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("Nothing to show under Key\\n# injected \\u202e: "), res.stderr


@pytest.mark.parametrize(("text", "dates"), [
    ("The colonies declared independence in 1776.", [("1776", True)]),
    ("In 1776, the colonies declared independence.", [("1776", True)]),
    ("The treaty was signed during 1648, ending decades of war.", [("1648", True)]),
    ("Fighting spread in 1600 villages after the treaty.", []),  # a noun follows: a count
    ("The declaration was signed on July 4, 1776, in Philadelphia.", [("1776-07-04", True)]),
    ("It was signed on 4 July 1776.", [("1776-07-04", True)]),
    ("The siege ended in March 1689 when the gates opened.", [("1689-03", True)]),
    # counts, as before: a noun follows the number
    ("Aid reached people in 1500 homes.", []),
    ("On June 19, 1500 people marched.", [("2024-06-19", True)]),
    ("Prices rose in 1500.5 percent of cases.", []),
    ("The ship left with 1700 sailors.", []),
])
def test_a_year_before_1800_dates_the_event_where_no_count_can_be(
        text: str, dates: list[tuple[str, bool]]) -> None:
    from bot.digest.timeline import extract_dates

    assert [(m.iso, m.event) for m in extract_dates(text, "2024-06-20")] == dates


def test_the_timeline_dates_an_event_of_1776(store: Store, settings: Settings,
                                             corpus: Path) -> None:
    # "in 1776" was no date at all (years began at 1800): the event had no timeline item.
    from bot.corpus.reload import reload_corpus

    record = {"id": "museum", "title": "Museum reopens", "published": "2024-05-02",
              "outlet": "Reuters",
              "text": "The Old State House museum in Boston reopened on Tuesday after a long "
                      "restoration. The declaration was first read from its balcony in 1776, "
                      "the museum said. Curators restored the council chamber and its windows "
                      "with period glass."}
    (corpus / "news.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    timeline = build_digest(store, settings, only="timeline").section("timeline")
    assert timeline is not None
    assert [(it.date, it.text.split()[1]) for it in timeline.items][0] == ("1776", "declaration")


def test_to_watch_does_not_take_a_year_before_1800_for_a_figure(
        store: Store, settings: Settings, corpus: Path) -> None:
    # The timeline reads "in 1776," as a date (`_OLD_YEAR`), but "to watch" skipped only the
    # years 1800-2099: 1776, found in one article, was listed as a single-source figure. A
    # count under 1800 ("1500 homes") is still a figure, as the timeline reads it.

    records = [
        {"id": "museum", "title": "Museum reopens", "published": "2024-05-02",
         "outlet": "Reuters",
         "text": "The Old State House museum in Boston reopened on Tuesday after a long "
                 "restoration. The declaration was first read from its balcony in 1776, the "
                 "museum said. Curators restored the council chamber and its windows with "
                 "period glass."},
        {"id": "flood", "title": "Floods in the valley", "published": "2024-05-03",
         "outlet": "AP",
         "text": "Floods in the river valley reached 1500 homes on Wednesday, officials said. "
                 "Rescue teams used boats to reach families stranded on roofs."},
    ]
    watch = to_watch_of(store, settings, corpus, records)
    notes = [(it.text.split()[1], it.note) for it in watch.items]
    assert ("declaration", "single-source figure") not in notes
    assert ("in", "single-source figure") in notes  # "Floods in the river valley reached 1500 homes"


def to_watch_of(store: Store, settings: Settings, corpus: Path,
                records: list[dict[str, str]]) -> Section:
    """The "to watch" section of `records` (JSONL records) reloaded, built by a definition of
    it alone: every sentence is its candidate (`--only to-watch` leaves out what the whole
    digest's key developments show)."""
    from bot.corpus.reload import reload_corpus
    from bot.digest.definitions import load_definition

    (corpus / "news.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    watch_only = load_definition(settings.digests_dir, settings.default_digest).only("to-watch")
    watch = build_digest(store, settings, definition=watch_only).section("to-watch")
    assert watch is not None
    return watch
