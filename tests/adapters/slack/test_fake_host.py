"""The Slack adapter needs only a Host: the real slack-bolt app on the smallest fake one."""

from __future__ import annotations

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.app import SlackAdapter
from adapters.slack.messenger import build_client
from bot.core.config import Secrets
from tests.support.hosts import EchoHost
from tests.support.slack_fake.api import BOT_TOKEN
from tests.support.slack_fake.payloads import (
    SIGNING_SECRET,
    app_home_opened,
    signed_headers,
    slash_command,
)


async def post(adapter: SlackAdapter, body: str, **headers) -> int:
    request = AsyncBoltRequest(body=body, headers=signed_headers(body, **headers))
    response = await adapter.app.async_dispatch(request)
    await adapter.idle()
    return response.status


async def test_a_command_and_the_home_tab_need_nothing_but_a_host(fake_api, make_settings):
    host = EchoHost(make_settings({"slack": {"api_base_url": fake_api.base_url}}))
    secrets = Secrets(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET)
    adapter = SlackAdapter(host, secrets, client=build_client(BOT_TOKEN, fake_api.base_url))

    body = slash_command("/peer", "hello <@U2BOB|bob>", response_url=fake_api.response_url())
    assert await post(adapter, body) == 200
    assert await post(adapter, app_home_opened(), content_type="application/json") == 200

    [invocation] = host.seen
    assert (invocation.command, invocation.text) == ("peer", "hello <@U2BOB>")
    [answer] = fake_api.responses["r1"]
    assert answer["response_type"] == "ephemeral"
    # What a person typed comes back literal: only the core's own mentions are live.
    assert answer["blocks"][0]["text"]["text"] == "echo: hello &lt;@U2BOB&gt;"
    publish = fake_api.bodies("views.publish")[-1]  # (the command refreshed it first)
    assert publish["view"]["blocks"][0]["text"]["text"] == "home of U1ALICE"
