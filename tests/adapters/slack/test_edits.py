"""Slack: a delivered message changed in place (chat.update) and a reply in its thread."""

from __future__ import annotations

import pytest

from bot.core.model import Button, Buttons, Section, Target, message
from bot.core.ports import RateLimited, Undeliverable
from tests.adapters.slack.test_messenger import MSG, messenger
from tests.support.slack_fake.api import Fault

ALICE = Target(user_id="U1")


async def test_an_edit_is_chat_update_on_the_delivered_message(fake_api):
    slack = messenger(fake_api)
    ref = await slack.send("T0PEER", ALICE, MSG)
    new = message(Section("Thanks, noted"), Buttons((Button("✓ Good", "checkin.answer|1:5"),)))
    assert await slack.edit("T0PEER", ALICE, ref, new) == ref
    [update] = fake_api.bodies("chat.update")
    channel, ts = ref.split(":")
    assert (update["channel"], update["ts"]) == (channel, ts)
    assert update["text"] == "Thanks, noted"
    assert update["blocks"][1]["elements"][0]["text"]["text"] == "✓ Good"
    assert len(fake_api.bodies("chat.postMessage")) == 1


async def test_a_message_that_is_gone_is_undeliverable_and_a_429_waits(fake_api):
    slack = messenger(fake_api, rate_limit_retries=0)
    ref = await slack.send("T0PEER", ALICE, MSG)
    fake_api.fail("chat.update", Fault(error="message_not_found"))
    with pytest.raises(Undeliverable):
        await slack.edit("T0PEER", ALICE, ref, MSG)
    fake_api.fail("chat.update", Fault(status=429, retry_after=7))
    with pytest.raises(RateLimited) as waited:
        await slack.edit("T0PEER", ALICE, ref, MSG)
    assert waited.value.retry_after == 7
    with pytest.raises(Undeliverable):
        await slack.edit("T0PEER", ALICE, "not-a-ref", MSG)


async def test_a_reply_goes_in_the_thread_of_the_message_it_is_about(fake_api):
    slack = messenger(fake_api)
    ref = await slack.send("T0PEER", ALICE, MSG)
    await slack.send_reply("T0PEER", ALICE, message(Section("A gentle reminder")), ref)
    first, reminder = fake_api.bodies("chat.postMessage")
    assert "thread_ts" not in first
    assert reminder["thread_ts"] == ref.split(":")[1]
    assert reminder["channel"] == first["channel"]
