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


def _obj(value: Any) -> dict[str, Any]:
    """A sub-object of a payload, or {} when a malformed payload put something else there."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """A string field, or '' when it is missing or of another JSON type."""
    return value if isinstance(value, str) else ""


def team_id(body: dict[str, Any]) -> str:
    """The workspace of a slash command, an interaction or an event callback."""
    return (_text(_obj(body.get("user")).get("team_id")) or _text(_obj(body.get("team")).get("id"))
            or _text(body.get("team_id")))


def user_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return _text(user.get("id"))
    return _text(body.get("user_id"))


def actor(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Actor:
    user = body.get("user")
    if isinstance(user, dict):
        name = _text(user.get("username")) or _text(user.get("name"))
    else:
        name = _text(body.get("user_name"))
    return Actor(team_id(body), user_id(body), name, roles)


def invocation(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Invocation:
    """A slash-command form body -> Invocation (``command`` without its slash)."""
    channel = _text(body.get("channel_id")) or None
    is_direct = body.get("channel_name") == "directmessage" or (channel or "").startswith("D")
    return Invocation(
        actor=actor(body, roles),
        command=_text(body.get("command")).lstrip("/"),
        text=normalise_text(_text(body.get("text"))),
        channel_id=channel,
        is_direct=is_direct,
        reply_handle=_text(body.get("response_url")) or None,
    )


def action_value(body: dict[str, Any]) -> str:
    """The value the core put on the pressed button or chosen option ('' if none)."""
    actions = body.get("actions")
    first = _obj(actions[0]) if isinstance(actions, list) and actions else {}
    selected = first.get("selected_option")
    if isinstance(selected, dict):
        return _text(selected.get("value"))
    return _text(first.get("value"))


def action(body: dict[str, Any], roles: frozenset[Role] = frozenset()) -> Action:
    """A block_actions payload -> Action; ``message_ref`` is ``<channel>:<ts>``."""
    container = _obj(body.get("container"))
    channel = (_text(container.get("channel_id"))
               or _text(_obj(body.get("channel")).get("id"))) or None
    ts = _text(container.get("message_ts")) or _text(_obj(body.get("message")).get("ts"))
    return Action(
        actor=actor(body, roles),
        value=action_value(body),
        channel_id=channel,
        message_ref=f"{channel}:{ts}" if channel and ts else None,
        reply_handle=_text(body.get("response_url")) or None,
    )
