"""`run_discord`: the platform loop (outbox drain, jobs) around the logged-in client."""

from __future__ import annotations

import asyncio

import pytest

import adapters.discord.client as client_module
from adapters.discord import run_discord
from bot.core.config import ConfigError, Secrets
from bot.core.model import Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.harness import fake_discord
from tests.support.discord_fake.server import GUILD_ID, TOKEN


async def test_run_discord_delivers_the_outbox_once_logged_in(make_settings, clock, monkeypatch):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    assembly = assemble(settings, open_database(settings.bot.database), clock, "discord")
    ctx = assembly.ctx
    ctx.members.ensure_workspace(GUILD_ID, "discord")
    with ctx.db.atomic():
        ctx.outbox.enqueue(GUILD_ID, "r1", Target(user_id="101"), message(Section("Hello")))
    seen_tokens: list[str] = []

    async with fake_discord() as fake:

        async def run_without_gateway(self, token: str) -> None:
            seen_tokens.append(token)
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
    try:
        assert seen_tokens == [TOKEN]
        assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 1}
        [post] = fake.find("POST", r"^/channels/501/messages$")
        assert post.json["embeds"][0]["description"] == "Hello"
    finally:
        ctx.db.close()


async def test_a_rejected_token_is_one_clear_config_error(make_settings, clock):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    assembly = assemble(settings, open_database(settings.bot.database), clock, "discord")
    try:
        async with fake_discord() as fake:
            fake.fail("GET", r"^/users/@me$", 401, message="401: Unauthorized")
            with pytest.raises(ConfigError, match="Discord rejected DISCORD_TOKEN"):
                await run_discord(assembly, Secrets(discord_token="wrong"))
    finally:
        assembly.ctx.db.close()


async def test_a_guild_that_refuses_commands_is_logged_and_the_rest_run(
    make_settings, clock, caplog
):
    from tests.support.discord_fake.harness import SpyHost, logged_in

    settings = make_settings({"discord": {"guild_ids": [1, int(GUILD_ID)]}})
    async with fake_discord() as fake:
        fake.fail("PUT", r"/guilds/1/commands$", 403, code=50001, message="Missing Access")
        async with logged_in(SpyHost(settings)) as ad:
            assert ad.messenger.ready.is_set()
    assert fake.find("PUT", rf"/guilds/{GUILD_ID}/commands$")
    assert "could not register commands in guild 1" in caplog.text
