"""Discord: a delivered message edited in place, and a reply that references it."""

from __future__ import annotations

import pytest

from bot.core.model import Button, Buttons, Section, Target, message
from bot.core.ports import Undeliverable
from tests.adapters.discord.test_messenger import PROMPT, dsettings  # noqa: F401
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID

ALICE = Target(user_id="101")


async def test_an_edit_patches_the_delivered_message(dsettings):  # noqa: F811
    new = message(Section("Thanks, noted"), Buttons((Button("✓ Good", "checkin.answer|1:mood:4"),)))
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref = await ad.messenger.send(GUILD_ID, ALICE, PROMPT)
        assert await ad.messenger.edit(GUILD_ID, ALICE, ref, new) == ref
        with pytest.raises(Undeliverable):
            await ad.messenger.edit(GUILD_ID, ALICE, "nonsense", new)
    channel, message_id = ref.split(":")
    [patch] = fake.find("PATCH", rf"^/channels/{channel}/messages/{message_id}$")
    assert patch.json["embeds"][0]["description"] == "Thanks, noted"
    assert patch.json["components"][0]["components"][0]["label"] == "✓ Good"
    assert len(fake.find("POST", r"^/channels/\d+/messages$")) == 1


async def test_a_deleted_message_cannot_be_edited(dsettings):  # noqa: F811
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref = await ad.messenger.send(GUILD_ID, ALICE, PROMPT)
        fake.fail("PATCH", r"/messages/\d+$", 404, code=10008, message="Unknown Message")
        with pytest.raises(Undeliverable):
            await ad.messenger.edit(GUILD_ID, ALICE, ref, PROMPT)


async def test_a_reply_references_the_message_it_is_about(dsettings):  # noqa: F811
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref = await ad.messenger.send(GUILD_ID, ALICE, PROMPT)
        await ad.messenger.send_reply(GUILD_ID, ALICE, message(Section("A gentle reminder")), ref)
    first, reminder = fake.find("POST", r"^/channels/501/messages$")
    assert "message_reference" not in first.json
    message_id = ref.split(":")[1]
    assert str(reminder.json["message_reference"]["message_id"]) == message_id
    assert reminder.json["message_reference"]["fail_if_not_exists"] is False
