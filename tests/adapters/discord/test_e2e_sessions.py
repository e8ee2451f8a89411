"""Group sessions through the real discord.py client against the fake Discord: a
facilitator schedules, each member's DM carries the .ics file, RSVP by button, a swap
accepted with one tap, and a swap with a stranger refused with nothing changed."""

from __future__ import annotations

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import (
    agree,
    buttons,
    command,
    consented,
    drain,
    press,
    text_of,
)
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import GUILD_ID

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}
BOB = {"user_id": "102", "user_name": "bob"}
WHO = {"100": FRAN, "101": ALICE, "102": BOB}


def dms(fake, user_id: str):
    return fake.find("POST", rf"^/channels/5{user_id[1:]}/messages$")


async def test_schedule_rsvp_swap_and_the_calendar_file(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010", "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    db = open_database(settings.bot.database)
    try:
        assembly = assemble(settings, db, clock, "discord")
        ctx = assembly.ctx
        async with fake_discord() as fake, logged_in(assembly) as ad:
            for who in WHO.values():
                joined = await consented(ad, fake, [group("group", sub("join", name="circle"))],
                                         **who)
                await agree(ad, fake, joined, **who)
            scheduled = await command(ad, fake, [group("session", sub(
                "every", text="week on tue at 18:00 Europe/London https://meet.example/c"))],
                top="peer-admin", **FRAN)
            assert "Scheduled: **circle** meets every week on Tue at 18:00" in text_of(scheduled)
            await drain(ctx, ad.messenger)
            [dm] = dms(fake, "101")
            assert dm.files == ["session-1.ics"]
            assert "a session is scheduled" in text_of(dm.json)

            message = fake.message("5" + "101"[1:], dm.json)
            going = await press(ad, fake, buttons(dm.json)["Going"], message, **ALICE)
            assert "Noted: **going**" in text_of(going) and "Going: 1" in text_of(going)

            lead = db.execute("SELECT user_id FROM session_assignments WHERE meeting_id = 1"
                              " AND role = 'discussion lead'").fetchone()[0]
            taker = next(u for u in WHO if u != lead)
            asked = await command(ad, fake, [group("session", sub("swap", text=f"<@{taker}>"))],
                                  **WHO[lead])
            assert "they accept with one tap" in text_of(asked)
            await drain(ctx, ad.messenger)
            request = [r for r in dms(fake, taker) if "swap request" in text_of(r.json)][-1]
            accepted = await press(ad, fake, buttons(request.json)["Accept"],
                                   fake.message("5" + taker[1:], request.json), **WHO[taker])
            assert "Swapped: you're **discussion lead**" in text_of(accepted)
            assert db.execute("SELECT user_id FROM session_assignments WHERE meeting_id = 1"
                              " AND role = 'discussion lead'").fetchone()[0] == taker

            swaps = db.execute("SELECT count(*) FROM session_swaps").fetchone()
            stranger = await command(ad, fake, [group("session", sub(
                "swap", text="<@999999>"))], **WHO[taker])
            assert "isn't a member of **circle**" in text_of(stranger)
            assert db.execute("SELECT count(*) FROM session_swaps").fetchone() == swaps
    finally:
        db.close()
