"""A whole check-in on Discord: DM prompt via the outbox, a click in the DM, the history."""

from __future__ import annotations

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import (
    FOLLOWUPS,
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


@pytest.fixture
def assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010",
                    "facilitators": ["100"]}],
        # two guilds, so a DM click must find its guild from the message itself
        "discord": {"guild_ids": [int(GUILD_ID), 1], "facilitator_role_id": 4242},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_checkin_prompt_click_and_history(assembly):
    ctx = assembly.ctx
    async with fake_discord() as fake, logged_in(assembly) as ad:
        joined = await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
        assert "circle" in text_of(joined)
        agreed = await agree(ad, fake, joined, **ALICE)
        assert "you agreed to **circle**'s agreement" in text_of(agreed)
        sent = await consented(ad, fake, [group("checkins", sub("now"))], top="peer-admin", **FRAN)
        assert "Sent a check-in to" in text_of(sent), text_of(sent)
        assert sent["ephemeral"]

        await drain(ctx, ad.messenger)
        [prompt] = fake.find("POST", r"^/channels/501/messages$")  # alice's DM channel
        choices = buttons(prompt.json)
        very_low = choices["1 · Very low"]
        assert very_low.startswith("checkin.answer|") and very_low.endswith(":mood:1")
        ref = ctx.db.execute("SELECT platform_ref FROM outbox WHERE user_id = '101'").fetchone()
        assert ref[0].startswith("501:")

        before = len(await fake.wait_for_any(FOLLOWUPS, 0))
        noted = await press(ad, fake, very_low, fake.message("501", prompt.json), **ALICE)
        assert noted["ephemeral"] or noted["edited"]
        # "1 · Very low" is mood's concerning end: the ack and the warm reply (issue 12 D)
        answers = await fake.wait_for_any(FOLLOWUPS, before + 2)
        said = " ".join(text_of(a.json) for a in answers[before:])
        assert "Noted. mood: 1 · Very low." in said
        assert "Thank you for being honest" in said
        assert "nobody else has been told anything" in said

        history = await command(ad, fake, [group("checkin", sub("history"))], **ALICE)
        assert history["ephemeral"]
        assert "Your check-ins, last 8 weeks" in text_of(history)
        assert "You answered 1 of 1 check-ins." in text_of(history)
