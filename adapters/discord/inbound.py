"""Discord interactions in, the core's Replies out.

Slash commands: deferred at once (ephemerally, "thinking"), then the answer replaces
the thinking message. The core's handlers do their database work synchronously, so a
timer racing a slow handler could not fire in time; deferring first always meets
Discord's 3-second deadline. (``defer_after`` > 0 instead answers directly when the
core is done within that many seconds; None never defers, for tests.) A reply meant
for the channel then follows as a public message, with a private "Posted" note.

Buttons and selects: always a silent deferred update first, then the core's answer
either replaces the clicked message (``replace_original``) or follows as a new
(usually ephemeral) message. A click in a DM finds its server in the custom_id
(adapters.discord.custom_ids), checked against the message Discord delivered with it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Any

import discord

from adapters.discord.custom_ids import Clicked, carried_by, parse
from adapters.discord.forms import FormModal
from adapters.discord.render import SELECT_PREFIX, render
from bot.core import action_ids
from bot.core.model import (
    FORM_BUTTON,
    Action,
    Actor,
    Form,
    Invocation,
    Reply,
    Role,
    Visibility,
    form_text,
)
from bot.core.ports import Host, form_for

log = logging.getLogger("peerbot.discord")

GUILD_LINK = re.compile(r"^https://discord\.com/channels/(\d+)")
DONE = "Done."
POSTED = "Posted in this channel."
STALE = "That button is no longer valid. Nothing was changed."
NOT_HERE = "peerbot isn't set up for this server, so nothing was done."


def role_ids(user: Any) -> set[int]:
    """The role ids of an interaction's member, whether or not the guild is cached."""
    raw = getattr(user, "_roles", None)  # filled straight from the interaction payload
    if raw is not None:
        return {int(r) for r in raw}
    return {r.id for r in getattr(user, "roles", [])}


def actor_of(interaction: discord.Interaction, workspace_id: str,
             facilitator_role_id: int = 0) -> Actor:
    """Who acted: workspace = guild id; the configured Discord role means facilitator."""
    user = interaction.user
    roles: frozenset[Role] = frozenset()
    if facilitator_role_id and facilitator_role_id in role_ids(user):
        roles = frozenset({Role.FACILITATOR})
    return Actor(
        workspace_id=workspace_id,
        user_id=str(user.id),
        display_name=getattr(user, "display_name", "") or user.name,
        platform_roles=roles,
    )


def guild_of_message(message: discord.Message | None) -> str | None:
    """The guild a DM came from, for messages sent before the custom_ids carried it:
    the messenger marked their first embed's URL with it."""
    if message is None:
        return None
    for embed in message.embeds:
        match = GUILD_LINK.match(embed.url or "")
        if match:
            return match.group(1)
    return None


def clicked(data: dict[str, Any]) -> Clicked | None:
    """What a component interaction carries: the core's action id (a select's chosen
    value), its server (in a DM) and "ask first"; None if it is not ours."""
    found = parse(str(data.get("custom_id", "")))
    if found.value.startswith(SELECT_PREFIX):
        values = data.get("values") or []
        found = Clicked(str(values[0]) if values else "", found.guild)
    try:
        action_ids.decode(found.value)
    except action_ids.ActionIdError:
        return None
    return found


def action_value(data: dict[str, Any]) -> str | None:
    """The core's action id carried by a component interaction, or None if not ours."""
    found = clicked(data)
    return found.value if found else None


def _edit_kwargs(reply: Reply, guild: str | None) -> dict[str, Any]:
    rendered = render(reply.message, guild_id=guild)
    kwargs: dict[str, Any] = {"content": rendered.content, "embeds": rendered.embeds,
                              "view": rendered.view}
    if rendered.files:
        kwargs["attachments"] = rendered.files
    return kwargs


async def send_replies(interaction: discord.Interaction, replies: Iterable[Reply],
                       workspace_id: str | None = None) -> None:
    """Deliver the core's replies on an interaction, in order, honouring visibility.

    In a DM, cards are linked to ``workspace_id`` so their buttons find the server again.
    """
    replies = list(replies)
    guild = workspace_id if interaction.guild_id is None else None
    response = interaction.response
    is_component = interaction.type is discord.InteractionType.component
    if not response.is_done():
        if not replies:
            if is_component:  # the clicked message is updated by an edit: say nothing
                await response.defer()
                return
            await response.send_message(DONE, ephemeral=True)
            return
        first, *rest = replies
        private = first.visibility is Visibility.PRIVATE
        await response.send_message(
            ephemeral=private, **render(first.message, guild_id=guild).kwargs())
    else:
        rest = replies
        if not is_component:  # a deferred, ephemeral "thinking" message waits for us
            first_private = next(
                (r for r in replies if r.visibility is Visibility.PRIVATE), None
            )
            if first_private is not None:
                await interaction.edit_original_response(**_edit_kwargs(first_private, guild))
                rest = [r for r in replies if r is not first_private]
            else:
                await interaction.edit_original_response(content=POSTED if replies else DONE)
    for item in rest:
        if is_component and item.replace_original:
            await interaction.edit_original_response(**_edit_kwargs(item, guild))
            continue
        private = item.visibility is Visibility.PRIVATE
        await interaction.followup.send(
            ephemeral=private, **render(item.message, guild_id=guild).kwargs())


class Inbound:
    """Turns interactions into the host's calls; knows the guild fallback for DM clicks."""

    def __init__(self, host: Host, *, facilitator_role_id: int = 0,
                 default_guild: str | None = None, defer_after: float | None = 0,
                 guild_ids: tuple[int, ...] = ()) -> None:
        self.host = host
        # With guild_ids configured, interactions from any other server are refused
        # before the core sees them, so no tenant is ever created for a stranger.
        self.guild_ids = frozenset(str(g) for g in guild_ids)
        self.facilitator_role_id = facilitator_role_id
        self.default_guild = default_guild
        self.defer_after = defer_after

    def workspace_of(self, interaction: discord.Interaction,
                     click: Clicked | None = None) -> str | None:
        """The interaction's server; for a click in a DM the one its custom_id names,
        trusted only if the message Discord delivered (the bot's own, as stored, not as
        the client describes it) holds that very custom_id: a forged prefix finds
        nothing. None when the click's server and the interaction's disagree."""
        if click is not None and click.guild is not None:
            custom_id = str((interaction.data or {}).get("custom_id", ""))
            if interaction.guild_id is not None and str(interaction.guild_id) != click.guild:
                return None
            if interaction.guild_id is None:
                return click.guild if carried_by(interaction.message, custom_id) else None
        if interaction.guild_id is not None:
            return str(interaction.guild_id)
        return guild_of_message(interaction.message) or self.default_guild

    async def _refuse_stranger(self, interaction: discord.Interaction, workspace: str) -> bool:
        if not self.guild_ids or workspace in self.guild_ids:
            return False
        log.warning("refused an interaction from a server peerbot is not configured for")
        await interaction.response.send_message(NOT_HERE, ephemeral=True)
        return True

    async def invoke(self, interaction: discord.Interaction, command: str, text: str) -> None:
        """A slash command: run the core, deferring if it is slow, then reply."""
        workspace = self.workspace_of(interaction)
        if workspace is None:
            await interaction.response.send_message(
                "Please use this command in your server.", ephemeral=True)
            return
        if await self._refuse_stranger(interaction, workspace):
            return
        form = None
        if command == self.host.settings.bot.command_name:
            form = form_for(self.host.command_specs(), text)
        if form is not None:  # a modal must be the first answer: before any deferral
            await interaction.response.send_modal(FormModal(form, self._submitter(command, form)))
            return
        inv = Invocation(
            actor=actor_of(interaction, workspace, self.facilitator_role_id),
            command=command,
            text=text,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            is_direct=interaction.guild_id is None,
            reply_handle=interaction,
            request_id=f"discord:{interaction.id}",
        )
        if self.defer_after == 0:
            await interaction.response.defer(ephemeral=True, thinking=True)
        task = asyncio.ensure_future(self.host.handle_invocation(inv))
        if self.defer_after:
            done, _ = await asyncio.wait({task}, timeout=self.defer_after)
            if not done:
                await interaction.response.defer(ephemeral=True, thinking=True)
        await send_replies(interaction, await task, workspace)

    def _submitter(self, command: str, form: Form):
        async def submitted(interaction: discord.Interaction, values: dict[str, str]) -> None:
            await self.invoke(interaction, command, form_text(form, values))

        return submitted

    async def component(self, interaction: discord.Interaction) -> None:
        """A button or select: forward the custom_id (the core's action id)."""
        click = clicked(interaction.data or {})
        if click is None:  # malformed or forged: answer, or Discord says "failed"
            await interaction.response.send_message(STALE, ephemeral=True)
            return
        value = click.value
        workspace = self.workspace_of(interaction, click)
        if workspace is None:
            await interaction.response.send_message(
                "I can't tell which server this belongs to; please use /peer there.",
                ephemeral=True)
            return
        if await self._refuse_stranger(interaction, workspace):
            return
        name, _, phrase = value.partition("|")
        form = form_for(self.host.command_specs(), phrase) if name == FORM_BUTTON else None
        if form is not None:  # "Change time zone": the form, as the first answer
            command = self.host.settings.bot.command_name
            await interaction.response.send_modal(FormModal(form, self._submitter(command, form)))
            return
        opens_form = action_ids.opens_form(value)
        if not opens_form:  # a form must be the first answer: such a click is not deferred
            await interaction.response.defer()
        message = interaction.message
        action = Action(
            actor=actor_of(interaction, workspace, self.facilitator_role_id),
            value=value,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            message_ref=f"{message.channel.id}:{message.id}" if message else None,
            reply_handle=interaction,
            request_id=f"discord:{interaction.id}",
            ask=click.ask,  # a button with a Confirm: "Are you sure?" first (no dialog here)
        )
        replies = await self.host.handle_action(action)
        form = next((r.form for r in replies if r.form is not None), None) if opens_form else None
        if form is not None:
            command = self.host.settings.bot.command_name
            await interaction.response.send_modal(FormModal(form, self._submitter(command, form)))
            return
        await send_replies(interaction, replies, workspace)
