"""The fitted judge: how likely a candidate sentence bears on a claim, from plain features.

Pure functions over plain data. For each (claim, candidate sentence with its context) pair
`pair_features` computes a fixed vector (retrieval scores, meaning, lexical coverage, slots,
polarity); `Judge.relevance` turns it into a probability with a logistic regression whose
weights ship in `judge_weights.json` beside this module, fitted by `make judge`
(tests/bench/fit_judge.py) on training pairs — CheckThat! 2020 train, Climate-FEVER dev (cross-
validated by claim) and synthetic pairs — never on the seeds or news sets that check it.

The stance rules (`bot.text.stance`) still say *how* a sentence bears on the claim (states
it, gives another value, denies it); the judge says *whether* it does, and how strongly:
  - below `related` a candidate is not evidence (a weak match never becomes corroboration);
  - a conflict or a denial counts only from `same_event` on (the same event, not another);
  - from `states` on, a sentence that the rules only found related, with no slot of the
    claim missing and no conflict or negation, states it (a paraphrase).
The same file holds the retrieval fusion weight (`fusion_bm25`), chosen on the training
pairs for the best mean AP@5 over its real sources (the shipped weights: the best alone; `make
judge` now takes the middle of the near-best weights), and the weight of the claim's coverage
in the order the evidence is shown (`order_coverage`), chosen the same way. It may hold a
fitted evidence order (`Order`, `Judge.order`), which then replaces that fused score and
coverage: a linear score over the judge's features and the candidate's place among the
lookup's candidates, fitted on the same pairs and on the story dev claims' (seeds, news and
their -more rows; never the -blind rows), which train the order alone."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.text.stance import Claim, Match

# The judge for lookups whose cosines come from the full sentence model (`[search] encoder =
# "full"`, the default); the static model's cosines have another distribution, so they have
# their own fit (also used by lexical lookups, whose cosines are absent).
WEIGHTS_FULL = Path(__file__).with_name("judge_weights_full.json")
WEIGHTS = Path(__file__).with_name("judge_weights.json")

FEATURES = (
    "cosine",          # embedding cosine of claim and sentence
    "bm25_rel",        # BM25 relative to the best hit
    "coverage",        # weighted share of the claim's units in the sentence
    "coverage_ctx",    # ... with the previous sentence of the paragraph as context
    "frame",           # share of the claim's frame (what happens) found
    "reverse",         # share of the sentence's weighted words the claim uses
    "missing_slots",   # weighted share of the claim's slots (names, numbers, dates) missing
    "conflict",        # the sentence gives another value for a slot of the claim
    "polarity",        # negation or denial on one side only
    "long_claim",      # the claim is a long post (8 units or more)
    "units",           # log of the claim's number of units
    "rule_states",     # the stance rules say it states the claim (a short or medium claim)
    "rule_states_long",  # ... a long claim (a post), by reverse coverage
    "rule_disputes",   # the stance rules say it disputes the claim
    "rule_mentions",   # the stance rules say it bears on the claim without stating it
)


# The evidence order's features (`Judge.order`): the judge's, and where the candidate stands
# among this lookup's candidates (its min-max cosine and BM25 over them, and the log of its
# place in their BM25 order, 0 first). Relevance says whether a sentence bears on the claim;
# the order also needs how it compares with this claim's other candidates.
ORDER_FEATURES = (*FEATURES, "cosine_mm", "bm25_mm", "log_bm25_rank")


@dataclass(frozen=True)
class Pair:
    """What the judge reads about one candidate (all plain numbers)."""

    cosine: float
    cosine_mm: float
    bm25_rel: float
    bm25_mm: float
    rank: int


def pair_features(claim: Claim, m: Match, m_ctx: Match | None, reverse: float,
                  pair: Pair, rule: str) -> list[float]:
    """The feature vector of `FEATURES` for one (claim, sentence) pair: `m` is the match
    of the claim with the sentence alone, `m_ctx` with its context (None: no context),
    `rule` the stance the rules give it (supports, disputes, mentions, none)."""
    long_claim = len(claim.units) >= 8
    total = sum(u.weight for u in claim.units) or 1.0
    missing = sum(u.weight for u in m.missing_slots) / total
    return [
        pair.cosine,
        pair.bm25_rel,
        m.coverage,
        m_ctx.coverage if m_ctx is not None else m.coverage,
        m.frame,
        reverse,
        missing,
        1.0 if m.conflicts else 0.0,
        1.0 if m.disputes else 0.0,
        1.0 if long_claim else 0.0,
        math.log(1 + len(claim.units)),
        1.0 if rule == "supports" and not long_claim else 0.0,
        1.0 if rule == "supports" and long_claim else 0.0,
        1.0 if rule == "disputes" else 0.0,
        1.0 if rule == "mentions" else 0.0,
    ]


def linear(coef: Sequence[float], x: Sequence[float], mean: Sequence[float],
           scale: Sequence[float]) -> float:
    """A fitted linear model's value at `x`, each feature standardised by its `mean` and
    `scale` (a scale of 0, a feature constant in training, counts as 1)."""
    return sum(c * (v - mu) / (s or 1.0) for c, v, mu, s in zip(coef, x, mean, scale, strict=True))


def order_features(x: Sequence[float], cosine_mm: float, bm25_mm: float,
                   bm25_rank: int) -> list[float]:
    """The `ORDER_FEATURES` of a candidate: its `pair_features` `x`, its min-max cosine and
    BM25 over the candidates, and its place in their BM25 order."""
    return [*x, cosine_mm, bm25_mm, math.log(1 + bm25_rank)]


@dataclass(frozen=True)
class Order:
    """A linear score over standardised `ORDER_FEATURES` (a logistic regression's, fitted by
    `make judge` on the training pairs): the higher, the earlier a candidate is shown."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]

    def score(self, x: Sequence[float]) -> float:
        return linear(self.coef, x, self.mean, self.scale)

    def to_dict(self) -> dict[str, object]:
        return {"names": list(ORDER_FEATURES), "mean": list(self.mean),
                "scale": list(self.scale), "coef": list(self.coef)}


def order_from_dict(raw: dict[str, object]) -> Order:
    names = tuple(str(n) for n in raw["names"])  # type: ignore[attr-defined]
    if names != ORDER_FEATURES:
        raise ValueError(f"evidence order for features {names}, expected {ORDER_FEATURES}")
    values = [tuple(float(v) for v in raw[key])  # type: ignore[attr-defined]
              for key in ("mean", "scale", "coef")]
    if any(len(v) != len(ORDER_FEATURES) for v in values):
        raise ValueError("evidence order: a list of the wrong length")
    return Order(*values)


@dataclass(frozen=True)
class Judge:
    """A fitted logistic regression over standardised `FEATURES`, and its two cuts."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    related: float  # probability from which a candidate bears on the claim
    states: float  # probability from which a related paraphrase states it
    fusion_bm25: float = 0.3  # share of min-max BM25 in the fused retrieval order
    same_event: float = 0.25  # probability from which a conflict or denial is the same event
    # Probability under which the lookup does not ask the cross-encoder about a candidate
    # (fitted for this judge by tests/bench/fit_cross_floor.py; 0: it is asked at any).
    cross_floor: float = 0.0
    # Weight of the claim's coverage (the sentence with its context, `coverage_ctx`) added to
    # the fused min-max retrieval score in the order the evidence is shown (0: retrieval alone).
    order_coverage: float = 0.0
    # The fitted evidence order (None: the fused retrieval score plus `order_coverage` times
    # the claim's coverage, as before it was fitted).
    order: Order | None = None

    def relevance(self, x: Sequence[float]) -> float:
        z = self.intercept + linear(self.coef, x, self.mean, self.scale)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, object]:
        return {"names": list(self.names), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "related": self.related,
                "states": self.states, "fusion_bm25": self.fusion_bm25,
                "same_event": self.same_event, "cross_floor": self.cross_floor,
                "order_coverage": self.order_coverage,
                **({"order": self.order.to_dict()} if self.order is not None else {})}


def judge_from_dict(raw: dict[str, object]) -> Judge:
    names = tuple(str(n) for n in raw["names"])  # type: ignore[attr-defined]
    if names != FEATURES:
        raise ValueError(f"judge weights for features {names}, expected {FEATURES}")

    def floats(key: str) -> tuple[float, ...]:
        values = tuple(float(v) for v in raw[key])  # type: ignore[attr-defined]
        if len(values) != len(FEATURES):
            raise ValueError(f"judge weights: {key} has {len(values)} values")
        return values

    return Judge(names, floats("mean"), floats("scale"), floats("coef"),
                 float(raw["intercept"]), float(raw["related"]),  # type: ignore[arg-type]
                 float(raw["states"]),  # type: ignore[arg-type]
                 float(raw.get("fusion_bm25", 0.3)),  # type: ignore[arg-type]
                 float(raw.get("same_event", raw["related"])),  # type: ignore[arg-type]
                 float(raw.get("cross_floor", 0.0)),  # type: ignore[arg-type]
                 float(raw.get("order_coverage", 0.0)),  # type: ignore[arg-type]
                 order_from_dict(raw["order"])  # type: ignore[arg-type]
                 if raw.get("order") is not None else None)


log = logging.getLogger(__name__)
_loaded: dict[Path, Judge | None] = {}


def load_judge(path: Path = WEIGHTS) -> Judge | None:
    """The shipped judge (None when the file is missing or unreadable: rules only)."""
    if path not in _loaded:
        try:
            _loaded[path] = judge_from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as e:
            # Once per process and file: claims are then judged by the stance rules alone.
            log.error("claim judge weights %s unusable (%s: %s); the stance rules judge alone",
                      path, type(e).__name__, str(e)[:200])
            _loaded[path] = None
    return _loaded[path]
