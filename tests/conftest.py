"""Shared fixtures: tiny corpora in temporary folders, settings and stores pointing at them."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from bot.config import Settings, load_settings
from bot.corpus.storage import Store
from tests.emulators.slack_api import SlackWebAPIMock, without_proxies
from tests.feeds_server import FixtureServer, install_story, running

if TYPE_CHECKING:
    from bot.core import Core
    from bot.digest.build import Item
    from bot.reply import Reply
    from tests.emulators.discord_api import DiscordEmulator

ROOT = Path(__file__).resolve().parent.parent

# A guard, not a measure, for a text a pattern once read in exponentially many ways: the text
# is read in milliseconds now; before, the guard ended it (`called_in_a_child`).
GUARD_SECONDS = 120


def called_in_a_child(module: str, function: str, text: str) -> Any:
    """`module.function(text)` run in a child Python under `GUARD_SECONDS` (a read that never
    ends fails the test by the guard, and cannot hold the test run), its result as JSON gives
    it back (tuples as lists)."""
    code = (f"import json, sys; from {module} import {function}; "
            f"print(json.dumps({function}(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-c", code, text], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=GUARD_SECONDS)
    return json.loads(done.stdout)

SEEDS = ROOT / "seeds"
SLACK_TOKEN = "xoxb-test"  # the bot token the Slack tests' `api` takes (their TOKEN)

# A shell starts a background job (`make test &`, `nohup ... &` in a script) with SIGINT
# ignored, and the child processes of the Ctrl-C tests inherit that: Python then installs no
# KeyboardInterrupt and an "interrupted" child exits 0. Ctrl-C is what those tests check, so
# the test process restores it (handled, its children start with the default).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _encoder_choice_reset() -> Iterator[None]:
    """`Core(settings)` and the CLI choose the process's sentence model (`semantic.select`,
    process-wide): back to the default after every test, so that no test depends on which
    ran before it."""
    yield
    from bot.search import semantic

    semantic.select(None)


@pytest.fixture(autouse=True)
def _dotenv_notes_reset() -> Iterator[None]:
    """What the CLI noted of the `.env` files it read (`paths.note_dotenv_values`, for the
    errors naming them; process-wide) is forgotten after every test: a later test setting
    the same value in its environment was told it came from an earlier test's `.env`."""
    yield
    from bot import paths

    paths.note_dotenv_values({})


# Sentence vectors of the full model shared by the tests of one process (one xdist worker):
# most tests reload a tiny corpus, often the seeds, into a new database, and embedding it again
# for each was a quarter of `make test`'s CPU on a CPU where the int8 model is slow (an AVX2 AMD
# EPYC, 2 cores, 2026-12-05: 598.6 s and 977 s of CPU without this, 502.5 s and 746 s with it,
# one run each, back to back). A text's vector never depends on the texts embedded beside it
# (`bot.search.minilm`: each runs alone; tests/test_minilm_build_pool.py checks it), so a
# vector kept from one build is the one the next would make. The modules that test the
# embedding itself (its threads, its interruption, its failures) run it for real.
_SHARED_VECTORS: dict[tuple[str, int, str], Any] = {}
SHARED_VECTORS_MAX = 200_000  # texts kept (1.5 KB each)
REAL_EMBEDDING_MODULES = frozenset({"test_minilm", "test_minilm_build_pool",
                                    "test_claim_pools_exit", "test_encoder_hardening",
                                    "test_model_import_interrupted"})


@pytest.fixture(autouse=True)
def _shared_sentence_vectors(request: pytest.FixtureRequest,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    if request.module.__name__.rsplit(".", 1)[-1] in REAL_EMBEDDING_MODULES:
        return
    from bot.search import minilm

    real = minilm.OnnxEncoder.encode_corpus

    def encode_corpus(self: minilm.OnnxEncoder, texts: Any) -> Any:
        import numpy as np

        keys = [(self.model_id, self.max_tokens, t) for t in texts]
        missing = [i for i, key in enumerate(keys) if key not in _SHARED_VECTORS]
        if not keys or len(_SHARED_VECTORS) + len(missing) > SHARED_VECTORS_MAX:
            return real(self, texts)
        if missing:
            made = real(self, [texts[i] for i in missing])
            for i, vector in zip(missing, made, strict=True):
                _SHARED_VECTORS[keys[i]] = np.array(vector, copy=True)
        return np.stack([_SHARED_VECTORS[key] for key in keys])

    monkeypatch.setattr(minilm.OnnxEncoder, "encode_corpus", encode_corpus)


@pytest.fixture
def isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No BRIEFBOT_HOME, _CONFIG, _DB or _ADMINS of the caller's; HOME and the platform
    folders (XDG) inside `tmp_path`, which is the working directory: where briefbot looks
    for its files is the test's. For a whole file: `pytestmark =
    pytest.mark.usefixtures("isolated_home")`."""
    for var in ("BRIEFBOT_HOME", "BRIEFBOT_CONFIG", "BRIEFBOT_DB", "BRIEFBOT_ADMINS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = load_settings(db=str(tmp_path / "test.db"))
    s.default_paths = [tmp_path / "corpus"]
    return s


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    st = Store(settings.db_path)
    yield st
    st.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus folder; tests write their articles into it."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed articles (tests may modify it)."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


def reloaded_core(settings: Settings, corpus: Path, files: dict[str, str]) -> Core:
    """A Core over `corpus` holding `files` (file name -> text), reloaded (not closed after)."""
    from bot.core import Core

    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings.default_paths = [corpus]
    core = Core(settings)
    core.reload()
    return core


@pytest.fixture
def one_article_core(settings: Settings, corpus: Path) -> Iterator[Core]:
    """A Core without the sentence model over a corpus of one article, a.txt ("Bridge
    reopens in May", tests/test_ingest_reload.py's `article`), not loaded yet; closed after.
    For the tests of a reload that fails."""
    from bot.core import Core
    from tests.test_ingest_reload import article

    settings.semantic = False
    (corpus / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    core = Core(settings)
    yield core
    core.close()


@pytest.fixture
def seeds_core(settings: Settings, seeds_copy: Path) -> Core:
    """A Core over a private copy of the seed articles, reloaded (not closed after)."""
    from bot.core import Core

    settings.default_paths = [seeds_copy]
    core = Core(settings)
    core.reload()
    return core


def write_aliases(tmp_path: Path, body: str = '[concepts]\nrussia = ["Russia", "Kremlin"]\n'
                  ) -> Path:
    """An aliases file of `body` in `tmp_path` (the shipped countries, cities and places
    come in with it unless it says `countries = false`)."""
    path = tmp_path / "aliases.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def lookup_echo_db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database, and a `briefbot claim` whose lookup says what it was asked: a user
    error "looked up 'TEXT' (LIMIT)" (what the command line passes on, and how)."""
    from bot.cli import claims
    from bot.errors import UserError

    def looked_up(app: object, text: str, limit: int) -> None:
        raise UserError(f"looked up {text!r} ({limit})")

    monkeypatch.setattr(claims, "_lookup", looked_up)
    Store(settings.db_path).close()
    return str(settings.db_path)


def build_claim_world(settings: Settings, store: Store, corpus: Path,
                      articles: dict[str, str]) -> tuple[Store, Settings]:
    """Write hand-written articles, reload them and build the search index."""
    from bot.corpus.reload import reload_corpus
    from bot.search.index import refresh_index
    from bot.text.aliases import load_aliases

    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, load_aliases(settings.aliases_path)))
    return store, settings


def whos_who_items(store: Store, settings: Settings, corpus: Path,
                   recs: list[dict[str, str]]) -> list[Item]:
    """Reload `recs` (JSON Lines records) and build the default digest's who's who: its
    items."""
    import json

    from bot.corpus.reload import reload_corpus
    from bot.digest.build import build_digest

    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="whos-who").section("whos-who")
    assert section is not None
    return list(section.items)


def key_developments(store: Store, settings: Settings, corpus: Path,
                     recs: list[dict[str, str]]) -> list[tuple[str, set[str]]]:
    """Reload `recs` (JSON Lines records) and build the default digest: its key developments,
    each with the ids of the documents it cites."""
    import json

    from bot.corpus.reload import reload_corpus
    from bot.digest.build import build_digest

    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    doc_of = {ref.number: ref.doc_id for ref in d.sources}
    kd = d.section("key-developments")
    assert kd is not None
    return [(it.text, {doc_of[c] for c in it.citations}) for it in kd.items]


def opening_articles(firsts: list[str], rest: list[str], title: str) -> list[dict[str, str]]:
    """One article per sentence of `firsts` ("c-0", "c-1" …), each followed by its own
    sentence of `rest`, of one day and different outlets."""
    return [{"id": f"c-{n}", "title": f"{title} {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}", "text": f"{first} {rest[n]}"}
            for n, first in enumerate(firsts)]


def store_of_documents(path: Path, docs: dict[str, list[str]]
                       ) -> tuple[Store, dict[str, dict[str, Any]]]:
    """A store at `path` holding `docs` (id -> body sentences) as written, no reload or index;
    with each document's first sentence row, by document id (for the lookup's steps)."""
    from bot.corpus.article import sentence_key

    store = Store(path)
    with store.transaction(wait_seconds=5):
        store.put_documents(
            [{"id": d, "source_path": d, "source_kind": "txt", "title": d, "content_hash": d,
              "sentence_count": len(s)} for d, s in docs.items()],
            [(d, i, 0, "body", t, sentence_key(t)) for d, s in docs.items()
             for i, t in enumerate(s)])
    first = {r["doc_id"]: r for r in store.sentences_of(list(docs), kind="body")
             if r["position"] == 0}
    return store, first


def ask_claim(world: tuple[Store, Settings], claim: str, limit: int = 5):  # type: ignore[no-untyped-def]
    from bot.claims.lookup import lookup_claim

    store, settings = world
    return lookup_claim(store, claim, index_path=settings.index_path,
                        aliases_path=settings.aliases_path, limit=limit)


def supporting_files(answer) -> set[str]:  # type: ignore[no-untyped-def]
    """The files (their names' part before "_": "a" of "a_wire.txt") whose sentences support
    a claim answer (`ask_claim`)."""
    return {e.doc_id.split("_")[0] for e in answer.evidence if e.stance == "supports"}


def spy_on_judges(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The judge weight files the lookup reads from now on, in order."""
    from bot.claims import judge as judge_module
    from bot.claims import lookup as lookup_module

    read: list[Path] = []
    real = judge_module.load_judge

    def spy(path: Path = judge_module.WEIGHTS) -> Any:
        read.append(path)
        return real(path)

    monkeypatch.setattr(lookup_module, "load_judge", spy)
    return read


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A loopback feed and page server (tests/feeds_server.py) serving the test story's feed
    and pages. A test file whose server starts empty defines its own `server`."""
    with running() as srv:
        install_story(srv)
        yield srv


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HTTP(S)_PROXY/ALL_PROXY of the caller's: slack_sdk picks them up by itself, and
    loopback traffic to the fakes must not go through a proxy. For a whole file (the Slack
    tests'): `pytestmark = pytest.mark.usefixtures("no_proxies")`."""
    without_proxies(monkeypatch)


@pytest.fixture
def api() -> Iterator[SlackWebAPIMock]:
    """A loopback Slack Web API (tests/emulators/slack_api.py) taking the bot token
    SLACK_TOKEN. A file needing more (a channel) overrides it: `def api(api)`."""
    with SlackWebAPIMock(tokens=[SLACK_TOKEN]) as mock:
        yield mock


def count_lookup_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts a claim lookup analyses from now on (`bot.claims.lookup._features`, which
    a build storing every sentence's and title's features spares), in order."""
    from bot.claims import lookup as lookup_module

    analysed: list[str] = []
    real = lookup_module._features

    def counting(text: str, aliases: Any) -> Any:
        analysed.append(text)
        return real(text, aliases)

    monkeypatch.setattr(lookup_module, "_features", counting)
    return analysed


@pytest.fixture
def reload_starts(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Core.reload wrapped: the time.monotonic() at which each reload began its work (its
    on_start, after the adapter's notice was handed over), for the tests that check a
    "Reload started" notice does not hold the reload back."""
    import time

    from bot.core import Core

    began: list[float] = []
    real_reload = Core.reload

    def reload(self: Core, actor: str | None = None, on_start: Any = None) -> Any:
        def started() -> None:
            if on_start is not None:
                on_start()
            began.append(time.monotonic())
        return real_reload(self, actor=actor, on_start=started)

    monkeypatch.setattr(Core, "reload", reload)
    return began


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    """A loopback Discord API and gateway (tests/emulators/discord_api.py) with its default
    guild; `emu.running(client)` connects a client to it."""
    from tests.emulators.discord_api import DiscordEmulator

    async with DiscordEmulator() as emulator:
        yield emulator


@pytest.fixture
def cli_args(settings: Settings) -> list[str]:
    """`briefbot`'s --db and --config for the feed CLI tests: feeds may be fetched from the
    loopback server, at once."""
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    return ["--db", str(settings.db_path), "--config", str(config)]


def cli_run(cli_args: list[str], check: Callable[..., None],
            exit_code: int | None = 0) -> Callable[..., Any]:
    """`run(*args, code=exit_code)`: `briefbot` with `cli_args` and `args`, its result; its
    stdout and stderr were given to `check`, it printed no traceback and it exited with
    `code` (None: any code)."""
    from click.testing import CliRunner

    from bot.cli.main import cli

    runner = CliRunner()

    def run(*args: str, code: int | None = exit_code) -> Any:
        res = runner.invoke(cli, [*cli_args, *args])
        check(res.stdout, res.stderr)
        assert "Traceback" not in res.output, res.output
        if code is not None:
            assert res.exit_code == code, res.output
        return res

    return run


def remove_feed_one(chat: Any, core: Core, shown: str) -> tuple[Any, list[dict[str, Any]]]:
    """A bot admin's `/feeds remove 1` in `chat` (a TestAdapter on `core`), its answer naming
    the feed as `shown` in code (a link to an address with "***" in it would be broken): the
    answer, and the admin actions recorded (the pending ones written first)."""
    reply = chat.send("/feeds remove 1", admin=True)
    assert f"Stopped following feed #1 (`{shown}`)" in reply.plain_text()
    chat.router.flush_audit(5)
    return reply, [dict(r) for r in core.store.db.query("select * from admin_actions")]


def watch_polls(monkeypatch: pytest.MonkeyPatch, core: Core) -> list[str]:
    """The URLs `core.feed_watch` is told a poll of begins from now on (what /healthz shows
    being polled), in order."""
    polling: list[str] = []
    real_begin = core.feed_watch.begin

    def begin(feed_id: int, url: str) -> None:
        polling.append(url)
        real_begin(feed_id, url)

    monkeypatch.setattr(core.feed_watch, "begin", begin)
    return polling


# ---------------------------------------------------------------------------- scheduling
# (tests/test_scheduler.py's, and every scheduler test's)


class FakeDigests:
    """Stands in for Core.digest_for_schedule (the digest module is built elsewhere)."""

    def __init__(self) -> None:
        self.has_new = True
        self.calls: list[tuple[str, str | None]] = []
        self.error: Exception | None = None

    def __call__(self, core: Core, name: str, since: str | None) -> tuple[Reply, bool]:
        from bot.reply import Paragraph, Reply

        self.calls.append((name, since))
        if self.error is not None:
            raise self.error
        return Reply(title=f"{name} digest").add(Paragraph(f"body since {since}")), self.has_new


@pytest.fixture
def digests(tmp_path: Path) -> Path:
    """A digests folder: "daily" (08:00 in Berlin) and "quiet" (08:00 UTC, skipped when
    there is nothing new)."""
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "daily.toml").write_text(
        'title = "Daily"\n[[sections]]\nkind = "key-developments"\n'
        '[schedule]\ncron = "0 8 * * *"\ntimezone = "Europe/Berlin"\n')
    (folder / "quiet.toml").write_text(
        'title = "Quiet"\n[[sections]]\nkind = "key-developments"\n'
        '[schedule]\ncron = "0 8 * * *"\ntimezone = "UTC"\non_empty = "skip"\n')
    return folder


@pytest.fixture
def sched_settings(settings: Settings, digests: Path) -> Settings:
    settings.digests_dir = digests
    return settings


def digests_made_by(monkeypatch: pytest.MonkeyPatch,
                    make: Callable[[Core, str, str | None], tuple[Reply, bool]]) -> None:
    """Core.digest_for_schedule replaced by `make(core, name, since)` for the test (its other
    arguments left out)."""
    from bot.core import Core

    monkeypatch.setattr(Core, "digest_for_schedule",
                        lambda self, name, since, **kw: make(self, name, since))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeDigests:
    """Core.digest_for_schedule replaced by a FakeDigests, for the test to steer."""
    fake = FakeDigests()
    digests_made_by(monkeypatch, fake)
    return fake


@pytest.fixture
def sched_core(sched_settings: Settings) -> Iterator[Core]:
    """A Core with the `digests` folder (nothing loaded); closed after."""
    from bot.core import Core

    c = Core(sched_settings)
    yield c
    c.close()
