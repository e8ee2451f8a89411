"""The daily retention purge (see bot/privacy/retention.py for the rules)."""

from __future__ import annotations

import logging

from apscheduler.triggers.cron import CronTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.privacy.erasure import checkpoint
from bot.privacy.retention import RetentionService
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.jobs.retention")
JOB_ID = "privacy.retention"


def run(ctx: AppContext) -> None:
    with write_transaction(ctx.db):
        report = RetentionService(
            ctx.db,
            ctx.clock,
            months=ctx.settings.privacy.retention_months,
            min_group_size=ctx.settings.pulse.min_group_size,
        ).purge()
    checkpoint(ctx.db)  # after the commit: a checkpoint cannot run inside a transaction
    if report.prompts:
        log.info("retention purged %s check-in(s) and %s answer(s) before %s; %s aggregate(s)",
                 report.prompts, report.answers, report.cutoff, report.aggregates)


def jobs(ctx: AppContext) -> list[JobSpec]:
    """Once a day at 03:17 UTC (off the hour, away from prompt times)."""
    return [JobSpec(id=JOB_ID, trigger=CronTrigger(hour=3, minute=17, timezone="UTC"), func=run,
                    misfire_grace_seconds=6 * 3600)]
