"""The check-in job: a one-minute tick that opens, reminds and closes prompts.

The tick holds no state: every run asks the database what is due (see
bot.checkins.fanout), so APScheduler only decides *when* to look, a missed
run is caught up by the next one, and a restart can never send a prompt twice.
"""

from __future__ import annotations

import logging

from apscheduler.triggers.interval import IntervalTrigger

from bot.checkins.fanout import tick
from bot.core.context import AppContext
from jobs.scheduler import JobSpec

log = logging.getLogger("peerbot.jobs.checkins")


async def run_tick(ctx: AppContext) -> None:
    result = tick(ctx)
    if result.opened or result.reminded or result.closed:
        log.info("check-ins: opened %s, reminded %s, closed %s", result.opened,
                 result.reminded, result.closed)


def jobs(ctx: AppContext) -> list[JobSpec]:
    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [
        JobSpec("checkins.tick", IntervalTrigger(minutes=1, start_date=start, timezone="UTC"),
                run_tick, misfire_grace_seconds=300),
    ]
