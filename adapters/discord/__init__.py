"""The Discord adapter: peerbot's core in a Discord server, via discord.py.

``run_discord(host, secrets)`` is what ``bot.runtime.run`` calls; ``invite_url``
serves ``peerbot discord invite``. See docs/discord.md for set-up and the command map.
"""

from __future__ import annotations

from adapters.discord.client import DiscordAdapter, build_discord
from adapters.discord.invite import invite_url
from bot.core.config import ConfigError, Secrets
from bot.core.ports import Host

__all__ = ["DiscordAdapter", "build_discord", "invite_url", "run_discord"]


async def run_discord(host: Host, secrets: Secrets) -> int:
    """Serve Discord: the client, run by the host with its outbox drain and jobs."""
    import discord

    adapter = build_discord(host)

    async def serve_platform() -> None:
        await adapter.run(secrets.discord_token)

    try:
        return await host.serve(adapter.messenger, serve_platform)
    except discord.LoginFailure:
        raise ConfigError(
            "Discord rejected DISCORD_TOKEN: copy the bot token again from the Developer "
            "Portal (Bot > Reset Token)"
        ) from None
