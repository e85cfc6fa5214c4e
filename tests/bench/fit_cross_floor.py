"""The floor under which the lookup does not ask the cross-encoder (the judge's `cross_floor`,
bot/claims/judge.py): `python -m tests.bench.fit_cross_floor --data ../shared [--write]`.

On the judge's training lookups that are no dev set (CheckThat! 2020 *train* tweets against
the verified claims; the synthetic claims made of Climate-FEVER corpus sentences, as
`fit_judge` makes them; never the Climate-FEVER dev claims, which `make eval` scores), every
pair the lookup asks the cross-encoder about is recorded with the judge's probability. The
floor is the largest round value (1, 2 or 5 × a power of ten) that still asks at least 99%
of the pairs the cross-encoder passes (its probability at or above its `states` cut): a pair
under it would become support less than once in a hundred times. Printed with the share of
pairs and lookups it spares. The shipped judge of the configured encoder
(`BRIEFBOT_ENCODER`: full, judge_weights_full.json; static, judge_weights.json) is the one
read, and `--write` stores the floor in its weights file (`make judge` runs it after each
fit, as the floor depends on the judge)."""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.claims import lookup as lookup_module
from bot.claims.judge import WEIGHTS, WEIGHTS_FULL, judge_from_dict
from bot.errors import UserError
from bot.search.semantic import chosen
from tests.bench import fit_judge
from tests.bench.corpus_db import built_store

KEEP = 0.99  # share of the pairs the cross-encoder passes that must still be asked


class RecordingReader:
    """A cross-encoder reader that also records, for each pair it reads, the judge's
    probability of the sentence (`judge_p`, by text) beside its own in `sink`."""

    def __init__(self, reader: Any, judge_p: dict[str, float],
                 sink: list[tuple[float, float]]) -> None:
        self.reader = reader
        self.states = reader.states
        self.judge_p = judge_p
        self.sink = sink

    def probabilities(self, claim: str, sentences: list[str],
                      contexts: list[str] | None = None) -> list[float]:
        said: list[float] = self.reader.probabilities(claim, sentences, contexts)
        self.sink.extend((self.judge_p[s], q) for s, q in zip(sentences, said, strict=True))
        return said


def recording_support(out: list[tuple[str, list[tuple[float, float]]]],
                      real: Callable[..., None]) -> Callable[..., None]:
    """`lookup._cross_support` (`real`) asking every pair (no floor), recording what it
    asks in the last lookup of `out`. It calls `real` with the lookup's own arguments, so a
    change of `_cross_support`'s or the reader's signature shows here (`make judge` failed
    with a TypeError once the reader took the sentences' contexts)."""

    def recording(copies: Any, reader: Any, claim: str, may_state: Any, judged: Any,
                  unrelated: Any, floor: float = 0.0, context_of: Any = None,
                  later: Any = None, placed: Any = None, second_only: Any = None,
                  weak: Any = frozenset()) -> None:
        # (every round's candidates: the floor holds for each of them)
        judge_p = {row["text"]: p for p, _, row in
                   [*may_state, *(later or []), *(second_only or [])]}
        # asked as without a floor (`make cross-model` failed with a TypeError once the
        # lookup passed the second and third rounds' candidates, and this took none)
        real(copies, RecordingReader(reader, judge_p, out[-1][1]), claim, may_state, judged,
             unrelated, 0.0, context_of, later, placed, second_only, weak)

    return recording


def asked_pairs(bench: Path) -> list[tuple[str, list[tuple[float, float]]]]:
    """(claim group, [(judge's p, cross-encoder's p) of each pair asked]) per lookup."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    real = lookup_module._cross_support
    recording = recording_support(out, real)

    def pairs_for(corpus_file: Path, claims: list[tuple[str, str, Any]], tmp: Path,
                  is_relevant: Any) -> list[Any]:
        store, settings, aliases = built_store(corpus_file, tmp / (corpus_file.stem + ".db"))
        for group, text, _ in claims:
            out.append((group, []))
            try:
                lookup_claim(store, text, index_path=settings.index_path, aliases=aliases)
            except UserError:
                out.pop()
        store.close()
        return []

    lookup_claim = lookup_module.lookup_claim
    lookup_module._cross_support = recording  # type: ignore[assignment]
    real_pairs_for, fit_judge.pairs_for = fit_judge.pairs_for, pairs_for  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="cross-floor-") as tmp_:
            fit_judge.checkthat(bench / "checkthat2020", Path(tmp_))
            fit_judge.synthetic(bench / "climate-fever", Path(tmp_))
    finally:
        lookup_module._cross_support = real  # type: ignore[assignment]
        fit_judge.pairs_for = real_pairs_for  # type: ignore[assignment]
    return out


def round_floor(lookups: list[tuple[str, list[tuple[float, float]]]], states: float) -> float:
    """The largest of 1, 2, 5 × 10^k keeping `KEEP` of the passed pairs (0 when none pass)."""
    passed = sorted(j for _, pairs in lookups for j, c in pairs if c >= states)
    if not passed:
        return 0.0
    best = 0.0
    for k in range(-6, 0):
        for m in (1, 2, 5):
            f = m * 10.0 ** k
            if sum(j >= f for j in passed) >= math.ceil(KEEP * len(passed)):
                best = max(best, f)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--write", action="store_true",
                    help="store the floor in the configured encoder's judge weights file")
    args = ap.parse_args()
    weights = WEIGHTS_FULL if chosen() == "full" else WEIGHTS
    raw = json.loads(weights.read_text(encoding="utf-8"))
    bench = args.data / "bench" if (args.data / "bench").is_dir() else args.data
    reader = lookup_module.load_cross()
    if reader is None:
        print("the cross-encoder cannot be loaded", file=sys.stderr)
        return 1
    lookups = asked_pairs(bench)
    floor = round_floor(lookups, reader.states)
    pairs = [j for _, ps in lookups for j, _ in ps]
    passed = [j for _, ps in lookups for j, c in ps if c >= reader.states]
    spared = sum(1 for _, ps in lookups if ps and all(j < floor for j, _ in ps))
    print(f"{len(lookups)} lookups, {sum(1 for _, ps in lookups if ps)} asking, {len(pairs)} "
          f"pairs, {len(passed)} passed (cross-encoder p >= {reader.states})")
    print(f"floor {floor:g}: passed pairs still asked {sum(j >= floor for j in passed)}"
          f"/{len(passed)}, pairs not asked {sum(j < floor for j in pairs)}/{len(pairs)}, "
          f"lookups asking none {spared}/{len(lookups)} ({weights.name}: "
          f"{float(raw.get('cross_floor', 0.0)):g})")
    if args.write:
        raw["cross_floor"] = floor
        judge_from_dict(raw)  # still a judge
        weights.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
        print(f"written to {weights}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
