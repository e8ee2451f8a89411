"""The scheduled mentoring match: runs at the group's time, once per slot, whatever
happens (a replayed trigger, a restart, a second scheduler), and is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.config import ConfigError, parse_config
from bot.mentoring.jobs import jobs, scheduled_match
from tests.mentoring.test_journey import setup
from tests.support.world import World, text

SCHEDULE = {"groups": [{"name": "Circle", "facilitators": ["fran"],
                        "mentoring": {"term_days": 60, "match": "every week on mon at 10:00"}}]}


def make(tmp_path) -> World:
    w = World(tmp_path, jobs=jobs, config=SCHEDULE)  # Monday 08:00 UTC
    for name in ("alice", "bob", "carol", "dan"):
        w.add(name, tz="Europe/London")
    w.add("fran", tz="Europe/London", facilitator=True)
    return w


def pairs(w) -> int:
    return w.db.execute("SELECT count(*) FROM mentoring_pairs").fetchone()[0]


async def test_the_match_runs_at_its_time_and_introduces_the_pairs(tmp_path):
    w = make(tmp_path)
    await setup(w)
    await w.wait(timedelta(hours=1, minutes=59))  # 09:59: not yet
    assert pairs(w) == 0
    await w.wait(timedelta(minutes=2))
    assert pairs(w) == 2
    await w.drain()
    intros = [text(m) for t, m in w.messenger.sent if t.user_ids]
    assert len(intros) == 2 and all("First conversation" in i for i in intros)
    audit = w.db.execute("SELECT actor_id, detail FROM audit_log WHERE action ="
                         " 'mentoring.match'").fetchall()
    assert audit == [("scheduler", "group Circle: 2 pair(s) (scheduled)")]
    w.db.close()


async def test_a_replayed_slot_a_restart_or_a_second_scheduler_never_matches_twice(tmp_path):
    w = make(tmp_path)
    await setup(w)
    await w.wait(timedelta(hours=2, minutes=1))
    assert pairs(w) == 2
    slot = w.db.execute("SELECT slot FROM mentoring_matches").fetchone()[0]
    # A new mentee arrives: a replay of the same slot must still not match her.
    await w.say("dan", "mentor stage early")
    await w.say("dan", "mentor request supervision")
    assert scheduled_match(w.ctx, w.group, slot) is None
    w.db.close()
    again = World(tmp_path, jobs=jobs, config=SCHEDULE, start=w.clock.now())  # a restart
    for spec in jobs(again.ctx):
        if spec.id.startswith("mentoring.match"):
            spec.func(again.ctx)  # APScheduler's misfire run of the same slot
            spec.func(again.ctx)
    assert pairs(again) == 2
    await again.say("alice", "mentor offer 3 private practice, supervision")  # room for dan
    await again.wait(timedelta(days=7))  # next Monday's slot matches dan
    assert pairs(again) == 3
    assert again.db.execute("SELECT count(*) FROM mentoring_matches").fetchone() == (2,)
    again.db.close()


async def test_no_schedule_means_no_job_and_a_bad_schedule_is_refused(tmp_path):
    w = World(tmp_path, jobs=jobs)
    assert [s.id for s in jobs(w.ctx)] == ["mentoring.tick"]
    w.db.close()
    with pytest.raises(ConfigError) as error:
        parse_config({"groups": [{"name": "Circle", "mentoring": {"match": "sometimes"}}]})
    assert "mentoring" in str(error.value) and "match" in str(error.value)
