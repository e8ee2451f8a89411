"""Socket Mode: the real AsyncSocketModeHandler over a loopback websocket."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from adapters.slack.app import SlackAdapter
from adapters.slack.messenger import build_client
from bot.core.config import Secrets
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.slack_fake.api import BOT_TOKEN
from tests.support.slack_fake.payloads import slash_command

APP_TOKEN = "xapp-1-A0PEER-0000000000-testapptokentestapptoken"


async def test_socket_mode_command_is_acked_and_answered(fake_api, make_settings, clock):
    settings = make_settings({"slack": {"mode": "socket", "api_base_url": fake_api.base_url}})
    db = open_database(settings.bot.database)
    host = assemble(settings, db, clock, "slack")
    secrets = Secrets(slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN)
    adapter = SlackAdapter(host, secrets, client=build_client(BOT_TOKEN, fake_api.base_url))
    runner = asyncio.get_running_loop().create_task(adapter.run())
    try:
        async with asyncio.timeout(10):
            await fake_api.socket_connected.wait()
        form = dict(parse_qsl(slash_command("/peer", "help", response_url=fake_api.response_url())))
        await fake_api.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": form,
            }
        )
        await fake_api.wait_for("r1", 1, timeout=10)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        db.close()
    [opened] = [c for c in fake_api.calls if c.method == "apps.connections.open"]
    assert opened.token == APP_TOKEN
    assert {"envelope_id": "env-1"} in fake_api.socket_acks
    assert fake_api.responses["r1"][0]["response_type"] == "ephemeral"
