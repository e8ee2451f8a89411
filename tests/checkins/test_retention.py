"""Check-in retention: whole weeks past the cutoff go; only k-anonymous weekly means stay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.checkins.retention import expire
from bot.store.rows import fetch_dicts
from tests.support.world import WS, World

CUTOFF = datetime(2025, 1, 5, 8, 0, tzinfo=UTC)  # 12 months before the world's Monday


@pytest.fixture
def world(tmp_path):
    return World.checkins(tmp_path, config={"pulse": {"min_group_size": 3}})


def checkin(world, user, local_date, values, note=None):
    cursor = world.db.execute(
        "INSERT INTO checkin_prompts (workspace_id, group_id, user_id, local_date, question_set,"
        " opened_at, closes_at, note) VALUES (?, ?, ?, ?, 'default', ?, ?, ?)",
        [WS, world.group.id, user, local_date, f"{local_date}T09:00:00+00:00",
         f"{local_date}T21:00:00+00:00", note],
    )
    for key, value in values.items():
        world.db.execute(
            "INSERT INTO checkin_answers (workspace_id, prompt_id, question_key, value,"
            " answered_at) VALUES (?, ?, ?, ?, ?)",
            [WS, cursor.lastrowid, key, value, f"{local_date}T10:00:00+00:00"],
        )


def local_dates(world):
    return [r[0] for r in world.db.execute("SELECT local_date FROM checkin_prompts")]


def aggregates(db, workspace_id, group_id):
    """What outlives retention: the k-anonymous weekly means of a group."""
    return fetch_dicts(
        db,
        "SELECT period, question_key, respondents, answers, mean FROM pulse_aggregates"
        " WHERE workspace_id = ? AND group_id = ? ORDER BY period, question_key",
        [workspace_id, group_id],
    )


def test_old_answers_purged_recent_kept_aggregates_only_for_k(world):
    for n, user in enumerate(("a", "b", "c", "d")):  # 4 people in the week of 2024-12-02
        checkin(world, user, "2024-12-03", {"mood": 2 + n, "burnout": 2})
    for user in ("a", "b"):  # only 2 people in the week of 2024-12-09: below k=3
        checkin(world, user, "2024-12-10", {"mood": 1})
    checkin(world, "a", "2025-12-29", {"mood": 5})  # recent
    counts = expire(world.ctx, CUTOFF)
    assert (counts["prompts"], counts["answers"], counts["aggregates"]) == (6, 10, 2)
    assert local_dates(world) == ["2025-12-29"]
    assert aggregates(world.db, WS, world.group.id) == [
        {"period": "2024-12-02", "question_key": "burnout", "respondents": 4, "answers": 4,
         "mean": 2.0},
        {"period": "2024-12-02", "question_key": "mood", "respondents": 4, "answers": 4,
         "mean": 3.5},
    ]


def test_whole_weeks_go_as_soon_as_their_first_day_passes(world):
    checkin(world, "a", "2025-01-05", {"mood": 3})  # Sunday of the week of 2024-12-30
    checkin(world, "a", "2025-01-06", {"mood": 3})  # Monday: a week not yet due
    expire(world.ctx, CUTOFF)
    assert local_dates(world) == ["2025-01-06"]


def test_rerunning_is_harmless(world):
    for user in ("a", "b", "c"):
        checkin(world, user, "2024-12-03", {"mood": 3})
    first = expire(world.ctx, CUTOFF)
    second = expire(world.ctx, CUTOFF)
    assert (first["aggregates"], second["aggregates"], second["prompts"]) == (1, 0, 0)
    assert len(aggregates(world.db, WS, world.group.id)) == 1


def test_small_frozen_pulse_weeks_go_at_the_cutoff(world):
    for period, respondents, frozen in (("2024-12-02", 2, "2024-12-20"),
                                        ("2024-12-09", 3, "2024-12-27"),
                                        ("2025-06-02", 2, "2025-06-20")):
        world.db.execute(
            "INSERT INTO checkin_pulse_periods (workspace_id, group_id, period, prompted,"
            " respondents, frozen_at) VALUES (?, ?, ?, 5, ?, ?)",
            [WS, world.group.id, period, respondents, f"{frozen}T00:00:00+00:00"])
    assert expire(world.ctx, CUTOFF)["small_pulse_rows"] == 1
    left = [r[0] for r in world.db.execute("SELECT period FROM checkin_pulse_periods")]
    assert left == ["2024-12-09", "2025-06-02"]


def test_each_workspace_that_lost_check_ins_gets_one_audit_entry(world):
    checkin(world, "a", "2024-12-03", {"mood": 3})
    checkin(world, "b", "2024-12-04", {"mood": 3})
    expire(world.ctx, CUTOFF)
    entries = world.db.execute("SELECT workspace_id, actor_id, action, detail FROM audit_log")
    assert entries.fetchall() == [
        (WS, "scheduler", "privacy.retention", "purged 2 check-in(s) from weeks before 2025-01-05")]
