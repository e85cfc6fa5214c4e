"""Cleaning and metadata on each seed article, through `briefbot reload` and `source --json`.

The expectations are test data about the seeds; the rules under test are general (see
test_ingest_cleaning.py for the same kinds of chrome in other wording)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Copy of /work/shared/eval/boilerplate.txt: phrases of site chrome that must not survive.
BOILERPLATE = [
    "spread the love", "subscribe", "leave a comment", "scroll to top", "how can i help you",
    "chatten und kaufen", "views:1021", "more like this", "share post", "website | + posts",
    "required fields", "nigeria", "landing cost", "stay informed",
    "highly respected article writer", "min read", "email address will not be published",
    "employment agencies",
]

EXPECTED: dict[str, dict[str, Any]] = {
    "000_6051bb62f85c3fae": {
        "title": "The Secret Alliance: How Putin's Payment to Kim Jong Un Changed the Power "
                 "Dynamics in Russia – The New York Times",
        "author": "Prof. Serban Gabriel", "published": "2024-12-18", "dateline": None,
        "dateline_date": None, "wire": None, "outlets": ["The New York Times"],
    },
    "001_c57c982180b7eec7": {
        "title": "Putin and Kim Jong Un: Unlikely Partners in a Changing World",
        "author": None, "published": None, "dateline": None, "dateline_date": None,
        "wire": None, "outlets": ["Radio Free Europe"],
    },
    "002_4965b19ef9fb6ed8": {
        "title": "West Panics over Putin’s Strategic Alliance with North Korea: A Major Shift "
                 "in Geopolitics",
        "author": None, "published": None, "dateline": "MOSCOW/SEOUL, June 19 (Reuters)",
        "dateline_date": "--06-19", "wire": "Reuters", "outlets": ["Reuters"],
    },
    "003_27b58e3d0ae33eb3": {
        "title": "Putin and Kim Forge Strategic Alliance in Landmark Visit, Sign New Defense and "
                 "Cooperation Pact",
        "author": None, "published": None, "dateline": None, "dateline_date": None,
        "wire": None, "outlets": [],
    },
    "004_4ae59e606d827ed0": {
        "title": "Putin's Alliance With North Korea",
        "author": "Alexangel Ventura", "published": "2024-08-10", "dateline": None,
        "dateline_date": None, "wire": None, "outlets": [],
    },
}

# Where each article's own text starts and ends in the raw file (first words of the lines).
BODY_SPAN = {
    "000_6051bb62f85c3fae": ("The world of geopolitics", "As the situation progresses"),
    "001_c57c982180b7eec7": ("Common Ground Amid Isolation", "As Russia and North Korea inch"),
    "002_4965b19ef9fb6ed8": ("MOSCOW/SEOUL, June 19", "Putin’s alliance with Kim Jong Un marks"),
    "003_27b58e3d0ae33eb3": ("The recent visit of Russian", "Overall, the deepening"),
    "004_4ae59e606d827ed0": ("Since Putin signed", "The Putin-Kim summit in June"),
}

# Lines inside the body span that are chrome or orphan headings, not article text.
NOT_ARTICLE = ["Thank you for reading this post", "Visualizing the Alliance", "Stay Informed"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("“", '"').replace("”", '"')).strip()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "reload", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    docs = {}
    for doc_id in EXPECTED:
        res = runner.invoke(cli, ["--db", db, "source", doc_id, "--json"])
        assert res.exit_code == 0, res.output
        docs[doc_id] = json.loads(res.output)
    listing = json.loads(runner.invoke(cli, ["--db", db, "sources", "--json"]).output)
    for d in listing:
        docs[d["id"]]["_listing"] = d
    return docs


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_metadata(loaded: dict[str, dict[str, Any]], doc_id: str) -> None:
    doc = loaded[doc_id]
    got = {k: doc[k] for k in EXPECTED[doc_id]}
    assert got == EXPECTED[doc_id]
    assert doc["_listing"]["sentences"] == len(doc["sentence_list"])


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_no_chrome_survives(loaded: dict[str, dict[str, Any]], doc_id: str) -> None:
    doc = loaded[doc_id]
    texts = [s["text"] for s in doc["sentence_list"]] + [doc["text"]]
    for text in texts:
        low = _norm(text).lower()
        for phrase in BOILERPLATE:
            assert phrase not in low, f"{phrase!r} survived in {doc_id}: {text[:120]!r}"


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_no_article_sentence_lost(loaded: dict[str, dict[str, Any]], doc_id: str) -> None:
    raw = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8").splitlines()
    first, last = BODY_SPAN[doc_id]
    start = next(i for i, ln in enumerate(raw) if ln.lstrip("- ").startswith(first))
    end = next(i for i, ln in enumerate(raw) if ln.startswith(last))
    stored = _norm(" ".join(s["text"] for s in loaded[doc_id]["sentence_list"]))
    checked = 0
    for line in raw[start : end + 1]:
        line = line.strip()
        if not line or any(line.startswith(p) for p in NOT_ARTICLE):
            continue
        # Naive split: end punctuation, space, capital or opening quote.
        for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line):
            assert _norm(piece) in stored, f"lost from {doc_id}: {piece!r}"
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_sentences_are_ordered_and_placed(loaded: dict[str, dict[str, Any]], doc_id: str) -> None:
    sents = loaded[doc_id]["sentence_list"]
    assert [s["position"] for s in sents] == list(range(len(sents)))
    paragraphs = [s["paragraph"] for s in sents]
    assert paragraphs == sorted(paragraphs)
    assert all(s["kind"] in ("body", "heading") for s in sents)
    assert sum(1 for s in sents if s["kind"] == "body") >= 10


def test_seed_headers_and_tails_not_in_text(loaded: dict[str, dict[str, Any]]) -> None:
    # Byline/date lines are metadata, not sentences; the first sentence is the article's.
    first = {d: loaded[d]["sentence_list"][0]["text"] for d in EXPECTED}
    assert first["000_6051bb62f85c3fae"].startswith("The world of geopolitics")
    assert first["004_4ae59e606d827ed0"].startswith("Since Putin signed")
    assert first["002_4965b19ef9fb6ed8"].startswith("MOSCOW/SEOUL, June 19 (Reuters)")
    # 001: the view counter, author box and bio after the article are dropped.
    last_001 = loaded["001_c57c982180b7eec7"]["sentence_list"][-1]["text"]
    assert last_001.startswith("As Russia and North Korea inch closer")
    # 000: "Comments" at the end and the orphan heading of a removed image are gone.
    texts_000 = [s["text"] for s in loaded["000_6051bb62f85c3fae"]["sentence_list"]]
    assert "Comments" not in texts_000 and "Visualizing the Alliance" not in texts_000
    # Headings are kept as headings (never evidence).
    kinds = {s["text"]: s["kind"] for s in loaded["002_4965b19ef9fb6ed8"]["sentence_list"]}
    assert kinds["Strategic Implications"] == "heading"
