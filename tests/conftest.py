"""Shared fixtures: tiny corpora in temporary folders, settings and stores pointing at them."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.config import Settings, load_settings
from bot.corpus.storage import Store
from tests.emulators.slack_api import SlackWebAPIMock, without_proxies
from tests.feeds_server import FixtureServer, install_story, running

if TYPE_CHECKING:
    from bot.core import Core

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def seeds_core(settings: Settings, seeds_copy: Path) -> Core:
    """A Core over a private copy of the seed articles, reloaded (not closed after)."""
    from bot.core import Core

    settings.default_paths = [seeds_copy]
    core = Core(settings)
    core.reload()
    return core


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
