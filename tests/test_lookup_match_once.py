"""A lookup matches each candidate against the claim once: the rules' judgement with the
previous sentence as context (`stance._states_itself`) and a medium claim's clear match
(`stance.clear_match`) read the match the lookup holds (`ClaimMatcher.with_context`) instead
of making it again, and answer as when they made it."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.core import Core
from bot.text import stance

# On the seed articles: each reaches `_states_itself` with a context, or `clear_match`, or both.
CLAIMS = [
    "Moscow and Pyongyang have both been hit by heavy Western sanctions.",
    "Did Russia and North Korea sign a defense pact?",
    "Russian forces have taken heavy losses in Ukraine.",
    "Is the Ukraine war what pushed Russia and North Korea together?",
]


def _answers(core: Core) -> list[dict[str, Any]]:
    s = core.settings
    return [lookup_module.lookup_claim(core.store, c, index_path=s.index_path,
                                       aliases_path=s.aliases_path).to_dict() for c in CLAIMS]


def test_a_lookup_matches_a_candidate_once(seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    callers: list[str] = []
    real_match = stance.match

    def spy(*args: Any, **kwargs: Any) -> stance.Match:
        callers.append(sys._getframe(1).f_code.co_name)
        return real_match(*args, **kwargs)

    real_judge, real_clear = stance.judge, stance.clear_match
    judged_in_context: list[bool] = []

    def judge_spy(*args: Any, **kwargs: Any) -> stance.Judgement:
        judged_in_context.append(args[2] is not None)
        return real_judge(*args, **kwargs)

    cleared: list[bool] = []

    def clear_spy(*args: Any, **kwargs: Any) -> stance.Judgement | None:
        cleared.append(True)
        return real_clear(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(stance, "match", spy)
        m.setattr(lookup_module, "judge", judge_spy)
        m.setattr(lookup_module, "clear_match", clear_spy)
        held = _answers(seeds_core)
    # The paths were taken, and neither made the candidate's match again.
    assert any(judged_in_context) and cleared
    assert "_states_itself" not in callers and "clear_match" not in callers

    # The same answers as when each makes its own match.
    def judge_alone(claim: Any, own: Any, ctx: Any, m: Any = None, alone: Any = None) -> Any:
        return real_judge(claim, own, ctx, m)

    def clear_alone(claim: Any, own: Any, m: Any = None) -> Any:
        return real_clear(claim, own)

    with monkeypatch.context() as m:
        m.setattr(lookup_module, "judge", judge_alone)
        m.setattr(lookup_module, "clear_match", clear_alone)
        assert _answers(seeds_core) == held
