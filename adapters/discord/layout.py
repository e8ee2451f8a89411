"""Discord's components v2 layout: text and rows of buttons in the order they were written.

An embed's text is always drawn above every row of buttons, so a message whose text
sits *between* rows (a check-in prompt: each question directly above its own buttons)
loses its reading order as embeds. A components v2 message (flag ``IS_COMPONENTS_V2``,
``1 << 15``; discord.py sets it for a :class:`discord.ui.LayoutView`) is a list of
components drawn in order: one Container (the calm accent bar the embeds have), holding
Text Displays, Action Rows and Separators. Such a message carries no content and no
embeds, and once sent with the flag every edit must keep it (Discord cannot remove it).

Limits (discord.com/developers/docs/components/reference): at most 40 components in a
message, nested ones included (the container, each text, each row and each button
count), and 4,000 characters of text over all Text Displays. Over either, trailing
buttons are dropped and the longest texts shortened, with a warning, so the message is
always sent rather than refused.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import discord

log = logging.getLogger("peerbot.discord.layout")

MAX_COMPONENTS = 40
MAX_TEXT = 4000
MAX_PER_ROW = 5
IS_COMPONENTS_V2 = 1 << 15
# Component types and the separator as discord.py writes them (Discord's API reference);
# tests/adapters/discord/test_wire.py compares every payload with discord.py's own.
ACTION_ROW, TEXT_DISPLAY, CONTAINER = 1, 10, 17
SEPARATOR = {"type": 14, "divider": True, "spacing": 1}


@dataclass
class Part:
    """One piece in reading order: text (markdown), a row of items, or a separator."""

    text: str = ""
    row: list[Any] = field(default_factory=list)  # discord.ui items, or component dicts
    separator: bool = False


class Forwarded:
    """For a view that needs no callback in memory: clicks are forwarded by the client's
    catch-all interaction handler using the ``custom_id``. Reporting "finished"
    (discord.py 2.4+) and "not dispatchable" (2.6+) stops discord.py from keeping every
    sent view in its view store forever."""

    def __init__(self) -> None:
        super().__init__(timeout=None)  # type: ignore[call-arg]

    def is_finished(self) -> bool:
        return True

    def is_dispatchable(self) -> bool:
        return False


class Layout(Forwarded, discord.ui.LayoutView):
    """A v2 layout (Container, Text Displays, Action Rows) sent and forgotten."""


def _merged(parts: list[Part]) -> list[Part]:
    """Consecutive texts become one Text Display (fewer components, same order)."""
    out: list[Part] = []
    for part in parts:
        if part.text and out and out[-1].text:
            out[-1] = Part(text=f"{out[-1].text}\n{part.text}")
        elif part.text or part.row or part.separator:
            out.append(part)
    return out


def _fit_text(parts: list[Part]) -> None:
    """Shorten the longest texts until the total is within :data:`MAX_TEXT`, counting
    the line break each merge of consecutive texts will add."""
    joins = sum(1 for a, b in itertools.pairwise(parts) if a.text and b.text)
    while (excess := sum(len(p.text) for p in parts) + joins - MAX_TEXT) > 0:
        longest = max((p for p in parts if p.text), key=lambda p: len(p.text))
        keep = max(len(longest.text) - excess - 1, 0)
        longest.text = longest.text[:keep] + "…"


def _fit_components(parts: list[Part]) -> int:
    """Drop trailing buttons (never text) until the count is within the limit; the
    number dropped."""
    def count() -> int:  # the container, then each part and each item in a row
        return 1 + sum(1 + len(p.row) for p in parts)

    total = count()  # counted once, then kept up to date (a prompt has ~20 parts)
    dropped = 0
    for part in reversed(parts):
        while total > MAX_COMPONENTS and part.row:
            part.row.pop()
            dropped += 1
            total -= 1
    parts[:] = [p for p in parts if p.text or p.row or p.separator]
    while count() > MAX_COMPONENTS:  # only texts and separators left: drop separators
        separator = next((p for p in parts if p.separator), None)
        if separator is None:
            break
        parts.remove(separator)
    return dropped


def fitted(parts: list[Part]) -> list[Part]:
    """The parts as the layout's components, in order, within Discord's limits: texts
    merged, rows of at most five items."""
    _fit_text(parts)  # block by block, before merging: a long paragraph is cut, not the
    parts = _merged(parts)  # question that ends the text above its row
    rows: list[Part] = []
    for part in parts:  # a row holds at most five buttons (a select fills one alone)
        if part.row:
            rows += [Part(row=part.row[i:i + MAX_PER_ROW])
                     for i in range(0, len(part.row), MAX_PER_ROW)]
        else:
            rows.append(part)
    dropped = _fit_components(rows)
    if dropped:
        log.warning("dropped %s button(s) over Discord's limit of %s components",
                    dropped, MAX_COMPONENTS)
    return rows


def layout(parts: list[Part], *, accent: int) -> Layout:
    """The parts in order inside one accented Container, within Discord's limits."""
    container: discord.ui.Container = discord.ui.Container(accent_colour=accent)
    for part in fitted(parts):
        if part.text:
            container.add_item(discord.ui.TextDisplay(part.text))
        elif part.separator:
            container.add_item(discord.ui.Separator())
        else:
            row: discord.ui.ActionRow = discord.ui.ActionRow()
            for item in part.row:
                row.add_item(item)
            container.add_item(row)
    view = Layout()
    view.add_item(container)
    return view


def components(parts: list[Part], *, accent: int) -> list[dict[str, Any]]:
    """:func:`layout` as the JSON discord.py would send for it, from parts whose row
    items are already component dicts (adapters.discord.wire): no view objects built."""
    inner: list[dict[str, Any]] = []
    for part in fitted(parts):
        if part.text:
            inner.append({"type": TEXT_DISPLAY, "content": part.text})
        elif part.separator:
            inner.append(dict(SEPARATOR))
        else:
            inner.append({"type": ACTION_ROW, "components": list(part.row)})
    return [{"type": CONTAINER, "accent_color": accent, "spoiler": False,
             "components": inner}]
