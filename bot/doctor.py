"""`peerbot doctor [--json]`: everything an operator checks before going live, in one report.

The checks are gathered once as data (:func:`diagnose`) and then printed either as the
human report or as one JSON document for a deployment pipeline or a monitoring probe.
Token values never appear in either: only which variables are present.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.core.config import ConfigError, Secrets, Settings
from bot.runtime import TOKEN_VARIABLES, missing_secrets, select_platform
from bot.store.db import StoreError, open_database
from bot.store.migrations import MIGRATIONS, applied_migrations


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Diagnosis:
    version: str
    checks: list[Check] = field(default_factory=list)
    would_run: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))


def diagnose(settings: Settings, secrets: Secrets, config_path: Path | None, *,
             version: str, interactive: bool = False) -> Diagnosis:
    report = Diagnosis(version=version)
    source = str(config_path) if config_path else "built-in defaults (no peerbot.toml found)"
    report.add("config", True, f"{source} is valid (with any PEERBOT_ environment overrides)")
    _database(report, settings)
    _crisis(report, settings)
    try:
        platform = select_platform(settings, secrets, interactive=interactive)
    except ConfigError as exc:
        platform = settings.bot.platform
        report.add("platform", False, str(exc).removeprefix("config error: "))
    else:
        missing = missing_secrets(platform, settings, secrets)
        report.add("platform", not missing,
                   f"{platform}: missing environment variable(s) {', '.join(missing)}"
                   if missing else f"{platform}: required tokens present (values not shown)")
    env_present = [name for name, value in zip(
        TOKEN_VARIABLES, (secrets.slack_bot_token, secrets.slack_app_token,
                          secrets.slack_signing_secret, secrets.discord_token), strict=True)
        if value]
    report.would_run = {
        "platform": platform,
        "command": f"/{settings.bot.command_name}",
        "crisis_command": f"/{settings.bot.crisis_command}",
        "database": settings.bot.database,
        "tokens_present": env_present,
        "health": _health_address(settings, platform),
        "groups": [
            {"name": g.name, "checkins": {"days": list(g.checkins.days), "time": g.checkins.time},
             "pairing": g.pairing.schedule or "on demand"}
            for g in settings.groups
        ],
    }
    return report


def _health_address(settings: Settings, platform: str) -> str | None:
    ops = settings.monitoring
    return f"http://{ops.host}:{ops.port}" if ops.enabled_for(platform) else None


def _database(report: Diagnosis, settings: Settings) -> None:
    try:
        db = open_database(settings.bot.database, migrate=False)
    except StoreError as exc:
        report.add("database", False, str(exc))
        return
    try:
        applied = applied_migrations(db) if "_sqlite_migrations" in db.table_names() else []
        pending = [m.name for m in MIGRATIONS.pending(db)]
        report.add("database", True,
                   f"{settings.bot.database} opens; {len(applied)} migration(s) applied, "
                   f"{len(pending)} pending (applied at start-up or by `peerbot db migrate`)")
    finally:
        db.close()


def _crisis(report: Diagnosis, settings: Settings) -> None:
    from bot.crisis.directory import stale_entries
    from bot.crisis.service import CrisisDataError, CrisisService

    try:
        crisis = CrisisService.load(settings.crisis.extra)
    except CrisisDataError as exc:
        report.add("crisis directory", False, str(exc))
        return
    stale = stale_entries(crisis.directory, datetime.now(UTC).date(),
                          settings.crisis.max_age_days)
    report.add("crisis directory", not stale, (
        f"{len(stale)} entr(ies) not verified within {settings.crisis.max_age_days} days: "
        + ", ".join(stale)) if stale else "every entry verified recently")


def doctor(settings: Settings, secrets: Secrets, config_path: Path | None, out: TextIO, *,
           version: str = "unknown", as_json: bool = False, interactive: bool = False) -> int:
    report = diagnose(settings, secrets, config_path, version=version, interactive=interactive)
    if as_json:
        document = {"version": report.version, "ok": report.ok,
                    "checks": [asdict(c) for c in report.checks], "would_run": report.would_run}
        out.write(json.dumps(document, indent=2) + "\n")
        return 0 if report.ok else 2
    for check in report.checks:
        out.write(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}\n")
    run = report.would_run
    groups = ", ".join(g["name"] for g in run["groups"]) or "none configured"
    out.write(f"would run: platform={run['platform']}, command={run['command']}, "
              f"crisis={run['crisis_command']}, groups: {groups}\n")
    for group in run["groups"]:
        c = group["checkins"]
        out.write(f"  {group['name']}: check-ins {','.join(c['days'])} at {c['time']} local; "
                  f"pairing {group['pairing']}\n")
    if run["health"]:
        out.write(f"health and metrics: {run['health']}/healthz, /readyz, /metrics\n")
    return 0 if report.ok else 2
