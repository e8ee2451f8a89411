"""The same APScheduler triggers fire on a manual clock, in order, across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.core.clock import ManualClock
from bot.core.jobs import JobSpec
from jobs.scheduler import ClockDrivenScheduler


async def test_cron_in_local_time_across_spring_forward(assembly):
    clock = ManualClock(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))
    fired: list[datetime] = []

    def job(ctx):
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
        def job(ctx):
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

    def bad(ctx):
        raise RuntimeError("boom")

    def good(ctx):
        ran.append("good")

    specs = [JobSpec("bad", CronTrigger(hour=1, timezone="UTC"), bad),
             JobSpec("good", CronTrigger(hour=2, timezone="UTC"), good)]
    await ClockDrivenScheduler(assembly.ctx, clock, specs).advance(timedelta(hours=3))
    assert ran == ["good"]


def test_a_coroutine_job_is_refused_at_registration():
    """Jobs run inside a transaction and must not await; a coroutine would never run."""
    import pytest

    async def job(ctx):
        return None

    with pytest.raises(TypeError, match="plain function"):
        JobSpec("j", CronTrigger(hour=1, timezone="UTC"), job)


def test_a_failed_step_rolls_back_alone_and_says_which(assembly, caplog):
    """bot.core.jobs.step: the one way a job runs an independent step."""
    from bot.core.jobs import step

    db = assembly.ctx.db
    members = assembly.ctx.members

    def fails():
        members.ensure_workspace("half", "console")
        raise RuntimeError("secret detail")

    assert step(db, "first", fails) == (False, None)
    assert step(db, "second", lambda: members.ensure_workspace("whole", "console") or 7) == (
        True, 7)
    ids = {r[0] for r in db.execute("SELECT id FROM workspaces")}
    assert "half" not in ids and "whole" in ids
    assert "job step first failed with RuntimeError" in caplog.text
    assert "secret detail" not in caplog.text  # the error line names the type, not the text
