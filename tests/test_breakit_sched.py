"""Break-it findings on scheduled briefings, digest definitions and their CLI: each test
failed before its fix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import paths as paths_module
from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.health import Health
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from bot.schedule.subscriptions import Subscription
from tests.test_schedule_cli import project_with_daily_digest

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def core(settings: Settings, tmp_path: Path) -> Iterator[Core]:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"\n')
    settings.digests_dir = folder
    c = Core(settings)
    yield c
    c.close()


def _sub(core: Core, cron: str, tz: str, channel: str = "C1") -> int:
    row = core.store.add_subscription("test", channel, "daily", cron, tz, "test:admin")
    core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
    return int(row["id"])


def test_health_next_post_is_the_earliest_across_time_zones(core: Core) -> None:
    """`/healthz` scheduler.next_post took the smallest *string* of the local times
    ("2024-06-22 07:30 UTC" < "2024-06-22 08:00 JST"), not the earliest post: 08:00 in Tokyo
    is 23:00 UTC the day before."""
    _sub(core, "30 7 * * *", "UTC")
    _sub(core, "0 8 * * *", "Asia/Tokyo", channel="C2")
    now = datetime(2024, 6, 21, 10, tzinfo=UTC)
    health = Health(core)
    health.scheduler = BriefingScheduler(core, {"test": TestAdapter(core)},
                                         config=SchedulerConfig(), clock=lambda: now)
    report = health._scheduler([])
    assert report["subscriptions"] == 2
    assert report["next_post"] == "2024-06-22 08:00 JST"


def test_next_run_shows_the_time_a_skipped_spring_slot_posts() -> None:
    """`schedule list`, `/schedules` and `/subscribe` showed 02:30 (an hour that does not
    exist in Berlin on 2027-03-28, written with the winter offset) for a post made at
    03:30 CEST."""
    sub = Subscription(1, "test", "C1", "daily", "30 2 * * *", "Europe/Berlin", "x",
                       "2024-01-01T00:00:00+00:00")
    nxt = sub.next_run(datetime(2027, 3, 27, 12, tzinfo=BERLIN))
    assert nxt is not None
    assert nxt.isoformat(timespec="minutes") == "2027-03-28T03:30+02:00"


def test_next_run_skips_the_repeated_autumn_time_the_scheduler_does_not_post() -> None:
    """After 02:30 CEST posted on 2027-10-31 the clocks go back; at 02:10 CET the next post
    shown was 02:30 CET that day, a repeated time the scheduler does not post (it fires
    once), instead of 02:30 on 1 November."""
    sub = Subscription(1, "test", "C1", "daily", "30 2 * * *", "Europe/Berlin", "x",
                       "2024-01-01T00:00:00+00:00")
    nxt = sub.next_run(datetime(2027, 10, 31, 1, 10, tzinfo=UTC))  # 02:10 CET, second pass
    assert nxt is not None
    assert nxt.isoformat(timespec="minutes") == "2027-11-01T02:30+01:00"


# ---------------------------------------------------------------------------- definitions


def _cli(project: Path, *args: str) -> Any:
    from click.testing import CliRunner

    from bot.cli.main import cli

    return CliRunner().invoke(cli, ["--config", str(project / "config" / "briefbot.toml"),
                                    *args])


@pytest.mark.parametrize("args", [
    ("schedule", "add", "--platform", "slack", "--channel", "C1", "--digest", "daily"),
    ("digest", "daily", "--json"),
])
def test_an_unreadable_definition_is_one_line_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    """A definition the bot's user may not read (a service user, a file kept 0600 by
    another) raised PermissionError out of the CLI: a traceback."""
    project = project_with_daily_digest(tmp_path)
    real_text, real_bytes = Path.read_text, Path.read_bytes

    def denied(self: Path) -> None:
        if self.name == "daily.toml":
            raise PermissionError(13, "Permission denied", str(self))

    def read_text(self: Path, *a: Any, **kw: Any) -> str:
        denied(self)
        return real_text(self, *a, **kw)

    def read_bytes(self: Path) -> bytes:
        denied(self)
        return real_bytes(self)

    real_read = paths_module._read_admin_file

    def read_admin_file(path: Path, name: str) -> bytes:  # (bot.paths.read_utf8_text's read)
        denied(path)
        return real_read(path, name)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(paths_module, "_read_admin_file", read_admin_file)
    res = _cli(project, *args)
    assert res.exit_code == 1, res.output
    assert not isinstance(res.exception, PermissionError)
    assert "cannot read" in res.output and "daily.toml" in res.output
    assert "Permission denied" in res.output


def test_a_folder_named_like_a_definition_is_not_offered(tmp_path: Path) -> None:
    """`digests/old.toml/` (a folder) was listed as an available digest, then refused by the
    same message: "no digest named 'old'; available: daily, old"."""
    project = project_with_daily_digest(tmp_path)
    (project / "digests" / "old.toml").mkdir()
    (project / "digests" / "gone.toml").symlink_to(project / "digests" / "missing")
    res = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
               "--digest", "old")
    assert res.exit_code == 1
    # (since 2026-12-07 the folder is named as such, where it was "no digest named 'old';
    # available: daily")
    assert f"the digest definition {project / 'digests' / 'old.toml'} is a folder" in res.output
    assert "old," not in res.output and "gone" not in res.output
    res = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
               "--digest", "nosuch")
    assert res.exit_code == 1 and "no digest named 'nosuch'; available: daily" in res.output


@pytest.mark.parametrize(("schedule", "message"), [
    ('cron = ["0 8 * * *"]', "[schedule] cron must be a string"),
    ('cron = "0 8 * * *"\ntimezone = 1', "[schedule] timezone must be a string"),
])
def test_schedule_fields_of_the_wrong_type_are_named(tmp_path: Path, schedule: str,
                                                     message: str) -> None:
    """`cron = ["0 8 * * *"]` was read as the text of the list: "invalid cron minute field
    \"['0\"", naming a field the file does not have."""
    from bot.digest.definitions import load_definition
    from bot.errors import UserError

    (tmp_path / "d.toml").write_text(f'[[sections]]\nkind = "timeline"\n[schedule]\n{schedule}\n')
    with pytest.raises(UserError) as caught:
        load_definition(tmp_path, "d")
    assert message in caught.value.message


# ---------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(("first", "again"), [
    ("0 8 * * 1-5", "0 8 * * mon-fri"),
    ("0 8 * * 1-5", "00 08 * * MON-FRI"),
    ("0 8 * * 0", "0 8 * * 7"),
    ("*/30 * * * *", "0,30 * * * *"),
])
def test_the_same_schedule_spelt_otherwise_is_a_duplicate(settings: Settings, first: str,
                                                           again: str) -> None:
    """`0 8 * * 1-5` (the CLI) and `0 8 * * mon-fri` (a chat /subscribe) fire at the same
    slots, but the duplicate check compared the texts of the fields: both were added and
    every slot was posted twice in the channel."""
    from bot.corpus.storage import DuplicateSubscription, Store

    store = Store(settings.db_path)
    try:
        first_id = store.add_subscription("slack", "C1", "daily", first, "UTC", "cli:x")["id"]
        with pytest.raises(DuplicateSubscription) as caught:
            store.add_subscription("slack", "C1", "daily", again, "UTC", "slack:U1")
        assert caught.value.existing == first_id
        assert len(store.subscriptions()) == 1
    finally:
        store.close()


@pytest.mark.parametrize(("first", "other"), [
    ("0 8 1 * *", "0 8 1 * 0-6"),   # the 1st, against the 1st or any weekday (every day)
    ("0 8 * * 1", "0 8 1-31 * 1"),  # Mondays, against every day
    ("0 8 * * 1-5", "0 9 * * 1-5"),
])
def test_different_schedules_are_not_duplicates(settings: Settings, first: str,
                                                other: str) -> None:
    from bot.corpus.storage import Store

    store = Store(settings.db_path)
    try:
        store.add_subscription("slack", "C1", "daily", first, "UTC", "cli:x")
        store.add_subscription("slack", "C1", "daily", other, "UTC", "cli:x")
        assert len(store.subscriptions()) == 2
    finally:
        store.close()


# ---------------------------------------------------------------------------- digest --since-last


def test_since_last_briefs_the_subscriptions_own_digest(tmp_path: Path) -> None:
    """`briefbot digest --since-last 1` for a subscription of the weekly digest built the
    default (daily) one: another title, sections and budget than the post it previews."""
    import json

    from bot.corpus.storage import Store

    project = project_with_daily_digest(tmp_path)
    (project / "digests" / "weekly.toml").write_text(
        'title = "Weekly round-up"\nwords = 120\n[[sections]]\nkind = "key-developments"\n')
    res = _cli(project, "reload", str(Path(__file__).resolve().parent.parent / "seeds"))
    assert res.exit_code == 0, res.output
    store = Store(project / "var" / "test.db")
    try:
        sub = store.add_subscription("slack", "C1", "weekly", "0 9 * * 1", "UTC", "test")["id"]
    finally:
        store.close()
    res = _cli(project, "digest", "--since-last", str(sub), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["title"] == "Weekly round-up"
    res = _cli(project, "digest", "daily", "--since-last", str(sub), "--json")  # NAME wins
    assert json.loads(res.output)["title"] == "Daily"


# ---------------------------------------------------------------------------- misfire grace


@pytest.mark.asyncio
@pytest.mark.parametrize("late", [0.5, 30.0])
async def test_no_misfire_grace_still_posts_slots_on_time(core: Core, late: float,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`misfire_grace_seconds = 0` (allowed: "post no missed slot after a downtime") lost
    every slot: the job fires a moment after its time, and a grace window of 0 s left no
    slot due; a job run late (a busy job store) left it to the sweep, up to sweep_seconds
    later, with the same empty window."""
    from datetime import timedelta

    from bot.reply import Paragraph, Reply

    monkeypatch.setattr(Core, "digest_for_schedule",
                        lambda self, name, since, **kw: (Reply(title="d").add(Paragraph("x")),
                                                         True))
    sub = _sub(core, "0 8 * * *", "UTC")
    slot = datetime(2024, 6, 19, 8, tzinfo=UTC)
    adapter = TestAdapter(core)
    config = SchedulerConfig(misfire_grace_seconds=0, sweep_seconds=60)
    now = slot + timedelta(seconds=late)
    sched = BriefingScheduler(core, {"test": adapter}, config=config, clock=lambda: now)
    assert await sched.run_due(sub, now) == "posted"
    assert len(adapter.posts) == 1
    # a downtime's missed slot is still not posted at start
    later = slot + timedelta(days=1, hours=2)
    assert await sched.run_due(sub, later) == "nothing-due"


# ---------------------------------------------------------------------------- delivery timeout


@pytest.mark.asyncio
async def test_a_delivery_timeout_of_zero_would_fail_every_post(core: Core,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """What `delivery_timeout_seconds = 0` did (the config took it, as "no timeout" reads
    in many tools): every attempt timed out at once and every slot failed."""
    from bot.reply import Paragraph, Reply

    monkeypatch.setattr(Core, "digest_for_schedule",
                        lambda self, name, since, **kw: (Reply(title="d").add(Paragraph("x")),
                                                         True))

    async def no_sleep(seconds: float) -> None:
        return None

    sub = _sub(core, "0 8 * * *", "UTC")
    slot = datetime(2024, 6, 19, 8, tzinfo=UTC)
    config = SchedulerConfig(delivery_timeout_seconds=0, max_attempts=2)
    sched = BriefingScheduler(core, {"test": TestAdapter(core)}, config=config,
                              clock=lambda: slot, sleep=no_sleep)
    assert await sched.run_slot(sub, slot) == "failed"


def test_delivery_timeout_must_be_positive(tmp_path: Path) -> None:
    from bot.config import load_settings
    from bot.errors import UserError

    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[scheduler]\ndelivery_timeout_seconds = 0\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_settings(cfg)
    assert "[scheduler] delivery_timeout_seconds: must be more than 0, not 0" in caught.value.message
    assert caught.value.message.count("\n") == 0


def test_a_lease_shorter_than_a_delivery_is_refused(tmp_path: Path) -> None:
    """A claim's lease is renewed before each delivery attempt; one shorter than the attempt
    may run (`lease_seconds = 30` with the default 60 s timeout) expires while the post is
    being delivered, and a second bot process on the database takes the slot over and posts
    it again."""
    from bot.config import load_settings
    from bot.errors import UserError

    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[scheduler]\nlease_seconds = 30\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_settings(cfg)
    assert ("[scheduler] lease_seconds: must be more than delivery_timeout_seconds (60), "
            "not 30") in caught.value.message
    cfg.write_text("[scheduler]\nlease_seconds = 30\ndelivery_timeout_seconds = 20\n",
                   encoding="utf-8")
    assert load_settings(cfg).section("scheduler")["lease_seconds"] == 30


# ---------------------------------------------------------------------------- schedule --json


def test_schedule_add_and_remove_answer_in_json(tmp_path: Path) -> None:
    """`schedule add` and `schedule remove` had no --json: a script adding a subscription had
    to scrape its id out of "Subscribed #3: …", and their errors were not JSON."""
    import json

    project = project_with_daily_digest(tmp_path)
    res = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
               "--digest", "daily", "--json")
    assert res.exit_code == 0, res.output
    added = json.loads(res.stdout)
    listed = json.loads(_cli(project, "schedule", "list", "--json").stdout)
    assert listed == [added] and added["cron"] == "0 8 * * 1-5"
    res = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
               "--digest", "daily", "--cron", "0 8 * * mon-fri", "--tz", "Europe/Berlin",
               "--json")
    assert res.exit_code == 1
    assert json.loads(res.stdout)["error"].startswith(f"already subscribed as #{added['id']}")
    res = _cli(project, "schedule", "remove", str(added["id"]), "--json")
    assert res.exit_code == 0, res.output
    removed = json.loads(res.stdout)
    assert removed["removed"] == added["id"] and removed["channel"] == "C1"
    res = _cli(project, "schedule", "remove", str(added["id"]), "--json")
    assert res.exit_code == 1 and "no subscription" in json.loads(res.stdout)["error"]


# ---------------------------------------------------------------------------- Ctrl-C at start


def test_ctrl_c_while_the_command_line_loads_is_no_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line takes over a second to import (numpy, the models' runtimes, click's
    commands): a Ctrl-C then, before click could catch it, printed a 30-line traceback
    ending in KeyboardInterrupt. The entry point now says "Aborted!" as click does, exit 1."""
    import importlib.abc
    import sys

    import bot.cli

    class Interrupted(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> None:
            if name == "bot.cli.main":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "bot.cli.main", raising=False)
    monkeypatch.delattr(bot.cli, "main", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Interrupted(), *sys.meta_path])
    from bot.cli import entry

    with pytest.raises(SystemExit) as caught:
        entry()
    assert caught.value.code == 1
    assert capsys.readouterr().err == "Aborted!\n"


@pytest.mark.parametrize(("typed", "zone"), [("utc", "UTC"), ("europe/berlin", "Europe/Berlin"),
                                             (" Europe/Berlin", "Europe/Berlin")])
def test_a_zone_typed_in_another_case_is_suggested(typed: str, zone: str) -> None:
    """`/subscribe daily 0 8 * * * utc` was refused without saying that `UTC` is the name."""
    from bot.cron import validate_timezone
    from bot.errors import UserError

    with pytest.raises(UserError) as caught:
        validate_timezone(typed)
    assert f"did you mean {zone!r}?" in caught.value.message


@pytest.mark.parametrize(("typed", "zone"), [("EUROPE/BERLN", "Europe/Berlin"),
                                             ("Europe/Berln", "Europe/Berlin"),
                                             ("America/New York", "America/New_York")])
def test_a_misspelt_zone_is_suggested_wherever_it_is_typed(tmp_path: Path, core: Core,
                                                           typed: str, zone: str) -> None:
    """A zone misspelt, or with a space for its underscore, got no guess in `/subscribe`,
    `schedule add` or a definition's [schedule] (only a zone differing in case had one)."""
    from bot.digest.definitions import parse_definition
    from bot.errors import UserError

    hint = f"did you mean {zone!r}?"
    answer = TestAdapter(core).send(f'/subscribe daily "0 8 * * *" "{typed}"',
                                    admin=True).plain_text()
    assert hint in answer, answer
    (tmp_path / "project").mkdir()
    project = project_with_daily_digest(tmp_path / "project")
    result = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
                  "--digest", "daily", "--tz", typed)
    assert result.exit_code == 1 and hint in result.output, result.output
    with pytest.raises(UserError) as caught:
        parse_definition("x", {"sections": ["timeline"],
                               "schedule": {"cron": "0 8 * * *", "timezone": typed}})
    assert hint in caught.value.message


@pytest.mark.parametrize(("typed", "was"), [("CEST", "EST"), ("PST", "MST"), ("IST", "MST"),
                                            ("Z", "NZ"), ("GMT+2", "GMT+0"), ("UTC+2", "UTC"),
                                            ("Europe", "Europe/Rome"), ("India", "Indian/Mahe")])
def test_a_code_an_offset_or_an_area_is_not_guessed_as_a_zone_of_another_clock(
        typed: str, was: str) -> None:
    """An abbreviation, an offset or an area alone is no misspelling of the zone as close in
    letters: 'CEST' got "did you mean 'EST'?" (US Eastern time, six hours off), 'Z' 'NZ'
    (New Zealand), 'GMT+2' 'GMT+0', 'Europe' one of its zones (`was`)."""
    from bot.cron import validate_timezone
    from bot.errors import UserError

    with pytest.raises(UserError) as caught:
        validate_timezone(typed)
    assert "did you mean" not in caught.value.message, (was, caught.value.message)


@pytest.mark.parametrize(("typed", "zone"), [("Sydney", "Australia/Sydney"),
                                             ("Paris", "Europe/Paris"),
                                             ("new york", "America/New_York"),
                                             ("Aruba", "America/Aruba"),  # 'Africa/Juba'
                                             ("West", None),  # Brazil/ and Australia/West
                                             # (two names of one zone, tzdata's links)
                                             ("Jujuy", "America/Jujuy"),
                                             ("ACT", None),  # Australia/ACT: a code
                                             ("Atlantic", None)])  # an area
def test_a_city_that_is_one_zones_location_is_guessed(typed: str, zone: str | None) -> None:
    """"Sydney" and "Paris" got no guess ("Berlin" did): too short beside the whole name of
    their zone; "Aruba" got 'Africa/Juba'. A city that is the last part of one zone's name
    gives that zone; of several, none, nor one written as a code or an area's name."""
    from bot.cron import validate_timezone
    from bot.errors import UserError

    with pytest.raises(UserError) as caught:
        validate_timezone(typed)
    guess = re.search(r"did you mean '([^']+)'", caught.value.message)
    assert (guess and guess.group(1)) == zone, caught.value.message


@pytest.mark.parametrize(("city", "zone"), [("New York", "America/New_York"),
                                            ("Buenos Aires", "America/Buenos_Aires")])
def test_a_city_typed_unquoted_with_a_space_is_named_in_chat(core: Core, city: str,
                                                             zone: str) -> None:
    """"Buenos Aires", the location of two names of one zone ('America/Buenos_Aires', a link
    to 'America/Argentina/Buenos_Aires'), got the usage answer, no word of the zone."""
    answer = TestAdapter(core).send(f"/subscribe daily 0 8 * * * {city}", admin=True)
    assert (f"Unknown timezone '{city}': zone names have underscores, not spaces: did you mean"
            f" '{zone}'?") in answer.plain_text(), answer.plain_text()


SPACED_ZONE = ("timezone 'America/New York': zone names have underscores, not spaces: did you "
               "mean 'America/New_York'?")


@pytest.mark.parametrize("command", ["/subscribe daily 0 8 * * * America/New York",
                                     '/subscribe daily "0 8 * * *" America/New York'])
def test_a_zone_typed_unquoted_with_a_space_is_named_in_chat(core: Core, command: str) -> None:
    """The zone's words past the cron were one too many: the generic usage answer ("CRON has
    5 fields …"), no word of the zone."""
    answer = TestAdapter(core).send(command, admin=True).plain_text()
    assert f"Unknown {SPACED_ZONE}" in answer, answer
    other = TestAdapter(core).send("/subscribe daily 0 8 * * * UTC extra", admin=True)
    assert other.plain_text().startswith("Usage: /subscribe DIGEST CRON [TZ]"), other


def test_a_zone_typed_unquoted_with_a_space_is_named_by_schedule_add(tmp_path: Path) -> None:
    """`--tz America/New York` left "York" over: click's "Got unexpected extra argument
    (York)", exit 2."""
    project = project_with_daily_digest(tmp_path)
    add = ("schedule", "add", "--platform", "slack", "--channel", "C1", "--digest", "daily")
    result = _cli(project, *add, "--tz", "America/New", "York", "--cron", "0 8 * * *")
    assert result.exit_code == 1 and f"Error: unknown {SPACED_ZONE}" in result.output, \
        result.output
    result = _cli(project, *add, "--tz", "UTC", "extra")  # other words: as before
    assert result.exit_code == 2, result.output
    assert "Got unexpected extra argument (extra)" in result.output, result.output


@pytest.mark.parametrize("left", [["UTC", "extra"], ["America/New", "York"]])
def test_schedule_add_with_words_left_over_still_completes(left: list[str]) -> None:
    """The shell's Tab (click's completion, `_BRIEFBOT_COMPLETE`) after `schedule add --tz
    UTC extra` raised click's "Got unexpected extra argument (extra)", and after `--tz
    America/New York` the zone's refusal, where click offers the options at any words."""
    from click.shell_completion import ShellComplete

    from bot.cli.main import cli

    complete = ShellComplete(cli, {}, "briefbot", "_BRIEFBOT_COMPLETE")
    offered = complete.get_completions(["schedule", "add", "--tz", *left], "--pl")
    assert [c.value for c in offered] == ["--platform"]


@pytest.mark.parametrize("term", ["!!!", "the", "—"])
def test_a_stories_about_term_with_no_word_is_refused(term: str) -> None:
    """`stories_about = ["!!!"]` (or a stop word) matched no story, ever: every briefing
    said "No story mentions '!!!'" and every scheduled post of it was empty."""
    from bot.digest.definitions import parse_definition
    from bot.errors import UserError

    with pytest.raises(UserError) as caught:
        parse_definition("d", {"sections": ["key"], "stories_about": ["Putin", term]})
    assert "stories_about" in caught.value.message and repr(term) in caught.value.message


def test_schedule_list_flags_a_subscription_whose_digest_is_gone(tmp_path: Path) -> None:
    """A subscription whose digest definition was deleted after it subscribed was listed as
    ever ("next 2024-…"), while each of its posts would fail ("no digest named 'weekly'")."""
    import json

    project = project_with_daily_digest(tmp_path)
    weekly = project / "digests" / "weekly.toml"
    weekly.write_text('title = "Weekly"\n[[sections]]\nkind = "key-developments"\n')
    for digest in ("daily", "weekly"):
        res = _cli(project, "schedule", "add", "--platform", "slack", "--channel", "C1",
                   "--digest", digest, "--cron", "0 9 * * 1", "--tz", "UTC")
        assert res.exit_code == 0, res.output
    weekly.unlink()
    res = _cli(project, "schedule", "list")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    flagged = [k for k, line in enumerate(lines) if "DIGEST UNREADABLE" in line]
    assert len(flagged) == 1 and "weekly" in lines[flagged[0] - 1], res.stdout
    assert "no digest named 'weekly'" in lines[flagged[0]]
    listed = json.loads(_cli(project, "schedule", "list", "--json").stdout)
    problems = {s["digest"]: s["digest_problem"] for s in listed}
    assert problems["daily"] is None
    assert (problems["weekly"] or "").startswith("no digest named 'weekly'")


def test_chat_flags_a_subscription_whose_digest_is_gone(core: Core) -> None:
    """`/schedules` and `/status` showed it as ever ("next …"), as `schedule list` did (a
    second read's find), without the definition's error, which may name the host's folders."""
    weekly = core.settings.digests_dir / "weekly.toml"  # type: ignore[operator]
    weekly.write_text('title = "Weekly"\n[[sections]]\nkind = "key-developments"\n')
    for digest in ("daily", "weekly"):
        core.store.add_subscription("test", "test-channel", digest, "0 9 * * 1", "UTC",
                                    "test:admin")
    weekly.unlink()
    chat = TestAdapter(core)
    for command in ("/schedules", "/status"):
        lines = chat.send(command, admin=True).plain_text().splitlines()
        gone = [ln for ln in lines if "DIGEST UNREADABLE" in ln]
        assert len(gone) == 1 and "weekly" in gone[0], (command, lines)
        assert "'weekly' is missing or broken, so each post fails" in gone[0]
        assert str(core.settings.digests_dir) not in "\n".join(lines)
        assert any("daily" in ln and "UNREADABLE" not in ln for ln in lines), lines
