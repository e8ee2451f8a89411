"""Retention: every data owner expires its own rows daily, then settled messages go too.

What check-ins keep past the cutoff (k-anonymous weekly means) is tested with the
check-ins, in tests/checkins/test_retention.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.core.router import DataOwner
from bot.privacy.jobs import run as purge_job
from bot.privacy.retention import months_before, purge
from jobs import collect_jobs
from jobs.scheduler import ClockDrivenScheduler

CANARY = "retention-canary-5d2a"


def setup(assembly):
    members = assembly.ctx.members
    members.ensure_workspace("console", "console")
    return assembly.ctx.db, members.ensure_group("console", "Circle").id


def checkin(db, group_id, user, local_date, values, note=None):
    cursor = db.execute(
        "INSERT INTO checkin_prompts (workspace_id, group_id, user_id, local_date, question_set,"
        " opened_at, closes_at, note) VALUES ('console', ?, ?, ?, 'default', ?, ?, ?)",
        [group_id, user, local_date, f"{local_date}T09:00:00+00:00",
         f"{local_date}T21:00:00+00:00", note],
    )
    for key, value in values.items():
        db.execute(
            "INSERT INTO checkin_answers (workspace_id, prompt_id, question_key, value,"
            " answered_at) VALUES ('console', ?, ?, ?, ?)",
            [cursor.lastrowid, key, value, f"{local_date}T10:00:00+00:00"],
        )


def owners(assembly):
    return assembly.core.router.data_owners


def test_months_before_clamps_to_month_end():
    assert months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert months_before(datetime(2026, 1, 5), 12) == datetime(2025, 1, 5)
    assert months_before(datetime(2026, 1, 5), 13) == datetime(2024, 12, 5)


def test_every_data_owner_with_an_expiry_gets_the_cutoff(assembly):
    seen = []

    def expire(ctx, cutoff):
        seen.append(cutoff)
        return {"rows": 7}

    mine = DataOwner("mine", lambda *a: {}, lambda *a: 0, expire)
    report = purge(assembly.ctx, [*owners(assembly), mine])
    assert seen == [datetime.fromisoformat("2025-01-05T08:00:00+00:00")]
    assert report.cutoff == "2025-01-05" and report.expired["mine"] == {"rows": 7}
    assert set(report.expired) == {o.topic for o in owners(assembly) if o.expire} | {"mine"}
    assert "checkins" in report.expired


def test_one_failing_owner_leaves_everything_for_tomorrow(assembly):
    db, group = setup(assembly)
    checkin(db, group, "a", "2024-06-03", {"mood": 3})

    def broken(ctx, cutoff):
        raise RuntimeError("boom")

    failing = DataOwner("x", lambda *a: {}, lambda *a: 0, broken)
    with pytest.raises(RuntimeError):
        purge_job(assembly.ctx, [*owners(assembly), failing])
    assert db.execute("SELECT count(*) FROM checkin_prompts").fetchone() == (1,)


def test_purged_notes_are_gone_from_the_files(assembly, settings):
    db, group = setup(assembly)
    checkin(db, group, "a", "2024-06-03", {"mood": 3}, note=CANARY)
    purge_job(assembly.ctx, owners(assembly))  # one unit of work, then a checkpoint
    for suffix in ("", "-wal", "-shm"):
        path = Path(settings.bot.database + suffix)
        if path.exists():
            assert path.read_bytes().count(CANARY.encode()) == 0, suffix


async def test_daily_job_runs_on_the_schedule(assembly, clock):
    db, group = setup(assembly)
    checkin(db, group, "a", "2024-12-03", {"mood": 3})
    specs = collect_jobs(assembly.ctx, assembly.core.router)
    assert "privacy.retention" in [s.id for s in specs]
    runs = await ClockDrivenScheduler(assembly.ctx, clock, specs).advance(timedelta(days=1))
    assert runs >= 1
    assert db.execute("SELECT count(*) FROM checkin_prompts").fetchone()[0] == 0
    entry = db.execute("SELECT actor_id, action FROM audit_log").fetchone()
    assert entry == ("scheduler", "privacy.retention")


def test_settled_messages_past_retention_go_pending_ones_stay(assembly, clock):
    from bot.core.model import Message, Target

    db, _ = setup(assembly)
    outbox = assembly.ctx.outbox
    clock.set(clock.now() - timedelta(days=400))
    with db.atomic():
        for user in ("old-sent", "old-pending"):
            outbox.enqueue("console", "r-old", Target(user_id=user),
                           Message(fallback=f"{CANARY} nudge"))
    db.execute("UPDATE outbox SET status = 'sent' WHERE user_id = 'old-sent'")
    clock.set(clock.now() + timedelta(days=400))
    with db.atomic():
        outbox.enqueue("console", "r-new", Target(user_id="new-sent"), Message(fallback="hi"))
    db.execute("UPDATE outbox SET status = 'sent' WHERE user_id = 'new-sent'")
    report = purge(assembly.ctx, owners(assembly))
    left = {r[0] for r in db.execute("SELECT user_id FROM outbox")}
    assert report.old_messages == 1 and left == {"old-pending", "new-sent"}
