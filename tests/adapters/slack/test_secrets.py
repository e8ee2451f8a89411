"""The Slack adapter in HTTP mode against the fake Web API with DEBUG logging: the token
appears in no log line (even before the redaction filter) and in no database file.
tests/core/test_secrets_leaks.py covers the console and the CLI."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.core.config import Secrets
from bot.core.model import Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.leaks import database_text, free_port, leaks
from tests.support.slack_fake.api import BOT_TOKEN
from tests.support.slack_fake.payloads import SIGNING_SECRET, signed_headers, slash_command


async def test_slack_http_run_logs_and_stores_no_token(fake_api, make_settings, clock, caplog):
    from adapters.slack import run_slack

    caplog.set_level(logging.DEBUG)
    port = free_port()
    settings = make_settings({"slack": {"mode": "http", "port": port,
                                        "api_base_url": fake_api.base_url}})
    db = open_database(settings.bot.database)
    assembly = assemble(settings, db, clock, "slack")
    assembly.ctx.members.ensure_workspace("T0PEER", "slack")
    with db.atomic():
        assembly.ctx.outbox.enqueue("T0PEER", "r1", Target(user_id="U1"), message(Section("hi")))
    secrets = Secrets(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET)
    task = asyncio.get_running_loop().create_task(run_slack(assembly, secrets))
    try:
        await fake_api.wait_for("chat.postMessage", 1, timeout=10)
        url = f"http://127.0.0.1:{port}/slack/events"
        async with aiohttp.ClientSession() as session:
            for text in ("help", "privacy", "export", "profile", "nonsense"):
                body = slash_command("/peer", text, response_url=fake_api.response_url())
                for _ in range(100):  # the server may still be starting
                    try:
                        async with session.post(url, data=body,
                                                headers=signed_headers(body)) as resp:
                            assert resp.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.05)
        await fake_api.wait_for("r1", 1, timeout=10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assembly.core.close()  # its lane's unit may still use db: let it end before db.close()
    assert caplog.records  # DEBUG logging was on
    assert leaks(caplog.text, secrets.values()) == []
    assert leaks(database_text(settings.bot.database), secrets.values()) == []
    db.close()
