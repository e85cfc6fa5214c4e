"""Two reloads at once (two connections, as two processes): the second takes the write lock
before it reads the file states (BEGIN IMMEDIATE), waits for the first, works from its result
(nothing reprocessed) and both runs finish `ok`; none is left `running`."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import bot.corpus.reload as rl
from bot.config import Settings
from bot.corpus.reload import ReloadReport, reload_corpus
from bot.corpus.storage import Store
from tests.test_ingest_reload import article


def test_second_reload_waits_and_sees_the_first(settings: Settings, corpus: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        (corpus / f"a{i}.txt").write_text(article(f"Article {i}"), encoding="utf-8")
    first_store, second_store = Store(settings.db_path), Store(settings.db_path)
    first_locked = threading.Event()  # the first read its file states: it holds the lock
    states_read = threading.Event()
    first_done = threading.Event()
    waited: list[bool] = []
    real_states = Store.file_states
    real_parse = rl.parse_job

    def file_states(self: Store):  # type: ignore[no-untyped-def]
        found = real_states(self)
        if self is first_store:
            first_locked.set()
        if self is second_store:
            states_read.set()
        return found

    def parse_job(job, catalog):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "first" and not waited:
            waited.append(True)
            states_read.wait(1.5)  # the second reads its file states now, if it can
        return real_parse(job, catalog)

    monkeypatch.setattr(Store, "file_states", file_states)
    monkeypatch.setattr(rl, "parse_job", parse_job)
    reports: dict[str, ReloadReport | BaseException] = {}

    def run(name: str, store: Store) -> None:
        try:
            reports[name] = reload_corpus(store, settings, [corpus])
        except BaseException as exc:  # noqa: BLE001 - reported below
            reports[name] = exc
        if name == "first":
            first_done.set()

    first = threading.Thread(target=run, args=("first", first_store), name="first")
    first.start()
    # Not merely "in a transaction": start_run's own short one commits before the reload's,
    # and a second started then could take the lock first on a busy machine (the first then
    # found everything done: 0 added).
    while not first_locked.wait(0.01) and first.is_alive():
        pass
    second = threading.Thread(target=run, args=("second", second_store), name="second")
    second.start()
    first.join(30)
    second.join(30)
    one, two = reports["first"], reports["second"]
    assert isinstance(one, ReloadReport) and isinstance(two, ReloadReport), reports
    assert one.counts["added"] == 4
    assert two.counts["unchanged"] == 4 and not two.changed, two.headline()
    runs = [r["status"] for r in first_store.db.query("select status from ingest_runs")]
    assert runs == ["ok", "ok"]
    first_store.close()
    second_store.close()


def test_a_failed_reload_is_never_left_running(settings: Settings, corpus: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (corpus / "a.txt").write_text(article("A"), encoding="utf-8")
    store = Store(settings.db_path)

    def boom(self, files):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rl._Loader, "load_files", boom)
    with pytest.raises(RuntimeError):
        reload_corpus(store, settings, [corpus])
    assert [r["status"] for r in store.db.query("select status from ingest_runs")] == ["failed"]
    store.close()
