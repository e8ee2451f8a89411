"""The check-in job: a one-minute tick that opens, reminds and closes prompts.

The tick keeps no state of the fan-out: every run asks the database what is due (see
bot.checkins.fanout), so APScheduler only decides *when* to look, a missed run is
caught up by the next one, and a restart can never send a prompt twice. The only thing
remembered between runs is when the next work is due (:class:`~bot.checkins.fanout.Ticker`).
"""

from __future__ import annotations

import logging

from apscheduler.triggers.interval import IntervalTrigger

from bot.checkins.fanout import Ticker
from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.jobs.checkins")


def jobs(ctx: AppContext) -> list[JobSpec]:
    ticker = Ticker()

    def run_tick(ctx: AppContext) -> None:
        with write_transaction(ctx.db):
            result = ticker(ctx)
        if result.opened or result.reminded or result.closed:
            log.info("check-ins: opened %s, reminded %s, closed %s", result.opened,
                     result.reminded, result.closed)

    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [
        JobSpec("checkins.tick", IntervalTrigger(minutes=1, start_date=start, timezone="UTC"),
                run_tick, misfire_grace_seconds=300),
    ]
