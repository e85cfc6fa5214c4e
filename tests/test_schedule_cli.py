"""`briefbot schedule add|list|remove` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.main import cli
from bot.corpus.storage import Store


def project_with_daily_digest(tmp_path: Path) -> Path:
    """A project folder with its own config and one digest definition, `daily` (weekdays at
    08:00, Europe/Berlin)."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "briefbot.toml").write_text(
        '[storage]\ndb = "var/test.db"\n[digests]\nfolder = "digests"\n')
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text(
        'title = "Daily"\n[[sections]]\nkind = "key-developments"\n'
        '[schedule]\ncron = "0 8 * * 1-5"\ntimezone = "Europe/Berlin"\n')
    return tmp_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with its own config and digest definitions: `daily`, and `adhoc`
    without a schedule."""
    digests = project_with_daily_digest(tmp_path) / "digests"
    (digests / "adhoc.toml").write_text(
        'title = "No schedule"\n[[sections]]\nkind = "key-developments"\n')
    return tmp_path


def run(project: Path, *args: str) -> Result:
    config = str(project / "config" / "briefbot.toml")
    return CliRunner().invoke(cli, ["--config", config, "schedule", *args])


def store(project: Path) -> Store:
    return Store(project / "var" / "test.db")


def test_add_uses_the_digest_defaults(project: Path) -> None:
    res = run(project, "add", "--platform", "slack", "--channel", "C123", "--digest", "daily")
    assert res.exit_code == 0, res.output
    assert "Subscribed #1" in res.output and "0 8 * * 1-5 (Europe/Berlin)" in res.output
    row = store(project).subscription(1)
    assert row is not None
    assert (row["platform"], row["channel"], row["cron"], row["timezone"]) == (
        "slack", "C123", "0 8 * * 1-5", "Europe/Berlin")
    assert row["created_by"].startswith("cli:")


def test_add_with_explicit_cron_and_zone(project: Path) -> None:
    res = run(project, "add", "--platform", "discord", "--channel", "42", "--digest", "adhoc",
              "--cron", "30 17 * * 5", "--tz", "America/New_York")
    assert res.exit_code == 0, res.output
    row = store(project).subscription(1)
    assert row is not None and row["cron"] == "30 17 * * 5"
    assert row["timezone"] == "America/New_York"


@pytest.mark.parametrize(("cron", "field"), [
    ("0 25 * * *", "hour"),
    ("61 8 * * *", "minute"),
    ("0 8 32 * *", "day of month"),
    ("0 8 * 13 *", "month"),
    ("0 8 * * 9", "day of week"),
])
def test_invalid_cron_exits_non_zero_naming_the_field(project: Path, cron: str, field: str) -> None:
    res = run(project, "add", "--platform", "slack", "--channel", "C1", "--digest", "daily",
              "--cron", cron)
    assert res.exit_code != 0
    assert f"invalid cron {field} field" in res.output
    assert store(project).subscriptions() == []


@pytest.mark.parametrize(("args", "message"), [
    (["--cron", "0 8 * *"], "must have 5 fields"),
    (["--tz", "Mars/Olympus"], "unknown timezone"),
    (["--digest", "nope"], "no digest named 'nope'"),
])
def test_other_bad_input_is_refused(project: Path, args: list[str], message: str) -> None:
    base = {"--platform": "slack", "--channel": "C1", "--digest": "daily"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    res = run(project, "add", *[x for kv in base.items() for x in kv])
    assert res.exit_code != 0 and message in res.output


def test_add_without_cron_needs_a_default(project: Path) -> None:
    res = run(project, "add", "--platform", "slack", "--channel", "C1", "--digest", "adhoc")
    assert res.exit_code != 0 and "has no [schedule] cron" in res.output


def test_unknown_platform_is_refused(project: Path) -> None:
    res = run(project, "add", "--platform", "irc", "--channel", "C1", "--digest", "daily")
    assert res.exit_code != 0 and "irc" in res.output


def test_list_shows_next_run_last_status_and_failed_slots(project: Path) -> None:
    assert run(project, "list").output.startswith("No scheduled briefings")
    run(project, "add", "--platform", "slack", "--channel", "C1", "--digest", "daily")
    run(project, "add", "--platform", "discord", "--channel", "9", "--digest", "daily",
        "--cron", "0 9 * * *", "--tz", "UTC")
    st = store(project)
    st.claim_post_slot(1, "2024-06-19T06:00:00+00:00", "p", "2024", "2099")
    st.update_post_slot(1, "2024-06-19T06:00:00+00:00", "p", state="failed", attempts=4,
                        error="HTTP 503 (gave up after 4 attempts)")
    st.claim_post_slot(1, "2024-06-20T06:00:00+00:00", "p", "2024", "2099")
    st.update_post_slot(1, "2024-06-20T06:00:00+00:00", "p", state="posted", attempts=1)
    st.update_subscription(2, enabled=0, disabled_reason="channel 9 is gone: Unknown Channel")

    res = run(project, "list")
    assert res.exit_code == 0, res.output
    assert "#1 daily → slack:C1 · 0 8 * * 1-5 (Europe/Berlin) · next 20" in res.output
    assert "last: posted 2024-06-20T06:00:00+00:00" in res.output
    assert "FAILED slot 2024-06-19T06:00:00+00:00 after 4 attempts: HTTP 503" in res.output
    assert "#2 daily → discord:9" in res.output and "DISABLED: channel 9 is gone" in res.output

    data = json.loads(run(project, "list", "--json").output)
    assert [d["id"] for d in data] == [1, 2]
    assert data[0]["next_run"] and data[0]["last_status"] == "posted"
    assert data[0]["failed_slots"] == [{"slot": "2024-06-19T06:00:00+00:00", "attempts": 4,
                                        "error": "HTTP 503 (gave up after 4 attempts)"}]
    assert data[1]["enabled"] is False and data[1]["next_run"] is None


def test_remove(project: Path) -> None:
    run(project, "add", "--platform", "slack", "--channel", "C1", "--digest", "daily")
    st = store(project)
    st.claim_post_slot(1, "2024-06-19T06:00:00+00:00", "p", "2024", "2099")
    res = run(project, "remove", "1")
    assert res.exit_code == 0 and "Removed #1" in res.output
    assert st.subscriptions() == [] and st.post_slots(1) == []  # the ledger goes too
    res = run(project, "remove", "1")
    assert res.exit_code != 0 and "no subscription #1" in res.output
    assert run(project, "remove", "x").exit_code != 0


@pytest.mark.parametrize(("args", "says"), [
    (("--platform", "slack", "--channel", "#general"),
     "--channel '#general' is a channel name, not a Slack channel id"),
    (("--platform", "slack", "--channel", "C1", "--workspace", "acme"),
     "--workspace 'acme' is not a Slack team id"),
    (("--platform", "slack", "--channel", "C1", "--workspace", "t0123abcd"),
     "write 'T0123ABCD'"),
    (("--platform", "discord", "--channel", "42", "--workspace", "my server"),
     "--workspace 'my server' is not a Discord server id"),
])
def test_add_refuses_malformed_ids_naming_the_option(project: Path, args: tuple[str, ...],
                                                     says: str) -> None:
    # Both were stored as typed: a channel name, or a workspace no chat command comes from
    # (the subscription hidden from every chat admin's /schedules and /unsubscribe).
    res = run(project, "add", *args, "--digest", "daily", "--json")
    assert res.exit_code == 1
    assert json.loads(res.stdout) == {"error": json.loads(res.stdout)["error"]}
    assert says in json.loads(res.stdout)["error"], res.stdout
    assert store(project).subscriptions() == []


@pytest.mark.parametrize("command", [
    ("schedule", "add", "--platform", "console", "--channel", "console", "--digest", "dialy"),
    ("digest", "dialy"),
])
def test_a_mistyped_digest_name_is_answered_with_the_one_meant(
        project: Path, command: tuple[str, ...]) -> None:
    # The README promises `schedule add` what /subscribe answers; it said only "no digest
    # named 'dialy'; available: adhoc, daily" (the definition was read before the name was
    # checked), and so did `digest dialy`.
    config = str(project / "config" / "briefbot.toml")
    Store(project / "var" / "test.db").close()
    res = CliRunner().invoke(cli, ["--config", config, *command, "--json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == {
        "error": "no digest named 'dialy'; did you mean 'daily'? available: adhoc, daily"}
