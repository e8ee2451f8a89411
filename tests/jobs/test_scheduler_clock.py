"""The same APScheduler triggers fire on a manual clock, in order, across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.core.clock import ManualClock
from jobs.scheduler import ClockDrivenScheduler, JobSpec


async def test_cron_in_local_time_across_spring_forward(assembly):
    clock = ManualClock(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))
    fired: list[datetime] = []

    async def job(ctx):
        fired.append(clock.now())

    trigger = CronTrigger(hour=9, minute=0, timezone="America/New_York")
    scheduler = ClockDrivenScheduler(assembly.ctx, clock, [JobSpec("j", trigger, job)])
    runs = await scheduler.advance(timedelta(days=4))
    assert runs == 4
    # 09:00 EST is 14:00 UTC; after the 8 March switch 09:00 EDT is 13:00 UTC
    assert [f.strftime("%d %H:%M") for f in fired] == ["06 14:00", "07 14:00", "08 13:00",
                                                       "09 13:00"]
    assert clock.now() == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


async def test_jobs_run_in_time_order_and_after_hook_runs(assembly):
    clock = ManualClock(datetime(2026, 1, 5, 0, 0, tzinfo=UTC))
    order: list[str] = []

    def make(name):
        async def job(ctx):
            order.append(name)

        return job

    async def after():
        order.append("drain")

    specs = [
        JobSpec("late", CronTrigger(hour=10, timezone="UTC"), make("late")),
        JobSpec("early", CronTrigger(hour=9, timezone="UTC"), make("early")),
    ]
    await ClockDrivenScheduler(assembly.ctx, clock, specs).advance(timedelta(hours=12), after)
    assert order == ["early", "drain", "late", "drain", "drain"]


async def test_a_failing_job_does_not_stop_the_others(assembly):
    clock = ManualClock(datetime(2026, 1, 5, 0, 0, tzinfo=UTC))
    ran: list[str] = []

    async def bad(ctx):
        raise RuntimeError("boom")

    async def good(ctx):
        ran.append("good")

    specs = [JobSpec("bad", CronTrigger(hour=1, timezone="UTC"), bad),
             JobSpec("good", CronTrigger(hour=2, timezone="UTC"), good)]
    await ClockDrivenScheduler(assembly.ctx, clock, specs).advance(timedelta(hours=3))
    assert ran == ["good"]
