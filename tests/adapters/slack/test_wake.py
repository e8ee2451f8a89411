"""A tap's chat.update goes out at once: the click wakes the drain loop (issue 19).

The real slack-bolt app and Slack messenger run inside ``serve`` against the fake Web
API, with a drain loop that polls only once an hour, so nothing but a wake delivers:
the prompt goes out because the facilitator's command woke the loop, and its
``chat.update`` after the tap because the signed click woke it. Without the wake after
a button the update would wait an hour and the hang guard fails the test.
"""

from __future__ import annotations

import asyncio

from bot.runtime import serve
from tests.adapters.slack.test_e2e_checkin import GROUP, _agree, _buttons, _consented
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions

HOUR = 3600.0  # the drain loop's poll: far longer than any test may wait


async def test_the_update_after_a_tap_is_sent_without_waiting_for_the_poll(
        fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    ctx = h.assembly.ctx

    async def platform() -> None:
        async with asyncio.timeout(30):  # a hang guard only
            joined = await _consented(h, "U1ALICE", "group join circle", "alice")
            await _agree(h, "U1ALICE", joined, "alice")
            await _consented(h, "U0FRAN", "admin checkins now", "fran")
            while not [p for p in fake_api.bodies("chat.postMessage")
                       if p["channel"] == "DU1ALICE"]:
                await asyncio.sleep(0.01)
            [prompt] = [p for p in fake_api.bodies("chat.postMessage")
                        if p["channel"] == "DU1ALICE"]
            while not (ref := ctx.db.execute(  # settled after the answer
                    "SELECT platform_ref FROM outbox WHERE user_id = 'U1ALICE'").fetchone()[0]):
                await asyncio.sleep(0.01)
            channel, ts = ref.split(":")
            await h.post(block_actions(_buttons(prompt["blocks"])["4 · Good"],
                                       user_id="U1ALICE", channel_id=channel, message_ts=ts,
                                       response_url=fake_api.response_url("prompt")))
            while not fake_api.bodies("chat.update"):
                await asyncio.sleep(0.01)

    assert await serve(h.assembly, h.adapter.messenger, platform, poll_seconds=HOUR) == 0
    [update] = fake_api.bodies("chat.update")
    assert "✓ 4 · Good" in _buttons(update["blocks"])
