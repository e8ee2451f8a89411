"""Slash commands through the real AsyncApp: ack first, replies via response_url."""

from __future__ import annotations

import logging

from tests.support.slack_fake.payloads import slash_command


async def test_peer_help_is_acked_empty_then_answered_ephemerally(slack, fake_api):
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    response = await slack.post(body)
    assert response.status == 200
    assert response.body == ""
    [answer] = slack.responses()
    assert answer["response_type"] == "ephemeral"
    assert answer["replace_original"] is False
    assert "/peer" in answer["text"]
    assert answer["blocks"][0]["type"] == "header"


async def test_the_bot_identity_is_checked_with_the_configured_token(slack, fake_api):
    await slack.post(slash_command("/peer", "help", response_url=fake_api.response_url()))
    assert len(fake_api.bodies("auth.test")) == 1


async def test_unknown_subcommand_names_the_nearest(slack, fake_api):
    await slack.post(slash_command("/peer", "profle", response_url=fake_api.response_url()))
    assert "Did you mean `/peer profile`" in slack.responses()[0]["text"]


async def test_top_level_crisis_command_is_private_and_not_logged(slack, fake_api, caplog):
    body = slash_command("/crisis", "gb", response_url=fake_api.response_url())
    with caplog.at_level(logging.DEBUG):
        await slack.post(body)
    [answer] = slack.responses()
    assert answer["response_type"] == "ephemeral"
    assert "999" in answer["text"]  # the UK emergency number comes first
    peer_logs = [r.getMessage() for r in caplog.records if r.name.startswith("peerbot")]
    assert not [m for m in peer_logs if "crisis" in m.lower() or "gb" in m.lower().split()]


async def test_facilitator_from_config_posts_the_card_in_channel(slack_with, fake_api):
    harness = slack_with({"facilitator_user_ids": ["U1ALICE"]})
    await harness.post(slash_command("/peer", "crisis post", response_url=fake_api.response_url()))
    assert harness.responses()[0]["response_type"] == "in_channel"


async def test_member_is_refused_a_facilitator_command(slack, fake_api):
    await slack.post(slash_command("/peer", "crisis post", response_url=fake_api.response_url()))
    [answer] = slack.responses()
    assert answer["response_type"] == "ephemeral"
    assert "is for facilitators" in answer["text"]


async def test_facilitator_from_a_user_group_is_cached(slack_with, fake_api):
    fake_api.usergroups["S0FACIL"] = ["U1ALICE"]
    harness = slack_with({"facilitator_usergroup": "S0FACIL"})
    for _ in range(2):
        await harness.post(
            slash_command("/peer", "crisis post", response_url=fake_api.response_url())
        )
    assert [r["response_type"] for r in harness.responses()] == ["in_channel", "in_channel"]
    assert fake_api.bodies("usergroups.users.list") == [{"usergroup": "S0FACIL"}]


async def test_named_mentions_reach_the_core_as_plain_mentions(slack, fake_api):
    from adapters.slack.inbound import normalise_text

    assert normalise_text(" pair avoid <@U2BOB|bob> ") == "pair avoid <@U2BOB>"


async def test_a_rate_limited_response_url_post_is_retried(slack, fake_api):
    from tests.support.slack_fake.api import Fault

    fake_api.fail("response", Fault(status=429, retry_after=0))
    await slack.post(slash_command("/peer", "help", response_url=fake_api.response_url()))
    assert len(slack.responses()) == 1


async def test_a_command_reply_never_asks_to_replace_a_message(slack, fake_api):
    await slack.post(slash_command("/peer", "help", response_url=fake_api.response_url()))
    assert slack.responses()[0]["replace_original"] is False


async def test_ack_comes_before_the_core_runs(slack, fake_api):
    import asyncio

    from slack_bolt.request.async_request import AsyncBoltRequest

    from tests.support.slack_fake.payloads import signed_headers

    release = asyncio.Event()
    real = slack.adapter.host.handle_invocation

    async def slow_core(invocation):
        await release.wait()  # the core is stuck (e.g. a locked database)
        return await real(invocation)

    slack.adapter.host.handle_invocation = slow_core
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    response = await slack.adapter.app.async_dispatch(
        AsyncBoltRequest(body=body, headers=signed_headers(body))
    )
    assert response.status == 200  # acknowledged while the core has not answered
    assert slack.responses() == []
    release.set()
    await slack.adapter.idle()
    assert len(slack.responses()) == 1


async def test_crisis_lines_for_one_group_are_private(slack, fake_api):
    url = fake_api.response_url()
    await slack.post(slash_command("/peer", "crisis au youth", response_url=url))
    [answer] = slack.responses()
    assert answer["response_type"] == "ephemeral"
    assert "Kids Helpline" in str(answer) and "call 000 now" in str(answer)
    assert "13 11 14" not in str(answer)  # Lifeline is on the card for anyone
