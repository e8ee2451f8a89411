"""Scheduled rounds: schedules parsed to triggers, a heads-up with a skip button, then the round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.config import ConfigError, parse_config
from bot.core.errors import ScheduleError
from bot.core.schedules import ShiftedTrigger, parse_schedule
from tests.support.world import World, buttons, text

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def fires(trigger, start=T0, count=3) -> list[str]:
    out, prev, now = [], None, start
    for _ in range(count):
        nxt = trigger.get_next_fire_time(prev, now)
        out.append(nxt.isoformat())
        prev, now = nxt, nxt + timedelta(microseconds=1)
    return out


def test_every_two_weeks_on_monday():
    trigger = parse_schedule("every 2 weeks on mon at 10:00", "Europe/London")
    assert fires(trigger) == ["2026-01-12T10:00:00+00:00", "2026-01-26T10:00:00+00:00",
                              "2026-02-09T10:00:00+00:00"]


def test_weekly_on_two_days_and_a_cron_line():
    assert fires(parse_schedule("every week on mon,thu at 09:30")) == [
        "2026-01-01T09:30:00+00:00", "2026-01-05T09:30:00+00:00", "2026-01-08T09:30:00+00:00"]
    assert fires(parse_schedule("0 10 * * mon"), count=1) == ["2026-01-05T10:00:00+00:00"]


def test_local_time_holds_across_daylight_saving():
    trigger = parse_schedule("every week on mon at 10:00", "America/New_York")
    times = fires(trigger, datetime(2026, 3, 1, tzinfo=UTC), 2)
    assert times == ["2026-03-02T15:00:00+00:00", "2026-03-09T14:00:00+00:00"]


def test_heads_up_is_the_same_schedule_earlier():
    base = parse_schedule("every 2 weeks on mon at 10:00")
    assert fires(ShiftedTrigger(base, timedelta(hours=24)), count=2) == [
        "2026-01-11T10:00:00+00:00", "2026-01-25T10:00:00+00:00"]


def test_bad_schedules_are_config_errors_naming_the_key():
    with pytest.raises(ScheduleError):
        parse_schedule("whenever")
    with pytest.raises(ConfigError) as err:
        parse_config({"groups": [{"name": "C", "pairing": {"schedule": "every 2 weeks"}}]})
    assert "groups[0].pairing.schedule" in str(err.value)
    assert "every 2 weeks on mon at 10:00" in str(err.value)


async def test_a_scheduled_round_with_heads_up_and_skip(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every 2 weeks on mon at 10:00",
                                 "heads_up_hours": 24, "timezone": "UTC"})
    await w.join("alice", "bob", "carol", "dan", "erin")
    assert "next round Mon 12 Jan 10:00 GMT" in await w.say("alice", "pair")  # London
    await w.wait(timedelta(days=6, hours=2))  # Sunday 10:00: heads-ups
    heads_up = w.messenger.to("alice")[-1]
    assert "Pairing round coming up" in text(heads_up) and "Mon 12 Jan 10:00" in text(heads_up)
    assert "sit out the coming round" in await w.tap("alice",
                                                       buttons(heads_up)["Skip this round"])
    await w.wait(timedelta(days=1))  # Monday 10:00: the round
    groups = w.messenger.groups()
    assert sorted(len(g) for g in groups) == [2, 2]
    assert "alice" not in {u for g in groups for u in g}
    assert w.db.execute("SELECT status, kind FROM pairing_rounds").fetchall() == [
        ("active", "scheduled")]


async def test_a_scheduled_round_with_one_member_tells_them_why(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 0})
    await w.join("alice")
    await w.wait(timedelta(hours=3))
    assert "fewer than two people were available" in text(w.messenger.to("alice")[-1])
    assert w.db.execute("SELECT status FROM pairing_rounds").fetchall() == [("cancelled",)]


async def test_a_scheduled_round_while_one_runs_tells_the_facilitators(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 0, "follow_up_days": 10})
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=7, hours=3))
    assert "did not start" in text(w.messenger.to("fran")[-1])
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (1,)


async def test_running_the_announced_round_early_is_not_reported_as_a_clash(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 1, "timezone": "UTC"})
    await w.join("alice", "bob")
    await w.wait(timedelta(hours=1, minutes=30))  # 09:30: heads-ups are out
    assert "Round started" in await w.say("fran", "pair round")
    await w.wait(timedelta(hours=1))  # 10:00 passes
    assert not any("did not start" in text(m) for m in w.messenger.to("fran"))
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (1,)


def test_every_other_monday_and_an_anchor():
    assert fires(parse_schedule("every other mon at 10:00"), count=1) == [
        "2026-01-12T10:00:00+00:00"]
    assert fires(parse_schedule("every 2 weeks on mon at 10:00 from 2026-01-05"), count=1) == [
        "2026-01-05T10:00:00+00:00"]
