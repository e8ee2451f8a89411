"""Bad input gets a clear reply and changes nothing (every session table, the outbox, the
audit log and the resource library compared row by row)."""

from __future__ import annotations

import pytest

from tests.sessions.conftest import snapshot
from tests.support.world import WS, World

SCHEDULE = "session every week on tue at 18:00 Europe/London https://meet.example/c"


async def refused(world, user, text, expected):
    before = snapshot(world)
    answer = await world.say(user, text)
    assert expected in answer, answer
    assert snapshot(world) == before


async def test_no_eligible_members_is_refused(tmp_path):
    w = World(tmp_path)
    w.add("fran", facilitator=True, agreed=False)  # on hold: has not agreed yet
    w.add("alice", agreed=False)
    await refused(w, "fran", SCHEDULE, "Nobody in *Circle* can take a role yet")
    await refused(w, "fran", "session on 2026-01-20 at 18:00", "Nobody in *Circle* can take")


@pytest.mark.parametrize(("text", "expected"), [
    ("session every week on sun at 02:30 America/New_York",
     "02:30 does not exist on Sun 08 Mar 2026 in America/New_York: the clocks go forward"),
    ("session on 2026-03-29 at 01:30 Europe/London",
     "01:30 does not exist on Sun 29 Mar 2026 in Europe/London"),
    ("session every fortnight at 18:00", "I couldn't read that schedule"),
    ("session every week on tue at 25:00", "I couldn't read that schedule"),
    ("session every week on tue at 18:00 Mars/Olympus", "is not a time zone"),
    ("session every 0 10 * * tue", "I couldn't read that schedule"),
    ("session on 2026-01-01 at 18:00", "That time has passed"),
    ("session on tomorrow-ish at 18:00", "is not a day"),
    (SCHEDULE + " place:" + "x" * 301, "keep it to 300"),
    ("session roles " + "y" * 41, "Roles need role names of 1 to 40 characters"),
    ("session roles lead, lead", "Roles need each role once"),
    ("session roles a, b, c, d, e, f, g, h, i", "Roles need between 1 and 8 roles"),
])
async def test_bad_schedules_and_roles_change_nothing(world, text, expected):
    await refused(world, "fran", text, expected)


async def test_members_cannot_schedule_move_or_cancel(world):
    await world.say("fran", SCHEDULE)
    for text in (SCHEDULE, "session cancel", "session move #1 to 2026-01-21 at 18:00",
                 "session roles a, b", "session stop"):
        await refused(world, "alice", text, "is for facilitators")


async def test_swaps_with_someone_outside_the_group_or_not_taking_part(world):
    await world.say("fran", SCHEDULE)
    world.add("held", agreed=False)
    outsider = world.ctx.members
    from bot.core.model import Actor
    outsider.ensure_member(Actor(WS, "zed", "zed"))
    outsider.record_consent(Actor(WS, "zed", "zed"))
    lead = world.db.execute("SELECT user_id FROM session_assignments ORDER BY meeting_id,"
                            " position LIMIT 1").fetchone()[0]
    await refused(world, lead, "session swap @zed", "isn't a member of *Circle*")
    await refused(world, lead, "session swap @nobody-at-all", "isn't a member of *Circle*")
    await refused(world, lead, "session swap @held", "They aren't taking part in *Circle*")
    await refused(world, lead, f"session swap @{lead}", "Swap with someone else")
    await refused(world, "zed", "session swap @alice group:Circle", "not a member of *Circle*")


async def test_too_long_text_and_wrong_numbers(world):
    await world.say("fran", SCHEDULE)
    await refused(world, "alice", "session agenda add " + "z" * 201, "keep it to 200")
    await refused(world, "alice", "session agenda add", "What's the item?")
    await refused(world, "alice", "session roster 13", "Say how many sessions, 1 to 12")
    await refused(world, "alice", "session #999", "")  # unknown words: the view, no change
    await refused(world, "alice", "session rsvp #999 going", "*Circle* has no session #999")
    await refused(world, "alice", "session rsvp perhaps", "Answer `going`, `maybe` or `not`")
    await refused(world, "alice", "session optout juggler", "Which role?")
    await refused(world, "alice", "session optin timekeeper", "You hadn't opted out")
    await refused(world, "alice", "session note " + "w" * 501, "had no session in the last 7")


async def test_a_note_with_case_content_or_from_a_non_lead_is_refused(world):
    await world.say("fran", SCHEDULE)
    lead = world.db.execute("SELECT a.user_id FROM session_assignments a JOIN session_meetings"
                            " m ON m.id = a.meeting_id WHERE a.role = 'discussion lead'"
                            " ORDER BY m.starts_at LIMIT 1").fetchone()[0]
    other = next(p for p in ("alice", "bob", "carol") if p != lead)
    world.clock.advance(__import__("datetime").timedelta(days=2))
    await refused(world, other, "session note a link", "The discussion lead of the last session")
    await refused(world, lead, "session note " + "q" * 501, "keep it to 500")
    await refused(world, lead, "session note We discussed Mrs Jane Smith, born 1961-04-02",
                  "never case content")
