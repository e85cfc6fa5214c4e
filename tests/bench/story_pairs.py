"""Training pairs for the claim cross-encoder from the story dev claims (`make cross-model`).

The seeds and news dev claims (`../shared/eval/claims_dev.jsonl`, `news_dev/claims.jsonl`) and
their `-more` companions (tests/data/eval/) are claims of the form the bot answers: a user's
paraphrase of a news sentence. Each becomes pairs (group, claim, sentence, label: 1 states it):
- a claim the corpus states (`corroborated` / `single-source`): each body sentence holding one
  of its gold evidence phrases states it (1);
- a `contradicted` claim: its gold evidence sentences do not state it (0);
- a `not-found` claim: no gold sentence; a contested or mixed one is left out;
- every claim: the lookup's first `NEGATIVES` candidates (of its 10 shown) holding no gold
  phrase do not state it (0) — the sentences of the same story a reader must tell apart. The
  lookup runs without the cross-encoder, so the pairs do not depend on the model they retrain
  (617 pairs). The shipped model was trained on 628 pairs built with the cross-encoder before
  it on (13 lines differ); with it on, the shipped model's own supports reorder the candidates
  (644 pairs). A retrain on the 617 did worse on the rows no fit reads (README).
The `-blind` and `-fresh` rows (tests/data/eval/README.md) are never read: they check the
result, with Climate-FEVER and CheckThat. Needs the bot's runtime (a built index); written as JSON Lines of
`[group, claim, sentence, label]` for `train_cross.py --extra`.

usage: python -m tests.bench.story_pairs --data ../shared --out var/story_cross_pairs.jsonl"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MORE = ROOT / "tests" / "data" / "eval"
NEGATIVES = 4
CANDIDATES = 10
STATES = frozenset({"corroborated", "single-source"})

Pair = tuple[str, str, str, int]


def norm(text: str) -> str:
    """The shared scorer's matching form (curly quotes straight, spaces folded, lower case)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return re.sub(r"\s+", " ", text.replace("\u201d", '"')).strip().lower()


def claim_pairs(group: str, gold: dict[str, Any], sentences: Iterable[tuple[str, str]],
                candidates: list[str], by_stem: bool) -> list[Pair]:
    """One gold claim's pairs. `sentences`: the corpus's body sentences (doc_id, text);
    `candidates`: the lookup's evidence sentences, best first; `by_stem`: a phrase counts only
    in the document its evidence names (the news form)."""
    verdicts = set(gold.get("verdicts") or [])
    if verdicts and verdicts <= STATES:
        label: int | None = 1
    elif verdicts == {"contradicted"}:
        label = 0
    elif verdicts == {"not-found"}:
        label = None
    else:
        return []
    claim = re.sub(r"\s+", " ", gold["claim"]).strip()
    phrases = [(str(d), norm(p)) for d, p in gold.get("evidence") or []]
    held = sorted({text for doc_id, text in sentences
                   if any(p in norm(text) and (not by_stem or doc_id == d) for d, p in phrases)})
    out: list[Pair] = [(group, claim, text, label) for text in held] if label is not None else []
    others = [s for s in candidates
              if s not in held and not any(p in norm(s) for _, p in phrases)]
    out.extend((group, claim, s, 0) for s in others[:NEGATIVES])
    return out


def read_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def story_sets(shared: Path) -> list[tuple[str, Path, Path, bool]]:
    """(name, gold file, corpus, by_stem) of each story set the cross-encoder learns from."""
    ev = shared / "eval"
    return [("seeds", ev / "claims_dev.jsonl", ROOT / "seeds", False),
            ("seeds-more", MORE / "seeds_more.jsonl", ROOT / "seeds", False),
            ("news", ev / "news_dev" / "claims.jsonl", ev / "news_dev" / "corpus", True),
            ("news-more", MORE / "news_more.jsonl", ev / "news_dev" / "corpus", True)]


def build(shared: Path) -> list[Pair]:
    from bot.claims.lookup import lookup_claim
    from bot.errors import UserError
    from tests.bench.corpus_db import Built, built_store

    out: list[Pair] = []
    stores: dict[Path, Built] = {}
    with tempfile.TemporaryDirectory(prefix="story-pairs-") as tmp:
        for name, gold_file, corpus, by_stem in story_sets(shared):
            if corpus not in stores:
                stores[corpus] = built_store(corpus, Path(tmp) / f"{len(stores)}.db")
            store, settings, aliases = stores[corpus]
            sentences = [(r["doc_id"], r["text"]) for r in store.sentences(kind="body")]
            for gold in read_gold(gold_file):
                text = re.sub(r"\s+", " ", gold["claim"]).strip()
                try:
                    answer = lookup_claim(store, text, index_path=settings.index_path,
                                          aliases=aliases, limit=CANDIDATES, cross=False)
                except UserError:
                    continue
                candidates = [e["sentence"] for e in answer.to_dict()["evidence"]]
                out.extend(claim_pairs(f"st:{name}:{gold['id']}", gold, sentences,
                                       candidates, by_stem))
        for built in stores.values():
            built.store.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "story_cross_pairs.jsonl")
    args = ap.parse_args()
    shared = args.data.parent if args.data.name == "bench" else args.data
    pairs = build(shared)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    print(f"wrote {args.out}: {len(pairs)} pairs, {sum(p[3] for p in pairs)} state the claim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
