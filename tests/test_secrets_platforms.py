"""The Slack and Discord adapters, run against their loopback fakes with DEBUG logging:
the token appears in no log line (even before the redaction filter) and in no database
file. Complements test_secrets_leaks.py, which covers the console and the CLI."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import aiohttp
from slack_fake.api import BOT_TOKEN
from slack_fake.payloads import SIGNING_SECRET, signed_headers, slash_command

from bot.config import Secrets
from bot.logsafe import TOKEN_PATTERNS
from bot.model import Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database

pytest_plugins = ["slack_fake.fixtures"]


def leaks(text: str, secrets: list[str]) -> list[str]:
    found = [s[:6] + "..." for s in secrets if s and s in text]
    return found + [p.pattern for p in TOKEN_PATTERNS if p.search(text)]


def database_text(path: str) -> str:
    return "".join(Path(path + s).read_bytes().decode("latin-1")
                   for s in ("", "-wal", "-shm") if Path(path + s).exists())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    assert caplog.records  # DEBUG logging was on
    assert leaks(caplog.text, secrets.values()) == []
    assert leaks(database_text(settings.bot.database), secrets.values()) == []
    db.close()


async def test_discord_run_logs_and_stores_no_token(make_settings, clock, monkeypatch, caplog):
    from discord_fake.harness import fake_discord
    from discord_fake.server import GUILD_ID, TOKEN

    import adapters.discord.client as client_module
    from adapters.discord import run_discord

    caplog.set_level(logging.DEBUG)
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    assembly = assemble(settings, open_database(settings.bot.database), clock, "discord")
    ctx = assembly.ctx
    ctx.members.ensure_workspace(GUILD_ID, "discord")
    with ctx.db.atomic():
        ctx.outbox.enqueue(GUILD_ID, "r1", Target(user_id="101"), message(Section("Hello")))

    async with fake_discord():

        async def run_without_gateway(self, token: str) -> None:
            await self.client.login(token)
            try:
                for _ in range(1000):
                    if ctx.outbox.status_counts(GUILD_ID) == {"sent": 1}:
                        return
                    await asyncio.sleep(0.01)
            finally:
                await self.client.close()

        monkeypatch.setattr(client_module.DiscordAdapter, "run", run_without_gateway)
        assert await run_discord(assembly, Secrets(discord_token=TOKEN)) == 0
    assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 1}
    assert caplog.records
    assert leaks(caplog.text, [TOKEN]) == []
    assert leaks(database_text(settings.bot.database), [TOKEN]) == []
    ctx.db.close()
