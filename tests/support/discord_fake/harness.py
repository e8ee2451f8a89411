"""Run the real adapter (discord.py client) against the fake Discord on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import discord.http

from adapters.discord import DiscordAdapter, build_discord
from tests.support.discord_fake.server import TOKEN, FakeDiscord


@asynccontextmanager
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    old = discord.http.Route.BASE
    discord.http.Route.BASE = await fake.start()
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old
        await fake.stop()


@asynccontextmanager
async def logged_in(core: Any, settings: Any, **options: Any) -> AsyncIterator[DiscordAdapter]:
    """An adapter logged in to the fake (commands synced); no gateway connection."""
    adapter = build_discord(core, settings, **options)
    await adapter.client.login(TOKEN)
    try:
        yield adapter
    finally:
        await adapter.client.close()


def feed(adapter: DiscordAdapter, payload: dict[str, Any]) -> None:
    """Hand an INTERACTION_CREATE payload to discord.py exactly as the gateway would."""
    adapter.client._connection.parse_interaction_create(payload)



class SpyCore:
    """Stands in for bot.core.dispatch.Core: records what the adapter hands it, answers as told."""

    def __init__(self, router: Any, replies: list[Any] | None = None) -> None:
        self.router = router
        self.replies = list(replies or [])
        self.invocations: list[Any] = []
        self.actions: list[Any] = []

    async def handle_invocation(self, inv: Any) -> list[Any]:
        self.invocations.append(inv)
        return list(self.replies)

    async def handle_action(self, action: Any) -> list[Any]:
        self.actions.append(action)
        return list(self.replies)


__all__ = ["SpyCore", "discord", "fake_discord", "feed", "logged_in"]
