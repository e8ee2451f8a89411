"""The member's own 8-week history: a sparkline per question, a few numbers, nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins.history import sparkline
from bot.core.model import Actor, plain_text
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_sparkline_scales_and_shows_gaps():
    assert sparkline([1, 3, None, 5], 1, 5) == "▁▅·█"
    assert sparkline([], 1, 5) == ""


async def test_history_shows_only_my_own_trend(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    w.add("alice")
    w.add("bob")
    for week in range(3):
        await w.wait(timedelta(hours=1, minutes=1) if week == 0 else timedelta(days=7))
        for user, mood in (("alice", str(2 + week)), ("bob", "1")):
            await w.press(user, answer_buttons(w.messenger.to(user)[-1])[("mood", mood)])
    out = text_of(await w.command("alice", "checkin history"))
    assert "Mood: `·····▃▅▆`  latest 4, average 3.0 (1-5)" in out
    assert "1 · Very low" not in out  # bob's answers are nowhere
    assert "You answered 3 of 5 check-ins" in out
    assert "Your next check-in: Thu 22 Jan 09:00 UTC (UTC)." in out
    home = await w.core.home(Actor(WS, "alice"))
    assert "▃▅▆" in plain_text(home)
