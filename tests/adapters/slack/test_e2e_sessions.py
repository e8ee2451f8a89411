"""Group sessions through the real slack-bolt app with signed requests: a facilitator
schedules, everyone gets a DM with the calendar file uploaded, RSVP by button, a swap
accepted with one tap, and bad input answered without changing anything."""

from __future__ import annotations

import json

from icalendar import Calendar

from tests.support.slack_fake.flow import agree, buttons, command, consented, drain, press
from tests.support.slack_fake.harness import make_harness

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
PEOPLE = ("U0FRAN", "U1ALICE", "U2BOB")


def dms_to(fake_api, channel: str) -> list[dict]:
    return [b for b in fake_api.bodies("chat.postMessage") if b["channel"] == channel]


async def test_schedule_rsvp_swap_and_the_calendar_file(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        for user in PEOPLE:
            await agree(h, user, await consented(h, user, "group join circle"))
        answer = await command(h, "U0FRAN", "session every week on tue at 18:00 "
                               "Europe/London https://meet.example/c", channel_id="C0CIRCLE")
        text = json.dumps(answer["blocks"])
        assert "Scheduled: *circle* meets every week on Tue at 18:00 (Europe/London)" in text
        await drain(h)
        [dm] = dms_to(fake_api, "DU1ALICE")
        assert "a session is scheduled" in json.dumps(dm["blocks"])
        uploads = [json.loads(c["files"])[0]["title"]
                   for c in fake_api.bodies("files.completeUploadExternal")]
        assert uploads == ["session-1.ics"] * 3
        calendar = Calendar.from_ical(next(iter(fake_api.uploads.values())))
        event = calendar.walk("VEVENT")[0]
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event.decoded("DTSTART").hour == 18

        going = await press(h, "U1ALICE", buttons(dm["blocks"])["Going"])
        assert "Noted: *going*" in json.dumps(going) and "Going: 1" in json.dumps(going)

        roles = h.assembly.ctx.db.execute(
            "SELECT role, user_id FROM session_assignments WHERE meeting_id = 1 ORDER BY"
            " position").fetchall()
        giver, taker = roles[0][1], next(u for u in PEOPLE if u != roles[0][1])
        asked = await command(h, giver, f"session swap <@{taker}>")
        assert "they accept with one tap" in json.dumps(asked)
        await drain(h)
        request = [b for b in fake_api.bodies("chat.postMessage")
                   if "swap request" in json.dumps(b.get("blocks"))][-1]
        accepted = await press(h, taker, buttons(request["blocks"])["Accept"])
        assert "Swapped: you're *discussion lead*" in json.dumps(accepted)
        holders = dict(h.assembly.ctx.db.execute(
            "SELECT role, user_id FROM session_assignments WHERE meeting_id = 1").fetchall())
        assert holders["discussion lead"] == taker

        before = h.assembly.ctx.db.execute("SELECT count(*) FROM session_swaps").fetchone()
        stranger = await command(h, giver, "session swap <@U9NOBODY>")
        assert "isn't a member of *circle*" in json.dumps(stranger)
        assert h.assembly.ctx.db.execute("SELECT count(*) FROM session_swaps").fetchone() \
            == before
        gap = await command(h, "U0FRAN", "session on 2026-03-29 at 01:30 Europe/London")
        assert "01:30 does not exist on Sun 29 Mar 2026" in json.dumps(gap)
    finally:
        h.assembly.ctx.db.close()
