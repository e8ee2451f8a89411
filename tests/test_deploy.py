"""The container image, compose file, lock file and systemd unit, checked without a
container engine (none runs in CI): hadolint lints the Dockerfile, and the rest is read
for the promises docs/operations.md makes about them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support.paths import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
LOCK = (REPO / "requirements.lock").read_text(encoding="utf-8")
UNIT = (REPO / "deploy" / "peerbot.service").read_text(encoding="utf-8")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions(DOCKERFILE)
    last = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last:]


def test_hadolint_passes():
    binary = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(binary).exists():
        pytest.skip("hadolint is installed with the test extras on x86-64 Linux only")
    result = subprocess.run([binary, "--failure-threshold", "info", str(REPO / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_multi_stage_on_a_slim_python():
    steps = instructions(DOCKERFILE)
    args = dict(rest.split("=", 1) for word, rest in steps if word == "ARG" and "=" in rest)
    base = args["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base), base
    froms = [rest for word, rest in steps if word == "FROM"]
    assert len(froms) >= 2 and all(f.startswith("${PYTHON_IMAGE}") for f in froms)
    copies = [rest for word, rest in final_stage() if word == "COPY"]
    assert copies == ["--from=build /opt/peerbot /opt/peerbot"]  # no source, no compiler


def test_the_runtime_stage_runs_unprivileged_with_data_on_a_volume():
    stage = final_stage()
    users = [rest for word, rest in stage if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert [rest for word, rest in stage if word == "VOLUME"] == ['["/data"]']
    env = " ".join(rest for word, rest in stage if word == "ENV")
    assert "PEERBOT_BOT__DATABASE=/data/peerbot.sqlite" in env
    assert [rest for word, rest in stage if word == "ENTRYPOINT"] == ['["peerbot"]']


def test_the_healthcheck_asks_readyz_on_the_configured_port():
    checks = [rest for word, rest in final_stage() if word == "HEALTHCHECK"]
    assert len(checks) == 1 and "/readyz" in checks[0]
    assert "PEERBOT_MONITORING__PORT" in checks[0]
    env = " ".join(rest for word, rest in final_stage() if word == "ENV")
    assert "PEERBOT_MONITORING__HOST=0.0.0.0" in env  # reachable from the probe and Prometheus


def test_dependencies_install_only_from_the_hashed_lock():
    runs = [rest for word, rest in instructions(DOCKERFILE) if word == "RUN" and "pip" in rest]
    assert any("--require-hashes" in r and "-r requirements.lock" in r for r in runs)
    assert all("--no-deps" in r for r in runs)  # nothing unpinned slips in


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_is_pinned_with_hashes_in_the_lock():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {}
    for block in re.split(r"\n(?=\S)", LOCK):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            assert "--hash=sha256:" in block, match.group(1)
            pins[match.group(1).lower().replace("_", "-").replace(".", "-")] = match.group(2)
    wanted = {_name(r).replace(".", "-") for r in project["project"]["dependencies"]}
    assert wanted <= set(pins), sorted(wanted - set(pins))


def test_the_lock_matches_what_is_installed_here():
    """The tests run against the same major versions the image ships (a stale lock fails)."""
    from importlib import metadata

    for name in ("slack-bolt", "discord.py", "pydantic", "aiohttp", "prometheus-client"):
        key = name.replace(".", "-")
        pinned = re.search(rf"(?im)^{re.escape(key)}==(\S+)", LOCK.replace("discord-py",
                                                                         "discord-py"))
        assert pinned, name
        installed = metadata.version(name)
        assert pinned.group(1).split(".")[0] == installed.split(".")[0], (name, installed)


def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("service", "platform", "tokens"), [
    ("peerbot-slack", "slack", {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"}),
    ("peerbot-discord", "discord", {"DISCORD_TOKEN"}),
])
def test_compose_runs_each_platform_hardened_on_its_own_volume(service, platform, tokens):
    spec = compose()["services"][service]
    env = spec["environment"]
    assert env["PEERBOT_BOT__PLATFORM"] == platform
    assert tokens <= set(env)
    assert all(str(env[t]).startswith("${") for t in tokens)  # from .env, never inline
    assert spec["read_only"] is True and spec["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in spec["security_opt"]
    assert spec["restart"] == "unless-stopped"
    (volume,) = spec["volumes"]
    assert volume.endswith(":/data") and volume.split(":")[0] in compose()["volumes"]
    assert all(p.startswith("127.0.0.1:") for p in spec["ports"])  # metrics stay local
    assert spec["profiles"] == [platform]
    if platform == "slack":
        assert env["PEERBOT_SLACK__MODE"] == "socket"


def test_compose_settings_are_valid_config_keys():
    """Every PEERBOT_ variable compose sets names a real key (a typo would stop it)."""
    from bot.core.config import Settings
    from bot.core.config_env import key_path

    for spec in compose()["services"].values():
        for name in spec["environment"]:
            if name.startswith("PEERBOT_"):
                key_path(Settings, name)


def test_the_stop_grace_outlasts_the_bot_shutdown():
    from bot.core.config import Settings

    for spec in compose()["services"].values():
        assert float(spec["stop_grace_period"].rstrip("s")) > Settings().bot.shutdown_seconds


def unit() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_systemd_unit_is_hardened():
    u = unit()
    assert u["DynamicUser"] == ["yes"] or "User" in u
    assert u["ProtectSystem"] == ["strict"]
    assert u["ReadWritePaths"] == ["/var/lib/peerbot"]
    assert u["StateDirectory"] == ["peerbot"]
    assert u["Restart"] == ["on-failure"]
    assert u["RestartPreventExitStatus"] == ["2"]  # config errors are not retried forever
    for key in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices",
                "RestrictSUIDSGID", "ProtectKernelTunables"):
        assert u[key] in (["yes"], ["true"]), key
    assert u["CapabilityBoundingSet"] == [""]
    env = " ".join(u["Environment"])
    assert "PEERBOT_BOT__DATABASE=/var/lib/peerbot/" in env
    assert u["EnvironmentFile"] == ["/etc/peerbot/env"]  # tokens never in the unit


def test_systemd_accepts_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv = Path(sys.executable).parent.parent
    (tmp_path / "peerbot.service").write_text(UNIT.replace("/opt/peerbot/venv", str(venv)))
    result = subprocess.run([analyze, "verify", str(tmp_path / "peerbot.service")],
                            capture_output=True, text=True, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "peerbot.service" in line]
    assert problems == [], problems


def test_the_docs_say_how_to_build_and_run_without_a_file():
    ops = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    for phrase in ("docker build -t peerbot .", "docker compose --profile slack up -d",
                   "docker compose --profile discord up -d", "systemctl enable --now peerbot",
                   "peerbot db restore", "/readyz"):
        assert phrase in ops, phrase
