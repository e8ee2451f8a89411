"""The daily retention purge (see bot/privacy/retention.py for the rules), and the
re-erasure of erasures a restored database has not seen (bot/privacy/ledger.py)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils
from apscheduler.triggers.cron import CronTrigger

from bot.core.clock import SystemClock
from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.core.ports import Clock
from bot.core.router import DataOwner
from bot.privacy.erasure import checkpoint
from bot.privacy.ledger import LedgerError, Reapplied, unseen
from bot.privacy.reerase import reapply
from bot.privacy.retention import purge
from bot.store.db import open_database, write_transaction
from bot.store.migrations import apply_migrations

log = logging.getLogger("peerbot.jobs.retention")
LEDGER_LOG = logging.getLogger("peerbot.privacy.ledger")
JOB_ID = "privacy.retention"


def run(ctx: AppContext, owners: Sequence[DataOwner]) -> None:
    """Every owner's expiry and the outbox purge in one unit of work, then the checkpoint.

    One unit, so a purge that fails part-way leaves everything as it was for tomorrow's
    run; the WAL checkpoint comes after the commit, since it cannot run inside one.
    """
    with write_transaction(ctx.db):
        report = purge(ctx, owners)
    checkpoint(ctx.db)
    if report.removed_anything:
        log.info("retention before %s: %s; %s settled message(s)", report.cutoff,
                 report.expired, report.old_messages)


def jobs(ctx: AppContext, owners: Sequence[DataOwner]) -> list[JobSpec]:
    """Once a day at 03:17 UTC (off the hour, away from prompt times)."""

    def daily(ctx: AppContext) -> None:
        run(ctx, owners)

    return [JobSpec(id=JOB_ID, trigger=CronTrigger(hour=3, minute=17, timezone="UTC"),
                    func=daily, misfire_grace_seconds=6 * 3600)]


# ---- the re-erasure ledger (bot/privacy/ledger.py) ----------------------------------------


def reerase_open(db: sqlite_utils.Database, clock: Clock,
                 owners: Sequence[DataOwner]) -> Reapplied:
    """Apply again, in one unit of work, the erasures this (migrated) database has not
    seen, then empty its WAL. Raises LedgerError when they cannot be matched."""
    if not unseen(db):
        return Reapplied()
    with write_transaction(db):
        report = reapply(db, clock, owners)
    checkpoint(db)
    return report


def reerase(database: Path, clock: Clock, owners: Sequence[DataOwner]) -> list[str]:
    """`peerbot db restore`'s follow-up: the restored file is migrated only when an
    erasure must be re-applied (the owners' erase needs today's tables)."""
    db = open_database(database, migrate=False)
    try:
        lines = []
        if unseen(db):
            migrated = apply_migrations(db)
            if migrated:
                lines.append(f"applied {len(migrated)} pending migration(s) first, so that "
                             "erasures could be re-applied")
        report = reerase_open(db, clock, owners)
        return [*lines, report.sentence()]
    finally:
        db.close()


def reerase_at_start(db: sqlite_utils.Database, owners: Sequence[DataOwner]) -> None:
    """At every start: a database copied back by hand (not through `peerbot db restore`)
    is erased again before it serves anyone. A ledger that cannot be matched is logged
    as an error and tried again at the next start; it does not keep the bot down."""
    try:
        report = reerase_open(db, SystemClock(), owners)
    except LedgerError as exc:
        LEDGER_LOG.error("erasures not re-applied: %s", exc)
        return
    if report.entries:
        LEDGER_LOG.warning("%s", report.sentence())
