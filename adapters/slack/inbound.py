"""Slack request bodies -> the core's neutral Invocation, Action and Actor.

Translation only: no behaviour lives here. Workspace ids are Slack team ids (for an
Enterprise Grid org, the team the user acted from); mentions arrive as ``<@U123|name>``
when the command escapes users (the manifest sets ``should_escape``) and are handed
to the core as ``<@U123>``.
"""

from __future__ import annotations

import re
from typing import Any

from bot.core.model import Action, Actor, Invocation, Role

_NAMED_MENTION = re.compile(r"<@([UW][A-Z0-9]+)\|[^>]*>")


def normalise_text(text: str) -> str:
    """``<@U1|alice>`` -> ``<@U1>``; surrounding whitespace dropped."""
    return _NAMED_MENTION.sub(r"<@\1>", text or "").strip()


def team_id(body: dict[str, Any]) -> str:
    """The workspace of a slash command, an interaction or an event callback."""
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    return str(body.get("team_id") or "")


def user_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id", ""))
    return str(body.get("user_id") or "")


def actor(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Actor:
    user = body.get("user")
    if isinstance(user, dict):
        name = user.get("username") or user.get("name") or ""
    else:
        name = body.get("user_name") or ""
    return Actor(team_id(body), user_id(body), str(name), roles)


def invocation(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Invocation:
    """A slash-command form body -> Invocation (``command`` without its slash)."""
    channel = str(body.get("channel_id") or "") or None
    is_direct = body.get("channel_name") == "directmessage" or (channel or "").startswith("D")
    return Invocation(
        actor=actor(body, roles),
        command=str(body.get("command", "")).lstrip("/"),
        text=normalise_text(str(body.get("text", ""))),
        channel_id=channel,
        is_direct=is_direct,
        reply_handle=body.get("response_url"),
    )


def action_value(body: dict[str, Any]) -> str:
    """The value the core put on the pressed button or chosen option ('' if none)."""
    actions = body.get("actions") or [{}]
    first = actions[0]
    selected = first.get("selected_option")
    if isinstance(selected, dict):
        return str(selected.get("value", ""))
    return str(first.get("value", ""))


def action(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Action:
    """A block_actions payload -> Action; ``message_ref`` is ``<channel>:<ts>``."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return Action(
        actor=actor(body, roles),
        value=action_value(body),
        channel_id=channel,
        message_ref=f"{channel}:{ts}" if channel and ts else None,
        reply_handle=body.get("response_url"),
    )
