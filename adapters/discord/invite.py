"""The bot's invite URL with the least permissions peerbot needs."""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")


def minimal_permissions() -> discord.Permissions:
    """What peerbot does in a server, and nothing more.

    View Channel and Send Messages post cards where a facilitator asks (crisis card,
    group announcements); Embed Links shows cards as embeds; Attach Files delivers
    `/peer export` (interaction replies attach files too, but channel posts need it);
    Create Private Threads, Send Messages in Threads and Read Message History open a
    private thread per pair introduction and post in it. DMs need no permission.
    """
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_private_threads=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
    )


def invite_url(application_id: int) -> str:
    """The OAuth2 URL an admin opens to add peerbot to a server."""
    return discord.utils.oauth_url(
        application_id, permissions=minimal_permissions(), scopes=SCOPES
    )
