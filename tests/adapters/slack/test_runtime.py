"""The runtime entry `run_slack`: HTTP mode, the outbox drain loop and the Slack messenger."""

from __future__ import annotations

import asyncio
import socket

import aiohttp

from adapters.slack import run_slack
from bot.core.config import Secrets
from bot.core.model import Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.slack_fake.api import BOT_TOKEN
from tests.support.slack_fake.payloads import SIGNING_SECRET, signed_headers, slash_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_run_slack_serves_http_and_drains_the_outbox(fake_api, make_settings, clock):
    port = _free_port()
    slack = {"mode": "http", "port": port, "api_base_url": fake_api.base_url}
    settings = make_settings({"slack": slack})
    db = open_database(settings.bot.database)
    assembly = assemble(settings, db, clock, "slack")
    assembly.ctx.members.ensure_workspace("T0PEER", "slack")
    with db.atomic():
        assembly.ctx.outbox.enqueue("T0PEER", "r1", Target(user_id="U1"), message(Section("hi")))
    secrets = Secrets(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET)
    task = asyncio.get_running_loop().create_task(run_slack(assembly, secrets))
    try:
        await fake_api.wait_for("chat.postMessage", 1, timeout=10)
        body = slash_command("/peer", "help", response_url=fake_api.response_url())
        url = f"http://127.0.0.1:{port}/slack/events"
        async with aiohttp.ClientSession() as session:
            for _ in range(100):  # the server may still be starting
                try:
                    async with session.post(url, data=body, headers=signed_headers(body)) as r:
                        assert r.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
        await fake_api.wait_for("r1", 1, timeout=10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assembly.core.close()  # its lane's unit may still use db: let it end before db.close()
    assert fake_api.bodies("chat.postMessage")[0]["channel"] == "DU1"
    assert assembly.ctx.outbox.status_counts("T0PEER") == {"sent": 1}
    assert fake_api.responses["r1"][0]["response_type"] == "ephemeral"
    db.close()
