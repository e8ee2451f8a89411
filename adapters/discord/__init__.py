"""The Discord adapter: peerbot's core in a Discord server, via discord.py.

``run_discord(assembly, secrets)`` is what ``bot.runtime.run`` calls; ``invite_url``
serves ``peerbot discord invite``. See docs/discord.md for set-up and the command map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.discord.client import DiscordAdapter, build_discord
from adapters.discord.invite import invite_url

if TYPE_CHECKING:
    from bot.core.config import Secrets
    from bot.runtime import Assembly

__all__ = ["DiscordAdapter", "build_discord", "invite_url", "run_discord"]


async def run_discord(assembly: Assembly, secrets: Secrets) -> int:
    """Serve Discord: the platform loop (outbox drain, jobs) around the client."""
    import discord

    from bot.core.config import ConfigError
    from bot.runtime import serve

    adapter = build_discord(assembly.core, assembly.ctx.settings)

    async def serve_platform() -> None:
        await adapter.run(secrets.discord_token)

    try:
        return await serve(assembly, adapter.messenger, serve_platform)
    except discord.LoginFailure:
        raise ConfigError(
            "Discord rejected DISCORD_TOKEN: copy the bot token again from the Developer "
            "Portal (Bot > Reset Token)"
        ) from None
