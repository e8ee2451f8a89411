"""`peerbot doctor`: everything an operator checks before going live, in one report."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.core.config import Secrets, Settings
from bot.runtime import missing_secrets, select_platform
from bot.store.db import StoreError, open_database
from bot.store.migrations import MIGRATIONS, applied_migrations


def doctor(settings: Settings, secrets: Secrets, config_path: Path | None, out: TextIO) -> int:
    problems = 0

    def line(ok: bool, text: str) -> None:
        nonlocal problems
        problems += 0 if ok else 1
        out.write(f"[{'ok' if ok else 'FAIL'}] {text}\n")

    source = str(config_path) if config_path else "built-in defaults (no peerbot.toml found)"
    line(True, f"config: {source} is valid")
    try:
        db = open_database(settings.bot.database, migrate=False)
        applied = applied_migrations(db) if "_sqlite_migrations" in db.table_names() else []
        pending = [m.name for m in MIGRATIONS.pending(db)]
        line(True, f"database: {settings.bot.database} opens; {len(applied)} migration(s) "
             f"applied, {len(pending)} pending (applied at start-up)")
        db.close()
    except StoreError as exc:
        line(False, f"database: {exc}")
    from datetime import UTC, datetime

    from bot.crisis.directory import stale_entries
    from bot.crisis.service import CrisisDataError, CrisisService

    try:
        crisis = CrisisService.load(settings.crisis.extra)
        stale = stale_entries(crisis.directory, datetime.now(UTC).date(),
                              settings.crisis.max_age_days)
        line(not stale, "crisis directory: " + (
            f"{len(stale)} entr(ies) not verified within {settings.crisis.max_age_days} days: "
            + ", ".join(stale) if stale else "every entry verified recently"))
    except CrisisDataError as exc:
        line(False, f"crisis directory: {exc}")
    platform = select_platform(settings, secrets)
    missing = missing_secrets(platform, settings, secrets)
    if missing:
        line(False, f"platform {platform}: missing environment variable(s) {', '.join(missing)}")
    else:
        line(True, f"platform {platform}: required tokens present (values not shown)")
    groups = ", ".join(g.name for g in settings.groups) or "none configured"
    out.write(f"would run: platform={platform}, command=/{settings.bot.command_name}, "
              f"crisis=/{settings.bot.crisis_command}, groups: {groups}\n")
    for group in settings.groups:
        c = group.checkins
        out.write(f"  {group.name}: check-ins {','.join(c.days)} at {c.time} local; "
                  f"pairing {group.pairing.schedule or 'on demand'}\n")
    return 0 if problems == 0 else 2
