"""Retention: old check-ins are purged daily; only k-anonymous weekly aggregates remain."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.privacy.jobs import run as purge_job
from bot.privacy.retention import RetentionService, aggregates, months_before
from jobs import collect_jobs
from jobs.scheduler import ClockDrivenScheduler

CANARY = "retention-canary-5d2a"


def setup(assembly):
    db = assembly.ctx.db
    if "checkin_prompts" not in db.table_names():
        pytest.skip("the check-ins schema has not landed yet")
    members = assembly.ctx.members
    members.ensure_workspace("console", "console")
    return db, members.ensure_group("console", "Circle").id


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
    db.commit()


def service(assembly, k=3):
    return RetentionService(assembly.ctx.db, assembly.ctx.clock, months=12, min_group_size=k)


def test_months_before_clamps_to_month_end():
    assert months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert months_before(datetime(2026, 1, 5), 12) == datetime(2025, 1, 5)
    assert months_before(datetime(2026, 1, 5), 13) == datetime(2024, 12, 5)


def test_old_answers_purged_recent_kept_aggregates_only_for_k(assembly):
    db, group = setup(assembly)
    for n, user in enumerate(("a", "b", "c", "d")):  # 4 people in the week of 2024-12-02
        checkin(db, group, user, "2024-12-03", {"mood": 2 + n, "burnout": 2},
                note=CANARY if user == "a" else None)
    for user in ("a", "b"):  # only 2 people in the week of 2024-12-09: below k=3
        checkin(db, group, user, "2024-12-10", {"mood": 1})
    checkin(db, group, "a", "2025-12-29", {"mood": 5})  # recent
    report = service(assembly).purge()
    assert (report.prompts, report.answers) == (6, 10)
    left = db.execute("SELECT local_date FROM checkin_prompts").fetchall()
    assert left == [("2025-12-29",)]
    assert aggregates(db, "console", group) == [
        {"period": "2024-12-02", "question_key": "burnout", "respondents": 4, "answers": 4,
         "mean": 2.0},
        {"period": "2024-12-02", "question_key": "mood", "respondents": 4, "answers": 4,
         "mean": 3.5},
    ]


def test_whole_weeks_go_as_soon_as_their_first_day_passes(assembly):
    db, group = setup(assembly)
    checkin(db, group, "a", "2025-01-05", {"mood": 3})  # Sunday of the week of 2024-12-30
    checkin(db, group, "a", "2025-01-06", {"mood": 3})  # Monday: a week not yet due
    service(assembly).purge()  # the clock says 2026-01-05
    assert db.execute("SELECT local_date FROM checkin_prompts").fetchall() == [("2025-01-06",)]


def test_purged_notes_are_gone_from_the_files(assembly, settings):
    db, group = setup(assembly)
    checkin(db, group, "a", "2024-06-03", {"mood": 3}, note=CANARY)
    purge_job(assembly.ctx)  # the daily job: the purge's unit of work, then a checkpoint
    for suffix in ("", "-wal", "-shm"):
        path = Path(settings.bot.database + suffix)
        if path.exists():
            assert path.read_bytes().count(CANARY.encode()) == 0, suffix


def test_rerunning_is_harmless(assembly):
    db, group = setup(assembly)
    for user in ("a", "b", "c"):
        checkin(db, group, user, "2024-12-03", {"mood": 3})
    first = service(assembly).purge()
    second = service(assembly).purge()
    assert (first.aggregates, second.aggregates, second.prompts) == (1, 0, 0)
    assert len(aggregates(db, "console", group)) == 1


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
    db.commit()
    clock.set(clock.now() + timedelta(days=400))
    with db.atomic():
        outbox.enqueue("console", "r-new", Target(user_id="new-sent"), Message(fallback="hi"))
    db.execute("UPDATE outbox SET status = 'sent' WHERE user_id = 'new-sent'")
    db.commit()
    report = service(assembly).purge()
    left = {r[0] for r in db.execute("SELECT user_id FROM outbox")}
    assert report.old_messages == 1 and left == {"old-pending", "new-sent"}
