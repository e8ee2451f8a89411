"""What a Discord component's ``custom_id`` carries besides the core's action id.

- The server, for a message in a DM: a click there carries no guild, so the messenger
  writes it in front of the action id (``<guild>/<action id>``). An action name cannot
  hold ``/`` (bot.core.action_ids), so the prefix is never mistaken for one. Before
  this, the first embed's URL said which server; a components v2 message has no embed.
- "Ask first" (``?`` before the action id): the button has a confirmation
  (``Button.confirm``, a Slack dialog), which Discord lacks, so a click asks "Are you
  sure?" privately before anything is done (bot.core.confirming).

A custom_id is the bot's own text, but a client could send a click with another one:
:func:`carried_by` lets the adapter check that the custom_id clicked is one the message
(as Discord stored it, not as the client describes it) really holds, so a forged server
prefix cannot move a click to another server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_CUSTOM_ID = 100
ASK = "?"
_GUILD = re.compile(r"^(\d{1,20})/")


@dataclass(frozen=True)
class Clicked:
    """A custom_id taken apart: the action id (or select id), its server, "ask first"."""

    value: str
    guild: str | None = None
    ask: bool = False


def outgoing(value: str, *, guild: str | None = None, ask: bool = False) -> str:
    """The custom_id for ``value``; the server prefix only where it fits in 100."""
    custom_id = (ASK if ask else "") + value
    if guild and guild.isdigit() and len(guild) + 1 + len(custom_id) <= MAX_CUSTOM_ID:
        custom_id = f"{guild}/{custom_id}"
    if len(custom_id) > MAX_CUSTOM_ID:
        raise ValueError(f"custom_id longer than {MAX_CUSTOM_ID} characters")
    return custom_id


def parse(custom_id: str) -> Clicked:
    guild = None
    if match := _GUILD.match(custom_id):
        guild, custom_id = match.group(1), custom_id[match.end():]
    ask = custom_id.startswith(ASK)
    return Clicked(custom_id[1:] if ask else custom_id, guild, ask)


def _walk(components: Any) -> Iterator[str]:
    for component in components or ():
        custom_id = getattr(component, "custom_id", None)
        if custom_id:
            yield custom_id
        yield from _walk(getattr(component, "children", None))
        accessory = getattr(component, "accessory", None)
        if accessory is not None:
            yield from _walk([accessory])


def carried_by(message: Any, custom_id: str) -> bool:
    """Whether ``message`` (a discord.py Message, v1 rows or a v2 layout) holds a
    component with exactly this custom_id."""
    return message is not None and custom_id in set(_walk(getattr(message, "components", ())))
