"""A message as the JSON body of Discord's "create message", built as plain dicts.

The outbox sends thousands of messages a round; building a ``discord.ui.View`` (or a
components v2 ``LayoutView``) of ``Button`` objects for each one, then having discord.py
turn it back into JSON and parse the answer into a ``discord.Message``, was most of the
bot's own CPU per Discord send. :func:`body` walks the same renderer
(adapters.discord.render: the same blocks, rows, limits and custom_ids, the server in
front of them in a DM) but makes each component as the dict discord.py would have sent,
with the text conversions memoised (a round repeats the same sentences; only the
custom_ids differ per member). The messenger posts it through discord.py's HTTP client
(``http.send_message``: its rate-limit buckets, retries and errors unchanged).

tests/adapters/discord/test_wire.py holds every body equal to what discord.py builds
from :func:`adapters.discord.render.render` for the same message, so what Discord
receives (and the goldens) cannot drift apart. A message with a file still goes through
discord.py's own send (multipart).
"""

from __future__ import annotations

import functools
from typing import Any

import discord

from adapters.discord.custom_ids import outgoing
from adapters.discord.layout import IS_COMPONENTS_V2, components
from adapters.discord.render import (
    COLOUR,
    MAX_CUSTOM_ID,
    MAX_LABEL,
    STYLES,
    _parts,
    _select,
    lead,
    needs_layout,
    placed,
)
from adapters.discord.text import clip
from bot.core.model import Button, Message, Select, plain_times, unmark

MEMO = 2048  # distinct labels kept; memory only
BUTTON = 2


@functools.lru_cache(maxsize=MEMO)
def _label(text: str) -> str:
    return clip(unmark(plain_times(text)), MAX_LABEL)


def button(item: Button, guild: str | None = None) -> dict[str, Any]:
    """The dict of :func:`adapters.discord.render._button`'s ``discord.ui.Button``."""
    if len(item.value) > MAX_CUSTOM_ID:
        raise ValueError(f"button value longer than {MAX_CUSTOM_ID} characters")
    out: dict[str, Any] = {
        "type": BUTTON,
        "style": STYLES.get(item.style, discord.ButtonStyle.secondary).value,
        "disabled": False,
    }
    if label := _label(item.label):
        out["label"] = label
    out["custom_id"] = outgoing(item.value, guild=guild, ask=item.confirm is not None)
    return out


def select(block: Select, number: int, guild: str | None) -> dict[str, Any]:
    """A select, rare in sends: discord.py's own item, as its dict."""
    return _select(block, number, guild).to_component_dict()


def body(msg: Message, *, guild_id: str | None = None, layout: bool = True
         ) -> dict[str, Any] | None:
    """``channel.send(**render(msg, guild_id=guild_id, summary=True, layout=layout)
    .kwargs())`` as the JSON discord.py posts (content, embeds, components, flags), less
    nonce, mentions, reference and tts; None for a message with a file (discord.py sends
    that one, as multipart)."""
    if msg.attachment is not None:
        return None
    if layout and needs_layout(msg):
        return {"embeds": [], "content": None,
                "components": components(_parts(msg, guild_id, button, select), accent=COLOUR),
                "flags": IS_COMPONENTS_V2}
    content, embeds = lead(msg, guild_id, summary=True)
    # discord.py's send writes both keys always: null content, no components
    out: dict[str, Any] = {"embeds": [embed.to_dict() for embed in embeds], "content": content}
    rows: list[dict[str, Any]] = []
    last = None
    for row, item in placed(msg, guild_id, button, select):
        if row != last:
            rows.append({"type": 1, "components": []})
            last = row
        rows[-1]["components"].append(item)
    out["components"] = rows
    return out


def allowed(notify: tuple[int, ...]) -> discord.AllowedMentions:
    """Only the people the core means to notify; never @everyone, a role, or anyone
    named inside text that came from a person."""
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False,
        users=[discord.Object(id=u) for u in notify] if notify else False)


def mentions(default: discord.AllowedMentions | None, notify: tuple[int, ...]) -> dict:
    """:func:`allowed` merged with the client's default, as discord.py sends it."""
    ours = allowed(notify)
    return (default.merge(ours) if default is not None else ours).to_dict()
