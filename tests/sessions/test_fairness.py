"""Fairness through the real service and commands over 20 weekly sessions: members pause
(the agreement's hold), say they are not going, step down and swap with one tap; among
the members who were always available, roles served differ by at most one."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.members import HOLD_LAPSED
from tests.sessions.conftest import PEOPLE
from tests.support.world import WS, buttons

STEADY = ("alice", "bob", "carol", "dan")  # never away (they may swap)
AWAY = {"erin": {2, 3, 4, 9, 15}, "fran": {6, 7, 12, 13, 14, 18}}  # paused or not going


def next_meeting(world):
    return world.db.execute(
        "SELECT id, starts_at FROM session_meetings WHERE status = 'scheduled' AND"
        " starts_at > ? ORDER BY starts_at LIMIT 1", [world.clock.now().isoformat()]).fetchone()


def role_holders(world, meeting_id):
    return dict(world.db.execute("SELECT role, user_id FROM session_assignments WHERE"
                                 " meeting_id = ? ORDER BY position", [meeting_id]).fetchall())


async def test_twenty_sessions_with_pauses_declines_and_swaps(world):
    assert set(PEOPLE) | {"fran"} == set(STEADY) | set(AWAY)
    await world.say("fran", "session every week on tue at 18:00 Europe/London")
    served: dict[str, int] = {}
    swaps = stepped = 0
    for week in range(20):
        meeting_id, _ = next_meeting(world)
        for person, weeks in AWAY.items():
            if week in weeks and week % 2:
                world.ctx.members.set_hold(WS, world.group.id, person, HOLD_LAPSED)
            elif week in weeks:
                await world.say(person, f"session rsvp #{meeting_id} not")
        holders = role_holders(world, meeting_id)
        if week % 3 == 1:  # a steady member swaps with another steady member
            giver = next(u for u in holders.values() if u in STEADY)
            taker = next(u for u in STEADY if u != giver)
            assert "they accept with one tap" in await world.say(giver, f"session swap @{taker}")
            await world.drain()
            ask = world.messenger.to(taker)[-1]
            assert "Swapped: you're" in await world.tap(taker, buttons(ask)["Accept"])
            swaps += 1
        if week % 5 == 2:  # someone steps down; the next in line is asked
            holder = next((u for u in holders.values() if u in AWAY), None)
            if holder is not None:
                assert "Next in line, asked now" in await world.say(
                    holder, f"session stepdown #{meeting_id}")
                stepped += 1
        await world.say("alice", "session roster")  # plans again with what changed
        for role, user in role_holders(world, meeting_id).items():
            assert user is not None, role
            served[user] = served.get(user, 0) + 1
        world.clock.set(_after(world, meeting_id))
        for person in AWAY:
            world.ctx.members.set_hold(WS, world.group.id, person, None)
    steady = {p: served.get(p, 0) for p in STEADY}
    assert swaps == 7 and stepped >= 3 and 0 < served["erin"] < max(steady.values())
    assert max(steady.values()) - min(steady.values()) <= 1, served
    # and the record the bot keeps agrees with what the test saw
    held = dict(world.db.execute(
        "SELECT a.user_id, count(*) FROM session_assignments a JOIN session_meetings m ON"
        " m.id = a.meeting_id WHERE m.starts_at <= ? GROUP BY a.user_id",
        [world.clock.now().isoformat()]).fetchall())
    assert held == served


def _after(world, meeting_id):
    starts = world.db.execute("SELECT starts_at FROM session_meetings WHERE id = ?",
                              [meeting_id]).fetchone()[0]
    return datetime.fromisoformat(starts) + timedelta(hours=2)
