"""`/peer pair hours`: the one time parser reads the range and every way of naming days."""

from __future__ import annotations

import pytest

from tests.support.world import WS, World


def stored(w: World, user: str) -> tuple:
    return w.db.execute("SELECT start_hhmm, end_hhmm, days FROM pairing_hours WHERE"
                        " workspace_id = ? AND user_id = ?", [WS, user]).fetchone()


async def test_default_hours_are_shown(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    out = await w.say("alice", "pair hours")
    assert "08:00-18:00 Europe/London, Mon-Fri (the default)" in out


@pytest.mark.parametrize("days, saved", [
    ("mon tue", "mon,tue"),
    ("mon-fri", "mon,tue,wed,thu,fri"),
    ("weekdays", "mon,tue,wed,thu,fri"),
    ("mon, wed and fri", "mon,wed,fri"),
    ("fri-mon", "mon,fri,sat,sun"),
])
async def test_every_way_of_naming_days_saves_every_day(tmp_path, days, saved):
    w = World.pairing(tmp_path)
    w.add("alice")
    await w.say("alice", f"pair hours 09:00-17:00 {days}")
    assert stored(w, "alice") == ("09:00", "17:00", saved)


async def test_hours_are_stored_canonically_and_shown_back(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    out = await w.say("alice", "pair hours 7:30-15:30 mon-thu")
    assert "07:30-15:30 Europe/London, Mon-Thu." in out
    assert stored(w, "alice") == ("07:30", "15:30", "mon,tue,wed,thu")
    await w.say("alice", "pair hours 9am-5pm")  # days unchanged when none are given
    assert stored(w, "alice") == ("09:00", "17:00", "mon,tue,wed,thu")
    assert "(the default)" in await w.say("alice", "pair hours default")
    assert stored(w, "alice") is None


@pytest.mark.parametrize("typed, says", [
    ("18:00-18:00", "are the same"),
    ("09:00", "not a range of hours"),
    ("09:00-17:00 someday", "is not a day"),
    ("25:00-26:00", "is not a time"),
])
async def test_a_bad_range_or_day_is_a_clear_reply_and_changes_nothing(tmp_path, typed, says):
    w = World.pairing(tmp_path)
    w.add("alice")
    await w.say("alice", "pair hours 10:00-16:00 mon")
    out = await w.say("alice", f"pair hours {typed}")
    assert says in out and "Usage: `/peer pair hours" in out
    assert stored(w, "alice") == ("10:00", "16:00", "mon")


async def test_overnight_hours_are_accepted_and_count_on_the_day_they_start(tmp_path):
    from datetime import UTC, datetime

    from bot.pairing.participants import PairingMembers

    w = World.pairing(tmp_path)
    w.add("alice")
    out = await w.say("alice", "pair hours 17:00-09:00 mon")
    assert "17:00-09:00 Europe/London, Mon, overnight" in out
    assert stored(w, "alice") == ("17:00", "09:00", "mon")
    hours = PairingMembers(w.db, w.clock).hours(WS, "alice")
    inside = [datetime(2026, 1, 5, 23, 0, tzinfo=UTC), datetime(2026, 1, 6, 8, 59, tzinfo=UTC),
              datetime(2026, 1, 5, 17, 0, tzinfo=UTC)]
    outside = [datetime(2026, 1, 5, 8, 0, tzinfo=UTC),  # Monday morning: Sunday's shift
               datetime(2026, 1, 6, 9, 0, tzinfo=UTC), datetime(2026, 1, 6, 23, 0, tzinfo=UTC)]
    assert all(hours.contains(at, "Europe/London") for at in inside)
    assert not any(hours.contains(at, "Europe/London") for at in outside)
    week = hours.weekly_utc_minutes("Europe/London", datetime(2026, 1, 5, tzinfo=UTC))
    assert len(week) == 32  # 16 hours in half-hour steps
