"""The memo of decoded stored titles (`bot.search.index._decoded_titles`) stays small for
Python's full collections: its Features are made after the lookup freezes the process's
state (`lookup._settle`), so a full collection walks every one of their containers; at
10,000 titles one took ~25-30 ms, a whole lookup's time, every ~200 lookups at 1M sentences."""

from __future__ import annotations

import gc
from pathlib import Path

from bot.search.index import TITLES_DECODED, title_bytes
from bot.text.aliases import load_aliases
from bot.text.stance import features_from_bytes

ALIASES = load_aliases(Path(__file__).resolve().parents[1] / "config" / "aliases.toml")
COLLECTOR_BUDGET = 25_000  # tracked objects the memo may hold at most (~10 ms a collection)


def test_a_full_memo_stays_within_the_collectors_budget() -> None:
    decoded = features_from_bytes(title_bytes("Putin visits North Korea for talks", ALIASES))
    assert decoded is not None
    tracked = 1 + sum(1 for v in vars(decoded).values() if gc.is_tracked(v))
    assert tracked >= 8  # (the decoded copy's sets and dicts)
    assert TITLES_DECODED * tracked <= COLLECTOR_BUDGET
