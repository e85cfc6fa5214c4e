"""`briefbot run` loads what a process's first claim lookup loads on a daemon thread at start
(`Core.warm_up`), so that the first user's lookup does not wait for it."""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.config import Settings
from bot.core import WARM_UP_CLAIM, Core
from bot.corpus.storage import Store
from tests.conftest import build_claim_world

ARTICLES = {
    "a.txt": "Accord Signed\n\nValdoria and Norland signed a fishing accord in Port Elm.\n",
    "b.txt": "Fishing Deal\n\nNorland and Valdoria signed a fishing accord on Monday.\n",
}


@pytest.fixture
def lexical(settings: Settings) -> Settings:
    settings.semantic = False  # no sentence model to load: the index and the rules only
    settings.cross_encoder = False
    return settings


@pytest.fixture
def fresh_state(monkeypatch: pytest.MonkeyPatch) -> Any:
    """No index has served or settled a lookup in this process yet (`lookup._served`); the
    collector's frozen objects and thresholds as they were, after."""
    from bot.claims import lookup as lookup_module

    monkeypatch.setattr(lookup_module, "_served", [None, None], raising=False)
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield lookup_module
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_warm_up_leaves_the_index_open_and_settled_for_the_first_lookup(
        lexical: Settings, store: Store, corpus: Path, fresh_state: Any) -> None:
    from bot.search.index import open_index
    from bot.text.aliases import load_aliases

    build_claim_world(lexical, store, corpus, ARTICLES)
    core = Core(lexical)
    thread = threading.Thread(target=core.warm_up, name="warm-up")
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    index = open_index(store, lexical.index_path, load_aliases(lexical.aliases_path))
    served, settled = (r() if r is not None else None for r in fresh_state._served)
    assert served is index and settled is index  # the user's lookup loads and collects nothing
    assert gc.get_freeze_count() > 0
    answer = core.claim_reply("Valdoria and Norland signed a fishing accord.")
    assert answer.kind == "info" and answer.blocks  # the core answers as before
    core.close()


def test_the_warm_up_reads_the_common_terms_best_scores(
        lexical: Settings, store: Store, corpus: Path, fresh_state: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # What a pruned search reads first (`SearchIndex.read_common_bests`): at 1M, ~0.1 s that
    # the first user lookups paid for one term at a time. Here every term is common.
    from bot.search import index as index_module
    from bot.text.aliases import load_aliases

    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)
    build_claim_world(lexical, store, corpus, ARTICLES)
    core = Core(lexical)
    core.warm_up()
    index = index_module.open_index(store, lexical.index_path,
                                    load_aliases(lexical.aliases_path))
    listed = {t for t, _ in index.searcher.terms_with_prefix(index_module.FIELD, "")}
    assert len(listed) > 5 and set(index._best) == listed
    core.close()


def test_after_the_warm_up_each_new_build_is_settled_by_the_reload_that_made_it(
        lexical: Settings, corpus: Path, fresh_state: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A running bot's reload (or feed poll) makes a new build: its first lookup opened it and
    # the second settled it (~30 ms each at 1M) — now the reloading thread's two lookups do.
    from bot.claims import lookup as lookup_module
    from bot.search.index import open_index
    from bot.text.aliases import load_aliases

    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    lexical.default_paths = [corpus]
    core = Core(lexical)
    core.reload()
    real = lookup_module.lookup_claim
    asked: list[str] = []

    def counted(store: Store, claim: str, **kw: Any) -> Any:
        asked.append(claim)
        return real(store, claim, **kw)

    monkeypatch.setattr(lookup_module, "lookup_claim", counted)
    (corpus / "c.txt").write_text("Late News\n\nNorland recalled its envoy from Port Elm.\n",
                                  encoding="utf-8")
    core.reload()
    assert asked == []  # not a running bot: no warm-up, nothing looked up by a reload
    core.warm_up()
    assert asked == [WARM_UP_CLAIM, WARM_UP_CLAIM]
    core.reload()
    assert len(asked) == 2  # nothing changed: the same build, settled already
    (corpus / "d.txt").write_text("Port News\n\nValdoria reopened the port of Elm.\n",
                                  encoding="utf-8")
    core.reload()
    assert asked == [WARM_UP_CLAIM] * 4
    index = open_index(core.store, lexical.index_path, load_aliases(lexical.aliases_path))
    served, settled = (r() if r is not None else None for r in fresh_state._served)
    assert served is index and settled is index  # the new build, before any user lookup
    core.close()


def test_the_warm_up_reads_the_cross_encoder_once_when_it_is_on(
        lexical: Settings, store: Store, corpus: Path, fresh_state: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.claims import cross

    read: list[tuple[str, str]] = []

    class Reader:
        states = 0.5

        def probability(self, claim: str, sentence: str, context: str = "") -> float:
            read.append((claim, sentence))
            return 0.0

    loaded: list[str] = []
    monkeypatch.setattr(cross, "load_cross", lambda: Reader())
    monkeypatch.setattr("bot.search.semantic.build_model", lambda: loaded.append("model"))
    build_claim_world(lexical, store, corpus, ARTICLES)
    lexical.semantic = True  # the cross-encoder is read where the sentence model is on
    lexical.cross_encoder = True
    core = Core(lexical)
    monkeypatch.setattr("bot.claims.lookup.lookup_claim", lambda *a, **k: None)
    core.warm_up()
    assert read == [(WARM_UP_CLAIM, WARM_UP_CLAIM)] and loaded == ["model"]
    lexical.cross_encoder = False
    read.clear()
    core.warm_up()
    assert read == [] and loaded == ["model"] * 2
    lexical.semantic = False
    core.warm_up()
    assert read == [] and loaded == ["model"] * 2  # no sentence model, no cross-encoder
    core.close()


def test_the_warm_up_of_an_empty_corpus_loads_no_model(
        lexical: Settings, fresh_state: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.claims import cross

    loaded: list[str] = []
    monkeypatch.setattr(cross, "load_cross", lambda: loaded.append("cross"))
    monkeypatch.setattr("bot.search.semantic.build_model", lambda: loaded.append("model"))
    lexical.semantic = lexical.cross_encoder = True
    Core(lexical).warm_up()
    assert loaded == []  # nothing to search: only the aliases are loaded


def test_the_warm_up_of_an_empty_database_says_nothing_and_never_raises(
        lexical: Settings, fresh_state: Any, caplog: pytest.LogCaptureFixture) -> None:
    core = Core(lexical)
    with caplog.at_level(logging.INFO, logger="bot.core"):
        took = core.warm_up()
    assert took >= 0
    assert not caplog.records  # no "loaded" line: nothing was


def test_a_failing_warm_up_is_logged_with_its_traceback_not_raised(
        lexical: Settings, store: Store, corpus: Path, fresh_state: Any,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    build_claim_world(lexical, store, corpus, ARTICLES)

    def broken(*a: object, **k: object) -> None:
        raise RuntimeError("index folder gone")

    monkeypatch.setattr("bot.claims.lookup.lookup_claim", broken)
    core = Core(lexical)
    with caplog.at_level(logging.INFO, logger="bot.core"):
        core.warm_up()
    assert len(caplog.records) == 1  # the warning alone: no "loaded" line after it
    failed = caplog.records[0]
    assert failed.levelno == logging.WARNING and "warm-up" in failed.getMessage()
    assert failed.exc_info is not None and "index folder gone" in str(failed.exc_info[1])


def test_a_process_leaving_loads_no_model_and_logs_no_failure(
        lexical: Settings, store: Store, corpus: Path, fresh_state: Any,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # At exit no model run starts (`native_run`): the models' loading is one, so a warm-up
    # that has not loaded them by then ends quietly (one loading them is waited for, never
    # killed inside onnxruntime); a lookup failing then (the pools closed under it) is no
    # failure to log.
    from bot import workers

    build_claim_world(lexical, store, corpus, ARTICLES)
    lexical.semantic = True
    loaded: list[str] = []
    monkeypatch.setattr("bot.search.semantic.build_model", lambda: loaded.append("model"))
    monkeypatch.setattr("bot.claims.cross.load_cross", lambda: None)
    asked: list[str] = []
    monkeypatch.setattr("bot.claims.lookup.lookup_claim", lambda s, c, **k: asked.append(c))
    monkeypatch.setattr(workers, "_leaving", True)
    with caplog.at_level(logging.INFO, logger="bot.core"):
        Core(lexical).warm_up()
    assert loaded == [] and asked == [] and not caplog.records

    def cancelled(*a: object, **k: object) -> None:
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr("bot.claims.lookup.lookup_claim", cancelled)
    lexical.semantic = False
    with caplog.at_level(logging.INFO, logger="bot.core"):
        Core(lexical).warm_up()
    assert not caplog.records
    monkeypatch.setattr(workers, "_leaving", False)
    monkeypatch.setattr("bot.claims.lookup.lookup_claim", lambda s, c, **k: asked.append(c))
    lexical.semantic = True
    Core(lexical).warm_up()
    assert loaded == ["model"] and asked == [WARM_UP_CLAIM, WARM_UP_CLAIM]


def test_the_runner_warms_up_on_a_daemon_thread_only_when_asked(
        lexical: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.runner import RunOptions, _start_warm_up

    core = Core(lexical)
    ran = threading.Event()
    monkeypatch.setattr(core, "warm_up", ran.set)
    assert _start_warm_up(core, RunOptions()) is None and not ran.is_set()
    thread = _start_warm_up(core, RunOptions(warm_up=True))
    assert thread is not None and thread.daemon and thread.name == "warm-up"
    thread.join(10)
    assert ran.is_set()


@pytest.mark.asyncio
async def test_the_console_and_the_platforms_start_the_warm_up_first(
        lexical: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import runner
    from bot.runner import RunOptions

    started: list[bool] = []

    def start(core: Core, options: RunOptions) -> None:
        started.append(options.warm_up)

    async def no_scheduler(*a: object) -> None:
        return None  # as when a stop came while it waited: the run ends there

    class Adapter:
        platform = "slack"

        async def close(self) -> None:
            pass

    monkeypatch.setattr(runner, "_start_warm_up", start)
    monkeypatch.setattr(runner, "_start_scheduler", no_scheduler)
    monkeypatch.setattr(runner, "_create_adapter", lambda name, core, options: Adapter())
    core = Core(lexical)
    assert await runner.run_bot(core, RunOptions(console=True, warm_up=True)) == 0
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    assert await runner.run_bot(core, RunOptions(warm_up=True)) == 0
    assert started == [True, True]


@pytest.mark.parametrize(("value", "expected"), [(None, True), ("off", False), ("yes", True)])
def test_briefbot_run_warms_up_unless_told_not_to(
        settings: Settings, monkeypatch: pytest.MonkeyPatch, value: str | None,
        expected: bool) -> None:
    from bot.cli.main import cli

    seen: list[bool] = []

    async def fake_run_bot(core: Core, options: Any) -> int:
        seen.append(options.warm_up)
        return 0

    monkeypatch.setattr("bot.runner.run_bot", fake_run_bot)
    if value is None:
        monkeypatch.delenv("BRIEFBOT_WARM_UP", raising=False)
    else:
        monkeypatch.setenv("BRIEFBOT_WARM_UP", value)
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "run", "--console"])
    assert res.exit_code == 0, res.output
    assert seen == [expected]


def test_briefbot_run_refuses_a_warm_up_switch_it_cannot_read(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.main import cli

    monkeypatch.setenv("BRIEFBOT_WARM_UP", "maybe")
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "run", "--console"])
    assert res.exit_code == 1
    assert "BRIEFBOT_WARM_UP: 'maybe' must be one of" in res.output
    assert "Traceback" not in res.output
