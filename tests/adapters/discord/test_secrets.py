"""The Discord adapter against the fake Discord with DEBUG logging: the token appears in
no log line (even before the redaction filter) and in no database file."""

from __future__ import annotations

import asyncio
import logging

from bot.core.config import Secrets
from bot.core.model import Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.leaks import database_text, leaks


async def test_discord_run_logs_and_stores_no_token(make_settings, clock, monkeypatch, caplog):
    import adapters.discord.client as client_module
    from adapters.discord import run_discord
    from tests.support.discord_fake.harness import fake_discord
    from tests.support.discord_fake.server import GUILD_ID, TOKEN

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
