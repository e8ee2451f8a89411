"""The Discord client: default intents, the `/peer` and `/crisis` tree, a click catch-all.

Buttons and selects need no registered views: every component interaction whose
``custom_id`` is a peerbot action id is forwarded to the core, so messages sent
before a restart keep working. Commands are synced at start-up to the configured
guilds (instant) or globally (Discord may take up to an hour to show them).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.buckets import amortise_bucket_sweep
from adapters.discord.commands import build_map, build_staff_map, member_specs, spell_both
from adapters.discord.inbound import Inbound
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.tree import admin_name, build_tree
from bot.core.ports import Host

log = logging.getLogger("peerbot.discord")

# discord.py waits out shorter 429s itself; longer ones come back to the outbox.
MAX_RATELIMIT_WAIT = 30.0


def intents() -> discord.Intents:
    """Only the ``guilds`` intent: no privileged intent, and none of the default ones.

    Interactions arrive whatever the intents; ``guilds`` keeps the server, channel and
    role caches (the intro channel, a member's roles). peerbot reads no messages, so the
    default message, reaction and typing events would be traffic for nothing.
    """
    return discord.Intents(guilds=True)


def quiet_discord_logs() -> None:
    """Keep discord.py's DEBUG request dumps (which hold what members typed) out of logs."""
    for name in ("discord.http", "discord.webhook.async_", "discord.gateway", "discord.state"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


class PeerClient(discord.Client):
    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(
            intents=intents(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            # Every send, interaction replies included, notifies nobody unless a send
            # names its users (the introduction thread does).
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        amortise_bucket_sweep(self.http)  # one bucket per DM channel: no n² sweeps
        self.adapter = adapter

    async def setup_hook(self) -> None:
        await self.adapter.on_login()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            try:
                await self.adapter.inbound.submitted(interaction)
            except Exception as exc:
                log.error("form handling failed: %s", type(exc).__name__)
            return
        if interaction.type is discord.InteractionType.component:
            try:
                await self.adapter.inbound.component(interaction)
            except Exception as exc:
                log.error("button handling failed: %s", type(exc).__name__)


class DiscordAdapter:
    """The client, its command tree, the inbound path and the Messenger, wired once.

    ``host`` is the running bot (:class:`~bot.core.ports.Host`): its settings, its
    commands (for the tree) and the calls each interaction becomes.
    """

    def __init__(self, host: Host, *, sync: bool = True,
                 defer_after: float | None = 0, **client_options: Any) -> None:
        self.host = host
        self.settings = settings = host.settings
        self.sync = sync
        cfg = settings.discord
        self.guild_ids = list(cfg.guild_ids)
        self.client = PeerClient(self, **client_options)
        self.inbound = Inbound(
            host,
            facilitator_role_id=cfg.facilitator_role_id,
            default_guild=str(self.guild_ids[0]) if len(self.guild_ids) == 1 else None,
            defer_after=defer_after,
            guild_ids=tuple(self.guild_ids),
        )
        specs = host.command_specs()
        self.inbound.form_phrases = frozenset(s.phrase for s in specs if getattr(s, "form", False))
        self.tree = build_tree(
            self.client,
            specs,
            settings.bot.command_name,
            settings.bot.crisis_command,
            self._invoke,
            self._group_names,
        )
        self.tree.on_error = self._tree_error  # type: ignore[method-assign]
        children, staff = build_map(member_specs(specs)), build_staff_map(specs)
        admin = admin_name(settings.bot.command_name)
        host.set_spelling(  # hints as typed on Discord, staff commands under /peer-admin
            lambda text: spell_both(children, staff, admin, text))
        self.messenger = DiscordMessenger(self.client, intro_channel_id=cfg.intro_channel_id)
        quiet_discord_logs()

    async def _invoke(self, interaction: discord.Interaction, command: str, text: str) -> None:
        await self.inbound.invoke(interaction, command, text)

    async def _group_names(self, interaction: discord.Interaction, typed: str) -> list[str]:
        """Peer groups of this server whose names contain what was typed (all can see them)."""
        if interaction.guild_id is None:
            return []
        if self.guild_ids and interaction.guild_id not in self.guild_ids:
            return []  # a server we do not serve: no tenant is created for it
        typed = typed.strip().lower()
        names = self.host.group_names(str(interaction.guild_id))
        return sorted(name for name in names if typed in name.lower())

    async def _tree_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("slash command failed: %s", type(error).__name__)
        try:
            if not interaction.response.is_done():
                await interaction.response.send_message(
                    "Sorry, something went wrong on our side. Please try again.",
                    ephemeral=True)
        except discord.HTTPException:
            pass

    async def on_login(self) -> None:
        """After login (before the gateway): sync commands, then let the outbox send."""
        if self.sync:
            await self.sync_commands()
        self.messenger.ready.set()

    async def sync_commands(self) -> None:
        """Register the commands; a guild that refuses is logged, the others still work."""
        if not self.guild_ids:
            await self.tree.sync()
            log.info("slash commands synced globally (may take up to an hour to appear)")
            return
        synced = 0
        for guild_id in self.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                await self.tree.sync(guild=guild)
                synced += 1
            except discord.HTTPException as exc:
                log.error(
                    "could not register commands in guild %s (Discord %s/%s): is the bot in "
                    "that server, invited with the applications.commands scope? "
                    "`peerbot discord invite` prints the URL", guild_id, exc.status, exc.code,
                )
        log.info("slash commands synced to %s of %s guild(s)", synced, len(self.guild_ids))

    async def run(self, token: str) -> None:
        """Log in and serve the gateway until the client is closed."""
        async with self.client:
            await self.client.start(token)


def build_discord(host: Host, **options: Any) -> DiscordAdapter:
    return DiscordAdapter(host, **options)
