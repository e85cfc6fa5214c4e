"""Articles dated in the future (a feed item of 2099, a typo'd year): their date made them the
briefing's newest article for good, so their story took the full recency bonus in every
briefing, every real story behind it decades old by comparison and losing its bonus, and they
never left the window of the latest articles. A date more than a day after the article was
added now counts as the day it was added, and the digest's note says so."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.test_ingest_reload import reload, run

TODAY = datetime.now(UTC).date()
RECENT = [(TODAY - timedelta(days=1)).isoformat(), TODAY.isoformat()]

BRIDGE = [
    ("The city council voted 9 to 4 on Tuesday to approve a new bridge across the harbour. "
     "Mayor Ann Lindqvist said construction of the harbour bridge would start next spring. "
     "The harbour bridge will cost 240 million euros and open to traffic in 2029."),
    ("Councillors approved the harbour bridge on Tuesday after a three-year debate. "
     "Opponents of the harbour bridge said they would challenge the vote in court. "
     "The ferry operator Nordline declined to comment on the harbour bridge plans."),
]
ORCHARD = ("Apple growers in the northern valley reported a record harvest this autumn. "
           "The growers' cooperative said prices for cider apples had doubled since spring. "
           "Orchard owners plan to plant four thousand new apple trees in the valley.")


def _corpus(folder: Path, orchard_date: str) -> None:
    records: list[dict[str, Any]] = [
        {"id": f"bridge-{i}", "title": f"Harbour bridge approved ({i})", "text": text,
         "published": RECENT[i], "outlet": ["Harbour Herald", "Port Times"][i]}
        for i, text in enumerate(BRIDGE)]
    records.append({"id": "orchard", "title": "Record apple harvest in the valley",
                    "text": ORCHARD, "published": orchard_date, "outlet": "Valley News"})
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                       encoding="utf-8")


def _digest(db: Path) -> dict[str, Any]:
    res = run(db, "digest", "--json")
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(res.output)
    return data


def test_an_article_dated_2099_does_not_outrank_todays_news(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    _corpus(corpus, "2099-05-02")
    before = datetime.now(UTC).date()
    assert reload(db, corpus).exit_code == 0
    after = datetime.now(UTC).date()  # (a run that crosses midnight UTC: either day)
    digest = _digest(db)
    order = [s["documents"] for s in digest["stories"]]
    assert order == [["bridge-0", "bridge-1"], ["orchard"]], order
    assert "2099" not in digest["headline"]
    assert digest["notice"] in {
        "1 article is dated more than a day after it was added, ranked as new as the day it "
        f"was added: Record apple harvest in the valley (2099-05-02, added {added})."
        for added in (before, after)}
    [orchard] = [s for s in digest["sources"] if s["id"] == "orchard"]
    assert orchard["published"] == "2099-05-02"  # shown as the article gives it


def test_the_same_article_dated_today_ranks_as_before(tmp_path: Path, corpus: Path) -> None:
    """The control: dated today (or tomorrow: a day's grace for time zones), the orchard story
    is ranked by its date as ever, and no note is given."""
    db = tmp_path / "t.db"
    _corpus(corpus, (TODAY + timedelta(days=1)).isoformat())
    assert reload(db, corpus).exit_code == 0
    digest = _digest(db)
    assert digest["notice"] is None
    assert [s["documents"] for s in digest["stories"]] == [["bridge-0", "bridge-1"], ["orchard"]]


def test_an_old_article_dated_2099_leaves_the_window_of_the_latest(
        settings: Settings, corpus: Path) -> None:
    """Added long ago with a date of 2099, it sorted after every real article and stayed in
    the window of the latest `max_documents` for good; it is now as old as when it came."""
    _corpus(corpus, "2099-05-02")
    assert reload(settings.db_path, corpus).exit_code == 0
    store = Store(settings.db_path)
    try:
        store.db.execute("update documents set first_ingested_at = ? where id = 'orchard'",
                         [(TODAY - timedelta(days=300)).isoformat() + "T08:00:00+00:00"])
        store.db.conn.commit()
        digest = build_digest(store, settings, max_documents=2)
    finally:
        store.close()
    assert [s.documents for s in digest.stories] == [["bridge-0", "bridge-1"]]


def test_a_date_in_the_future_anchors_no_timeline_date(tmp_path: Path, corpus: Path) -> None:
    """A yearless date in an article dated ahead of its adding takes the year of its story's
    other articles, not the doubtful one: "on May 2" in an article of 2099 was a timeline item
    of 2099-05-02."""
    db = tmp_path / "t.db"
    year = TODAY.year - 1  # (whatever the day the test runs, not ahead of its adding)
    records = [
        {"id": f"bridge-{i}", "title": f"Harbour bridge approved ({i})", "text": text,
         "published": f"{year}-01-1{i}", "outlet": ["Harbour Herald", "Port Times"][i]}
        for i, text in enumerate(BRIDGE)]
    records.append({"id": "ahead", "title": "Harbour bridge works to start",
                    "published": "2099-01-12", "outlet": "Valley News",
                    "text": "Work on the harbour bridge approved by the city council will start "
                            "on May 2, Mayor Ann Lindqvist said."})
    (corpus / "news.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                       encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    res = run(db, "digest", "--only", "timeline", "--json")
    assert res.exit_code == 0, res.output
    [timeline] = json.loads(res.output)["sections"]
    dates = {item["date"]: item["text"] for item in timeline["items"]}
    assert f"{year}-05-02" in dates, dates
    assert not any(d.startswith("2099") for d in dates), dates
