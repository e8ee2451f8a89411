"""Run the real adapter (discord.py client) against the fake Discord on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import discord.http

from adapters.discord import DiscordAdapter, build_discord
from bot.core.config import Settings
from bot.core.model import Action, Actor, Invocation, Message, Reply, Section, message
from bot.core.ports import Messenger, PlatformLoop, Spelling
from bot.core.router import CommandSpec, Router
from bot.runtime import build_router
from tests.support.discord_fake.server import TOKEN, FakeDiscord


@asynccontextmanager
async def fake_discord(global_rate: int | None = None) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(global_rate)
    old = discord.http.Route.BASE
    discord.http.Route.BASE = await fake.start()
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old
        await fake.stop()


@asynccontextmanager
async def logged_in(host: Any, **options: Any) -> AsyncIterator[DiscordAdapter]:
    """An adapter on ``host`` logged in to the fake (commands synced); no gateway."""
    adapter = build_discord(host, **options)
    await adapter.client.login(TOKEN)
    try:
        yield adapter
    finally:
        await adapter.client.close()


def feed(adapter: DiscordAdapter, payload: dict[str, Any]) -> None:
    """Hand an INTERACTION_CREATE payload to discord.py exactly as the gateway would."""
    adapter.client._connection.parse_interaction_create(payload)


class SpyHost:
    """Stands in for the runtime's Host (bot.core.ports): records what the adapter hands
    it and answers as told. Commands come from ``router`` (default: every topic's)."""

    def __init__(self, settings: Settings, router: Router | None = None,
                 replies: list[Reply] | None = None, groups: tuple[str, ...] = ()) -> None:
        self.settings = settings
        self.router = router or build_router()
        self.replies = list(replies or [])
        self.groups = list(groups)
        self.invocations: list[Invocation] = []
        self.actions: list[Action] = []
        self.spell: Spelling | None = None
        self.served: list[Messenger] = []

    async def handle_invocation(self, invocation: Invocation) -> list[Reply]:
        self.invocations.append(invocation)
        return list(self.replies)

    async def handle_action(self, action: Action) -> list[Reply]:
        self.actions.append(action)
        return list(self.replies)

    async def home(self, actor: Actor) -> Message:
        return message(Section(f"home of {actor.user_id}"))

    def command_specs(self) -> list[CommandSpec]:
        return self.router.commands()

    def group_names(self, workspace_id: str) -> list[str]:
        return list(self.groups)

    def set_spelling(self, spell: Spelling) -> None:
        self.spell = spell

    async def serve(self, messenger: Messenger, run_platform: PlatformLoop) -> int:
        self.served.append(messenger)
        await run_platform()
        return 0


__all__ = ["SpyHost", "discord", "fake_discord", "feed", "logged_in"]
