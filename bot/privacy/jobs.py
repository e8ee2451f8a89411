"""The daily retention purge (see bot/privacy/retention.py for the rules)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from apscheduler.triggers.cron import CronTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.core.router import DataOwner
from bot.privacy.erasure import checkpoint
from bot.privacy.retention import purge
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.jobs.retention")
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
