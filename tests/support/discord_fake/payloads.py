"""Real-format INTERACTION_CREATE payloads (as the gateway sends them) for tests."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support.discord_fake.server import APP_ID, CHANNEL_ID, GUILD_ID, user

_ids = itertools.count(600000000000000001)


def _member(user_id: str, name: str, roles: list[str], nick: str | None = None
            ) -> dict[str, Any]:
    return {"user": user(user_id, name), "roles": roles, "nick": nick, "avatar": None,
            "joined_at": "2025-01-01T00:00:00+00:00", "deaf": False, "mute": False,
            "flags": 0, "pending": False, "permissions": "2248473465835073"}


def _base(kind: int, data: dict[str, Any], user_id: str, name: str, roles: list[str],
          guild_id: str | None, channel_id: str, nick: str | None = None) -> dict[str, Any]:
    interaction_id = str(next(_ids))
    payload: dict[str, Any] = {
        "id": interaction_id, "application_id": APP_ID, "type": kind, "data": data,
        "token": f"tok-{interaction_id}", "version": 1, "locale": "en-GB",
        "app_permissions": "2248473465835073", "attachment_size_limit": 10485760,
        "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID},
    }
    if guild_id:
        payload["guild_id"] = guild_id
        payload["guild_locale"] = "en-US"
        payload["channel"] = {"id": channel_id, "type": 0, "guild_id": guild_id,
                              "name": "circle", "position": 0, "permission_overwrites": []}
        payload["channel_id"] = channel_id
        payload["member"] = _member(user_id, name, roles, nick)
        payload["context"] = 0
    else:
        payload["channel"] = {"id": channel_id, "type": 1, "recipients": [user(user_id, name)]}
        payload["channel_id"] = channel_id
        payload["user"] = user(user_id, name)
        payload["context"] = 1
    return payload


def slash(name: str, options: list[dict[str, Any]] | None = None, *, user_id: str = "101",
          user_name: str = "alice", roles: list[str] | None = None,
          guild_id: str | None = GUILD_ID, channel_id: str = CHANNEL_ID,
          resolved: dict[str, Any] | None = None, nick: str | None = None) -> dict[str, Any]:
    """A chat-input command; ``options`` nest subcommand groups and subcommands."""
    data: dict[str, Any] = {"id": "1000", "name": name, "type": 1, "options": options or []}
    if guild_id:
        data["guild_id"] = guild_id
    if resolved:
        data["resolved"] = resolved
    return _base(2, data, user_id, user_name, roles or [], guild_id, channel_id, nick)


def sub(subcommand: str, /, **values: Any) -> dict[str, Any]:
    """A subcommand option; values become string (3), integer (4) or user (6) options."""
    opts = []
    for key, value in values.items():
        if isinstance(value, UserRef):
            opts.append({"name": key, "type": 6, "value": value.id})
        elif isinstance(value, int):
            opts.append({"name": key, "type": 4, "value": value})
        else:
            opts.append({"name": key, "type": 3, "value": value})
    return {"name": subcommand, "type": 1, "options": opts}


def group(name: str, subcommand: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": 2, "options": [subcommand]}


class UserRef:
    def __init__(self, user_id: str, name: str = "bob") -> None:
        self.id = user_id
        self.name = name

    def resolved(self) -> dict[str, Any]:
        member = _member(self.id, self.name, [])
        member.pop("user")
        return {"users": {self.id: user(self.id, self.name)}, "members": {self.id: member}}


def click(custom_id: str, *, message: dict[str, Any], user_id: str = "101",
          user_name: str = "alice", guild_id: str | None = None, channel_id: str | None = None,
          values: list[str] | None = None, roles: list[str] | None = None,
          nick: str | None = None) -> dict[str, Any]:
    """A button press (or a select, with ``values``) on ``message``."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
    if values:
        data["values"] = values
    channel = channel_id or message["channel_id"]
    payload = _base(3, data, user_id, user_name, roles or [], guild_id, channel, nick)
    payload["message"] = message
    return payload


def modal_submit(custom_id: str, values: dict[str, str | list[str]], *, user_id: str = "101",
                 user_name: str = "alice", guild_id: str | None = GUILD_ID,
                 channel_id: str = CHANNEL_ID) -> dict[str, Any]:
    """A submitted modal: each value in a label row, a list for a select's choices."""
    rows = []
    for n, (key, value) in enumerate(values.items(), start=1):
        if isinstance(value, list):
            inner = {"type": 3, "id": 2 * n + 1, "custom_id": key, "values": value}
        else:
            inner = {"type": 4, "id": 2 * n + 1, "custom_id": key, "value": value}
        rows.append({"type": 18, "id": 2 * n, "component": inner})
    data = {"custom_id": custom_id, "components": rows}
    return _base(5, data, user_id, user_name, [], guild_id, channel_id)


# A message the bot sent, as Discord echoes it in a component interaction.
BOT_MESSAGE = {"id": "700000000000000001", "channel_id": CHANNEL_ID, "content": "",
           "author": {"id": "900000000000000002", "username": "peerbot", "discriminator": "0",
                      "avatar": None, "bot": True},
           "attachments": [], "embeds": [], "mentions": [], "mention_roles": [],
           "pinned": False, "mention_everyone": False, "tts": False, "type": 0,
           "timestamp": "2026-01-05T08:00:00+00:00", "edited_timestamp": None, "flags": 0,
           "components": []}
