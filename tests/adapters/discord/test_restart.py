"""Buttons keep working after a restart: a fresh client answers a click on an old DM."""

from __future__ import annotations

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, buttons, consented, drain, press, text_of
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import GUILD_ID

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}


async def test_a_prompt_sent_before_a_restart_is_answered_after_it(make_settings, clock):
    settings = make_settings({"groups": [{"name": "circle", "facilitators": ["100"]}],
                              "discord": {"guild_ids": [int(GUILD_ID)]}})
    db = open_database(settings.bot.database)
    try:
        first = assemble(settings, db, clock, "discord")
        async with fake_discord() as fake:
            async with logged_in(first) as before:
                answer = await consented(before, fake,
                                         [group("group", sub("join", name="circle"))], **ALICE)
                await agree(before, fake, answer, **ALICE)
                await consented(before, fake, [group("checkins", sub("now"))],
                                top="peer-admin", **FRAN)
                await drain(first.ctx, before.messenger)
            [prompt] = fake.find("POST", r"^/channels/501/messages$")

            second = assemble(settings, db, clock, "discord")  # a new process, in effect
            async with logged_in(second) as after:
                assert list(after.client.persistent_views) == []
                choice = buttons(prompt.json)["4 · Good"]
                answer = await press(after, fake, choice, fake.message("501", prompt.json),
                                     **ALICE)
        assert "Thanks, noted: mood Good." in text_of(answer)  # the tapped copy, updated
    finally:
        db.close()
