"""SlackMessenger against the fake Web API: targets, rate limits, error translation."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.messenger import SlackMessenger, build_client
from bot.core.model import Button, Buttons, Section, Target, message
from bot.core.ports import RateLimited, TransientDeliveryError, Undeliverable, WorkspaceUnavailable
from tests.support.slack_fake.api import BOT_TOKEN, Fault

MSG = message(Section("Time for a check-in"), Buttons((Button("Good", "checkin.answer|1:5"),)))


def messenger(api, **kwargs) -> SlackMessenger:
    return SlackMessenger(build_client(BOT_TOKEN, api.base_url.rstrip("/"), **kwargs))


async def test_dm_opens_the_conversation_then_posts_blocks_and_text(fake_api):
    ref = await messenger(fake_api).send("T0PEER", Target(user_id="U1"), MSG)
    assert fake_api.bodies("conversations.open") == [{"users": "U1"}]
    [post] = fake_api.bodies("chat.postMessage")
    assert post["channel"] == "DU1"
    assert post["text"] == "Time for a check-in"
    assert post["blocks"][1]["elements"][0]["value"] == "checkin.answer|1:5"
    assert ref == f"DU1:{'1767600000.000001'}"
    assert {c.token for c in fake_api.calls} == {BOT_TOKEN}


async def test_group_target_opens_a_group_dm_with_every_member(fake_api):
    await messenger(fake_api).send("T0PEER", Target(user_ids=("U2", "U1", "U3")), MSG)
    assert fake_api.bodies("conversations.open") == [{"users": "U2,U1,U3"}]
    assert fake_api.bodies("chat.postMessage")[0]["channel"] == "GU1U2U3"


async def test_channel_target_posts_directly(fake_api):
    await messenger(fake_api).send("T0PEER", Target(channel_id="C9"), MSG)
    assert fake_api.bodies("conversations.open") == []
    assert fake_api.bodies("chat.postMessage")[0]["channel"] == "C9"


async def test_one_429_is_retried_by_slack_sdk_after_retry_after(fake_api):
    fake_api.fail("chat.postMessage", Fault(status=429, retry_after=0))
    await messenger(fake_api).send("T0PEER", Target(channel_id="C9"), MSG)
    assert len(fake_api.bodies("chat.postMessage")) == 2


async def test_429_after_the_retries_becomes_rate_limited_with_retry_after(fake_api):
    fake_api.fail("chat.postMessage", Fault(status=429, retry_after=0), times=2)
    with pytest.raises(RateLimited) as info:
        await messenger(fake_api).send("T0PEER", Target(channel_id="C9"), MSG)
    assert info.value.retry_after == 0.0
    assert len(fake_api.bodies("chat.postMessage")) == 2


@pytest.mark.parametrize(
    ("method", "error"),
    [
        ("conversations.open", "user_not_found"),
        ("conversations.open", "user_disabled"),
        ("chat.postMessage", "cannot_dm_bot"),
        ("chat.postMessage", "channel_not_found"),
        ("chat.postMessage", "not_in_channel"),
    ],
)
async def test_unreachable_recipients_are_undeliverable(fake_api, method, error):
    fake_api.fail(method, Fault(error=error))
    with pytest.raises(Undeliverable, match=error):
        await messenger(fake_api).send("T0PEER", Target(user_id="U1"), MSG)


async def test_revoked_token_stops_the_workspace_and_is_logged_once(fake_api, caplog):
    fake_api.fail("conversations.open", Fault(error="token_revoked"), times=None)
    m = messenger(fake_api)
    with caplog.at_level(logging.INFO, logger="peerbot.slack"):
        for _ in range(3):
            with pytest.raises(WorkspaceUnavailable, match="token_revoked"):
                await m.send("T0PEER", Target(user_id="U1"), MSG)
    records = [r for r in caplog.records if r.name == "peerbot.slack"]
    assert len(records) == 1
    assert "T0PEER" in records[0].getMessage()
    assert BOT_TOKEN not in caplog.text
    assert len(fake_api.bodies("conversations.open")) == 1  # no more calls once stopped


async def test_other_workspaces_are_not_stopped(fake_api):
    fake_api.fail("chat.postMessage", Fault(error="invalid_auth"))
    m = messenger(fake_api)
    with pytest.raises(WorkspaceUnavailable):
        await m.send("T0PEER", Target(channel_id="C9"), MSG)
    await m.send("T0OTHER", Target(channel_id="C9"), MSG)


async def test_server_errors_are_transient_after_one_retry(fake_api):
    fake_api.fail("chat.postMessage", Fault(status=503), times=2)
    with pytest.raises(TransientDeliveryError):
        await messenger(fake_api).send("T0PEER", Target(channel_id="C9"), MSG)
    assert len(fake_api.bodies("chat.postMessage")) == 2


async def test_a_slow_answer_times_out_as_transient(fake_api):
    fake_api.fail("chat.postMessage", Fault(delay=3))
    with pytest.raises(TransientDeliveryError):
        await messenger(fake_api, timeout=1).send("T0PEER", Target(channel_id="C9"), MSG)


async def test_unknown_errors_are_transient(fake_api):
    fake_api.fail("chat.postMessage", Fault(error="internal_error"))
    with pytest.raises(TransientDeliveryError, match="internal_error"):
        await messenger(fake_api).send("T0PEER", Target(channel_id="C9"), MSG)


async def test_a_group_of_one_is_a_plain_dm(fake_api):
    await messenger(fake_api).send("T0PEER", Target(user_ids=("U1",)), MSG)
    assert fake_api.bodies("conversations.open") == [{"users": "U1"}]
