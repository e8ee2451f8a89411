"""The sessions job: reminders once each across restarts, late rather than never while
the session is ahead, recorded (not silent) once it has started; DST-safe times."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.sessions.jobs import jobs
from bot.sessions.model import Meeting
from bot.sessions.reminders import wall_clock_before
from tests.support.world import World


def rows(world, kind):
    return world.db.execute("SELECT target_key FROM outbox WHERE kind = ? ORDER BY id",
                            [kind]).fetchall()


def restart(tmp_path, world) -> World:
    """A new process on the same database: new assembly, new scheduler, jobs rebuilt."""
    return World(tmp_path, jobs=jobs, start=world.clock.now())


async def test_reminders_go_once_each_even_across_a_restart(world, tmp_path):
    await world.say("fran", "session on 2026-01-07 at 18:00 Europe/London")
    await world.say("carol", "session rsvp not")
    await world.wait(timedelta(hours=12))  # Mon 20:00: role holders (3 days ahead) only
    assert len(rows(world, "session.roles")) == 4
    assert rows(world, "session.reminder") == []
    await world.wait(timedelta(hours=24))  # Tue 20:00: the day before, 18:00 London
    everyone = rows(world, "session.reminder")
    assert len(everyone) == 5  # six take part; carol is not going
    again = restart(tmp_path, world)
    await again.wait(timedelta(hours=12))
    assert rows(again, "session.reminder") == everyone
    assert len(rows(again, "session.roles")) == 4
    statuses = {r[0] for r in again.db.execute(
        "SELECT status FROM outbox WHERE kind LIKE 'session.%'").fetchall()}
    assert statuses <= {"sent", "pending"}


async def test_a_reminder_due_while_down_is_sent_late_before_the_start(world, tmp_path):
    await world.say("fran", "session on 2026-01-09 at 18:00 Europe/London")
    world.clock.set(datetime(2026, 1, 9, 12, 0, tzinfo=UTC))  # down over Thu 18:00
    assert rows(world, "session.reminder") == []
    again = restart(tmp_path, world)
    await again.wait(timedelta(minutes=2))
    assert len(rows(again, "session.reminder")) == 6  # late, but before the session


async def test_a_reminder_that_can_no_longer_help_is_recorded_and_logged(world, tmp_path,
                                                                         caplog):
    await world.say("fran", "session on 2026-01-09 at 18:00 Europe/London")
    world.clock.set(datetime(2026, 1, 9, 19, 0, tzinfo=UTC))  # down past the start
    again = restart(tmp_path, world)
    with caplog.at_level(logging.WARNING, logger="peerbot.sessions"):
        await again.wait(timedelta(minutes=2))
    assert rows(again, "session.reminder") == []
    assert "a reminder (reminder) was due while peerbot was not running" in caplog.text
    outcomes = again.db.execute("SELECT kind, outcome FROM session_sent ORDER BY kind").fetchall()
    assert ("reminder", "missed") in outcomes


async def test_moving_a_session_reminds_again_at_its_new_time(world):
    await world.say("fran", "session on 2026-01-07 at 18:00 Europe/London")
    await world.wait(timedelta(hours=36))
    assert len(rows(world, "session.reminder")) == 6
    await world.say("fran", "session move #1 to 2026-01-08 at 18:00")
    await world.wait(timedelta(hours=24))
    assert len(rows(world, "session.reminder")) == 12  # once for the new time (SEQUENCE 1)


async def test_weekly_sessions_keep_their_local_time_across_dst(world):
    world.clock.set(datetime(2026, 3, 16, 8, 0, tzinfo=UTC))
    await world.say("fran", "session every week on sun at 18:00 Europe/London")
    await world.say("fran", "session roster 3")
    starts = [r[0] for r in world.db.execute(
        "SELECT starts_at FROM session_meetings ORDER BY starts_at LIMIT 3").fetchall()]
    assert starts == ["2026-03-22T18:00:00+00:00", "2026-03-29T17:00:00+00:00",
                      "2026-04-05T17:00:00+00:00"]


def test_the_day_before_is_on_the_wall_clock_across_the_change():
    sunday = Meeting(1, "W", 1, None, "2026-03-29", datetime(2026, 3, 29, 17, tzinfo=UTC),
                     timezone="Europe/London")
    assert wall_clock_before(sunday, timedelta(hours=24)) == datetime(2026, 3, 28, 18,
                                                                      tzinfo=UTC)


async def test_a_role_holder_paused_after_being_told_is_replaced_and_the_next_asked(world):
    from bot.core.members import HOLD_LAPSED
    from tests.support.world import WS, text

    await world.say("fran", "session on 2026-01-07 at 18:00 Europe/London")
    await world.wait(timedelta(minutes=2))  # the role holders are told: their roles are fixed
    lead = world.db.execute("SELECT user_id FROM session_assignments WHERE role ="
                            " 'discussion lead'").fetchone()[0]
    world.ctx.members.set_hold(WS, world.group.id, lead, HOLD_LAPSED)
    world.db.commit()
    await world.wait(timedelta(minutes=2))
    after = world.db.execute("SELECT user_id, fixed FROM session_assignments WHERE role ="
                             " 'discussion lead'").fetchone()
    assert after[0] != lead and after[1] == 1
    assert any("Could you be *discussion lead*" in text(m) for m in world.messenger.to(after[0]))
    assert len(rows(world, "session.ask")) == 1
    await world.wait(timedelta(minutes=5))
    assert len(rows(world, "session.ask")) == 1  # asked once
