"""`make bench`: run every benchmark module (tests/bench/bench_*.py) or the ones named.

usage: python -m tests.bench.run --data ../shared/bench [--only NAME ...]
Each module has `main(data: Path) -> None` and prints its own figures (medians, ratios
against a baseline measured in the same run)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/bench"),
                    help="folder of the public benchmark data (checkthat2020/, multinews/)")
    ap.add_argument("--only", nargs="*", default=[], help="benchmark module names (without bench_)")
    args = ap.parse_args()
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only or n in args.only]
    failed = 0
    for name in names:
        print(f"\n=== {name}", flush=True)
        started = time.monotonic()
        try:
            importlib.import_module(f"tests.bench.{name}").main(args.data)
        except Exception as exc:  # report and go on with the other benchmarks
            failed += 1
            print(f"{name} failed: {exc!r}", file=sys.stderr)
        print(f"({name}: {time.monotonic() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
