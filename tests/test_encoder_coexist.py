"""Two processes sharing one database and index with different encoder settings (a chat bot
on the full model, an operator's `BRIEFBOT_ENCODER=static briefbot claim`): each serves the
other's build as it is (the claim encoded and judged by the build's model, the note saying
so), never re-embeds it during a lookup; a reload embeds with the configured model. One test
process stands for both: `semantic.select` and an emptied index cache (a new process)."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.corpus.reload import reload_corpus
from bot.search import index as index_module
from bot.search import semantic
from bot.search.index import check_index, read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.conftest import spy_on_judges
from tests.test_minilm import _trace, _world, assert_cosines_by, count_full_embeddings

CLAIM = "A ferry sank in the Strait of Vell"


def _process(choice: str) -> None:
    """Another process, set to `choice` (`[search] encoder`)."""
    semantic.select(choice)
    index_module._cache.clear()


def _reload(settings: Any, store: Any) -> Any:
    """`briefbot reload` with an unchanged corpus: brings the index in line (`Core`)."""
    return refresh_index(store, settings.index_path, load_aliases(settings.aliases_path),
                         semantic_vectors=True)


def _evidence(answer: Any) -> list[tuple[str, str]]:
    return [(e.sentence, e.stance) for e in answer.evidence]


def test_a_process_set_to_the_other_encoder_serves_the_build_as_it_is(
        settings, store, corpus, monkeypatch):
    """The static process used to re-embed the full build during its lookup (the index was
    "stale": made by another model), then the full process re-embedded it back, on and on
    (30k sentences: tens of seconds a lookup). Now neither rebuilds: the static process
    encodes the claim with the full model and reads the full model's judge, so it gives the
    full process's answer, and its note says how to switch the index to its own setting."""
    from bot.claims import judge as judge_module

    _world(settings, store, corpus)  # the chat bot's build (full, the default)
    built = read_pointer(settings.index_path)
    assert built is not None and built.dense == semantic.MODEL_IDS["full"]
    bot_answer, _ = _trace(settings, store, CLAIM)
    for _ in range(2):  # back and forth
        _process("static")
        judges = spy_on_judges(monkeypatch)
        answer, trace = _trace(settings, store, CLAIM)
        assert read_pointer(settings.index_path) == built  # not rebuilt
        assert answer.verdict == bot_answer.verdict == "single-source"
        assert _evidence(answer) == _evidence(bot_answer)
        assert judges == [judge_module.WEIGHTS_FULL]
        full = semantic.encoder_for(semantic.MODEL_IDS["full"])
        assert_cosines_by(full, CLAIM, trace)
        assert ("; the search index was built with the full encoder (this process is set to "
                "static): `briefbot reload` rebuilds it with the configured one") in answer.note
        assert check_index(settings.index_path)["ok"]
        _process("full")
        again, _ = _trace(settings, store, CLAIM)
        assert read_pointer(settings.index_path) == built
        assert again.note == bot_answer.note and "encoder" not in again.note


def test_a_reload_embeds_with_the_configured_encoder_and_the_other_process_serves_that(
        settings, store, corpus):
    """Changing the setting (config, restart) and reloading takes effect, even with an
    unchanged corpus; the process still set to the other encoder then serves the new build."""
    _world(settings, store, corpus)
    full_build = read_pointer(settings.index_path)
    _process("static")
    static_build = _reload(settings, store)
    assert static_build.dense == semantic.MODEL_IDS["static"]
    assert static_build.folder != full_build.folder  # type: ignore[union-attr]
    vectors = np.load(settings.index_path / static_build.folder / semantic.VECTORS)
    assert vectors.shape[1] == 256
    answer, _ = _trace(settings, store, CLAIM)
    assert "encoder" not in answer.note
    _process("full")
    answer, _ = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert read_pointer(settings.index_path) == static_build
    assert "built with the static encoder (this process is set to full)" in answer.note
    assert _reload(settings, store).dense == semantic.MODEL_IDS["full"]
    index_module._cache.clear()
    answer, _ = _trace(settings, store, CLAIM)
    assert "encoder" not in answer.note


def test_a_lookup_brings_the_other_encoders_build_up_to_date_in_its_model(
        settings, store, corpus, monkeypatch):
    """A corpus committed but not indexed (`reload --no-index`, a reload killed before its
    build): a lookup in the process set to the other encoder updates the build in the
    build's model, embedding only the new sentence (it used to re-embed every sentence with
    its own model, which the other process then re-embedded back)."""
    _world(settings, store, corpus)
    embedded = count_full_embeddings(monkeypatch)
    (corpus / "c.txt").write_text("Bridge News\n\nA bridge collapsed in Tarn on Friday.\n",
                                  encoding="utf-8")
    reload_corpus(store, settings, [corpus])  # committed, the index not brought up to date
    _process("static")
    answer, _ = _trace(settings, store, "A bridge collapsed in Tarn")
    assert answer.verdict == "single-source"
    assert "older than the corpus" not in answer.note
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["full"]
    assert pointer.generation == store.generation_stamp()[0]
    # Only the new sentence, and its document's title (in its vector: semantic.TITLE_WEIGHT).
    assert embedded == ["A bridge collapsed in Tarn on Friday.", "Bridge News"]


def test_damaged_vectors_of_the_other_encoders_build_are_served_lexically_until_a_reload(
        settings, store, corpus):
    """As in the process whose model made them (test_encoder_hardening): the lookup answers
    from BM25 and says the vectors are damaged, the health check says so too, and a reload
    rebuilds the build, with the configured encoder."""
    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None
    vectors = settings.index_path / pointer.folder / semantic.VECTORS
    np.save(vectors, np.full((len(np.load(vectors)), 256), 1 / 16, dtype=np.float32))
    _process("static")
    answer, trace = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert "sentence vectors are damaged" in answer.note and "lexical" in answer.note
    assert all(t["x"][0] == 0.0 for t in trace)
    assert read_pointer(settings.index_path) == pointer
    assert not check_index(settings.index_path)["ok"]
    rebuilt = _reload(settings, store)
    assert rebuilt.dense == semantic.MODEL_IDS["static"] and rebuilt.folder != pointer.folder
    assert check_index(settings.index_path)["ok"]


def test_a_feed_polls_update_keeps_the_builds_model_a_reload_does_not(
        settings, store, corpus):
    """The chat bot (full) polls feeds on its own: a poll that adds articles to a build an
    operator's static reload made used to re-embed the whole corpus with the full model; it
    now adds the new sentences in the build's model. The bot's reload re-embeds."""
    from bot.core import Core

    semantic.select("static")
    _world(settings, store, corpus)  # the operator's static reload
    static_build = read_pointer(settings.index_path)
    assert static_build is not None
    core = Core(settings)  # the chat bot: the configured encoder, full
    assert semantic.chosen() == "full"
    (corpus / "c.txt").write_text("Bridge News\n\nA bridge collapsed in Tarn on Friday.\n",
                                  encoding="utf-8")
    reload_corpus(store, settings, [corpus])  # stands for a poll's commit
    poll_update = core.feed_poller().after_commit
    assert poll_update is not None
    poll_update(core.store)
    polled = read_pointer(settings.index_path)
    assert polled is not None and polled.dense == semantic.MODEL_IDS["static"]
    assert polled.generation == store.generation_stamp()[0]
    assert polled.folder != static_build.folder
    core.reload([corpus])
    reloaded = read_pointer(settings.index_path)
    assert reloaded is not None and reloaded.dense == semantic.MODEL_IDS["full"]
    core.close()
