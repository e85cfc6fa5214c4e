"""The roles check (`stance.roles_reversed`) and the outcome check (`stance.fate_conflict`)
read the claim's side once per lookup (`claim_roles`, `claim_fates`): a claim telling no deed
of one actor to another ("Russia and North Korea signed ...": partners), or naming no outcome
befalling anyone, has none of its sentences analysed for them (~0.1 ms a sentence), and a
claim that does has its supporting sentences read as before."""

from __future__ import annotations

from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.core import Core
from bot.text.aliases import AliasTable


def _analysed_evidence(core: Core, claim: str, monkeypatch: pytest.MonkeyPatch
                       ) -> tuple[Any, list[str]]:
    """The answer, and which of its supporting sentences the lookup analysed."""
    s = core.settings
    texts: list[str] = []
    real = AliasTable.analyze

    def spy(self: AliasTable, text: str, *args: Any, **kwargs: Any) -> Any:
        texts.append(text)
        return real(self, text, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(AliasTable, "analyze", spy)
        answer = lookup_module.lookup_claim(core.store, claim, index_path=s.index_path,
                                            aliases_path=s.aliases_path)
    supporting = [e.sentence for e in answer.evidence if e.stance == "supports"]
    return answer, [t for t in supporting if t in texts]


def test_partners_claim_has_no_sentence_analysed_again(seeds_core: Core,
                                                       monkeypatch: pytest.MonkeyPatch):
    answer, analysed = _analysed_evidence(
        seeds_core, "Russia and North Korea signed a mutual defense pact", monkeypatch)
    assert answer.verdict == "corroborated"
    assert [e.stance for e in answer.evidence].count("supports") >= 2
    assert analysed == []


def test_a_deed_of_one_actor_to_another_reads_its_supporting_sentences(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    answer, analysed = _analysed_evidence(seeds_core, "Putin visited North Korea", monkeypatch)
    assert answer.verdict == "corroborated"
    supporting = [e.sentence for e in answer.evidence if e.stance == "supports"]
    assert supporting and analysed == supporting
