"""Neutral Message -> Discord embeds, components and files, inside Discord's limits.

One embed per visual card: a Header starts a new embed (its title), Sections, Links and
Context lines go to the description, Fields become inline embed fields, and text that
follows Fields (or a Divider) starts a fresh embed so reading order is kept (Discord
always draws fields after the description). Buttons become rows of at most five
buttons; a Select takes a row of its own. Every component's ``custom_id`` is the core's
action id (with its server in front in a DM: adapters.discord.custom_ids), so a click
can be forwarded after a restart without any view in memory.

Embeds are drawn above every row of buttons, so a message with text *between* rows (a
check-in prompt: each question directly above its own buttons) is laid out with
components v2 instead (adapters.discord.layout), in the order it was written.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord.custom_ids import outgoing
from adapters.discord.layout import IS_COMPONENTS_V2, Forwarded, Layout, Part
from adapters.discord.layout import layout as lay_out
from adapters.discord.text import clip, markdown, safe, unmarked
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
    plain_times,
    unmark,
)

log = logging.getLogger("peerbot.discord.render")

COLOUR = 0x4F8A8B  # a calm teal; the same on every card
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000
MAX_ROWS = 5
MAX_PER_ROW = 5
MAX_LABEL = 80
MAX_OPTIONS = 25
MAX_OPTION_LABEL = 100
MAX_PLACEHOLDER = 150
MAX_CUSTOM_ID = 100
MAX_FILE_DESCRIPTION = 1024  # an attachment's description (its alt text)
SELECT_PREFIX = "peerbot.select|"
GUILD_URL = "https://discord.com/channels/{}"
EMPTY = "Done."


STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


class ComponentView(Forwarded, discord.ui.View):
    """Buttons and selects (action rows) sent and forgotten (see :class:`Forwarded`)."""


@dataclass
class Rendered:
    """What one neutral message becomes: the keyword arguments of a Discord send."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: ComponentView | Layout | None = None
    files: list[discord.File] = field(default_factory=list)

    @property
    def v2(self) -> bool:
        """A components v2 layout: no content, no embeds; every edit keeps the flag."""
        return isinstance(self.view, Layout)

    def kwargs(self) -> dict:
        """Keyword arguments for ``Messageable.send`` / ``followup.send``."""
        out: dict = {"embeds": self.embeds}
        if self.content:
            out["content"] = self.content
        if self.view is not None:
            out["view"] = self.view
        if self.files:
            out["files"] = self.files
        return out


class _Cards:
    """Accumulates embeds while walking the blocks."""

    def __init__(self) -> None:
        self.embeds: list[discord.Embed] = []
        self.lines: list[str] = []
        self.current: discord.Embed | None = None

    def _flush_lines(self) -> None:
        if self.lines and self.current is not None:
            text = "\n".join(self.lines).strip("\n")
            self.current.description = clip(text, MAX_DESCRIPTION) if text else None
        self.lines = []

    def new(self, title: str | None = None) -> None:
        self._flush_lines()
        if len(self.embeds) >= MAX_EMBEDS:
            self.current = self.embeds[-1]
            self.lines = [self.current.description or ""]
            if title:
                self.lines.append(f"**{title}**")
            return
        self.current = discord.Embed(colour=COLOUR, title=clip(title, MAX_TITLE) if title else None)
        self.embeds.append(self.current)

    def ensure(self, *, after_fields: bool = True) -> discord.Embed:
        if self.current is None or (after_fields and self.current.fields and not self.lines):
            self.new()
        assert self.current is not None
        return self.current

    def text(self, line: str) -> None:
        self.ensure()
        self.lines.append(line)

    def fields(self, pairs: tuple[tuple[str, str], ...]) -> None:
        embed = self.ensure(after_fields=False)
        self._flush_lines()
        for name, value in pairs:
            if len(embed.fields) >= MAX_FIELDS:
                log.warning("dropped embed fields over Discord's limit of %s", MAX_FIELDS)
                break
            embed.add_field(
                name=clip(markdown(name, times=False), MAX_FIELD_NAME) or "\u200b",
                value=clip(markdown(value), MAX_FIELD_VALUE) or "\u200b",
                inline=True,
            )

    def finish(self, footer: str | None) -> list[discord.Embed]:
        self._flush_lines()
        if footer and self.embeds:
            self.embeds[-1].set_footer(text=clip(footer, MAX_FOOTER))
        _fit_total(self.embeds)
        return [e for e in self.embeds if e.title or e.description or e.fields or e.footer.text]


def _fit_total(embeds: list[discord.Embed]) -> None:
    """Fit Discord's 6000-character total: drop trailing fields, then trim descriptions."""
    def excess() -> int:
        return sum(len(e) for e in embeds) - MAX_TOTAL

    for embed in reversed(embeds):
        while excess() > 0 and embed.fields:
            embed.remove_field(len(embed.fields) - 1)
    for embed in reversed(embeds):
        over = excess()
        if over <= 0:
            return
        if embed.description:
            keep = max(len(embed.description) - over - 1, 0)
            embed.description = embed.description[:keep] + "…"


def _link_line(link: Link) -> str:
    if link.url.startswith(("http://", "https://")):
        return f"[{link.label}]({link.url})"
    return f"{link.label}: {link.url}"


def _embeds(msg: Message) -> list[discord.Embed]:
    cards = _Cards()
    blocks = list(msg.blocks)
    footer = None
    if blocks and isinstance(blocks[-1], Context):
        footer = unmarked(blocks.pop().text)
    for block in blocks:
        match block:
            case Header(text=text):
                cards.new(unmarked(text))
            case Section(text=text):
                cards.text(markdown(text))
            case Context(text=text):
                cards.text(f"-# {markdown(text)}")
            case Link():
                cards.text(_link_line(block))
            case Fields(pairs=pairs):
                cards.fields(pairs)
            case Divider():
                if cards.current is not None:
                    cards.new()
            case _:
                pass
    return cards.finish(footer)


def _button(button: Button, guild: str | None = None) -> discord.ui.Button:
    if len(button.value) > MAX_CUSTOM_ID:
        raise ValueError(f"button value longer than {MAX_CUSTOM_ID} characters")
    return discord.ui.Button(
        label=clip(unmark(plain_times(button.label)), MAX_LABEL),
        custom_id=outgoing(button.value, guild=guild, ask=button.confirm is not None),
        style=STYLES.get(button.style, discord.ButtonStyle.secondary),
    )


def _select(block: Select, number: int, guild: str | None) -> discord.ui.Select:
    options = [discord.SelectOption(label=clip(unmark(plain_times(o.label)), MAX_OPTION_LABEL),
                                    value=o.value) for o in block.options[:MAX_OPTIONS]]
    return discord.ui.Select(custom_id=outgoing(f"{SELECT_PREFIX}{number}", guild=guild),
                             placeholder=clip(block.placeholder, MAX_PLACEHOLDER),
                             options=options)


TEXT_BLOCKS = (Header, Section, Context, Link, Fields)
ItemMaker = Callable[[Button, "str | None"], Any]
SelectMaker = Callable[[Select, int, "str | None"], Any]


def needs_layout(msg: Message) -> bool:
    """Text between two rows of buttons (embeds would draw it above all of them)."""
    controls = [i for i, b in enumerate(msg.blocks) if isinstance(b, (Buttons, Select))]
    return msg.attachment is None and len(controls) > 1 and any(
        isinstance(b, TEXT_BLOCKS) for b in msg.blocks[controls[0] + 1:controls[-1]])


def _parts(msg: Message, guild: str | None, button: ItemMaker | None = None,
           select: SelectMaker | None = None) -> list[Part]:
    """The blocks in order, as the v2 layout's texts, rows and separators; the row items
    made by ``button``/``select`` (discord.py items by default, plain dicts for a send:
    adapters.discord.wire)."""
    button = button or _button
    select = select or _select
    parts: list[Part] = []
    seen: set[str] = set()  # Discord rejects a message whose custom_ids repeat
    selects = 0
    for block in msg.blocks:
        match block:
            case Header(text=text):
                parts.append(Part(text=f"### {unmarked(text)}"))
            case Section(text=text):
                parts.append(Part(text=markdown(text)))
            case Context(text=text):
                parts.append(Part(text=f"-# {markdown(text)}"))
            case Link():
                parts.append(Part(text=_link_line(block)))
            case Fields(pairs=pairs):
                parts.append(Part(text="\n".join(f"**{markdown(n, times=False)}**: {markdown(v)}"
                                                 for n, v in pairs)))
            case Divider():
                parts.append(Part(separator=True))
            case Buttons(buttons=buttons):
                unique = [b for b in buttons if not (b.value in seen or seen.add(b.value))]
                parts.append(Part(row=[button(b, guild) for b in unique]))
            case Select():
                parts.append(Part(row=[select(block, selects, guild)]))
                selects += 1
    return parts


def placed(msg: Message, guild: str | None = None, button: ItemMaker | None = None,
           select: SelectMaker | None = None) -> list[tuple[int, Any]]:
    """The buttons and selects of an embed message as (row, item), rows in order,
    within Discord's limits (five rows of five buttons; a select fills a row)."""
    button = button or _button
    select = select or _select
    out: list[tuple[int, Any]] = []
    row = -1
    selects = 0
    dropped = 0
    seen: set[str] = set()  # Discord rejects a message whose custom_ids repeat
    for block in msg.blocks:
        if isinstance(block, Buttons):
            unique = [b for b in block.buttons if not (b.value in seen or seen.add(b.value))]
            dropped += len(block.buttons) - len(unique)
            for i, item in enumerate(unique):
                if i % MAX_PER_ROW == 0:
                    row += 1
                if row >= MAX_ROWS:
                    dropped += 1
                    continue
                out.append((row, button(item, guild)))
        elif isinstance(block, Select):
            row += 1
            if row >= MAX_ROWS:
                dropped += len(block.options)
                continue
            dropped += max(len(block.options) - MAX_OPTIONS, 0)
            out.append((row, select(block, selects, guild)))
            selects += 1
    if dropped:
        log.warning("dropped %s choice(s) over Discord's component limits", dropped)
    return out


def _view(msg: Message, guild: str | None = None) -> ComponentView | None:
    view = ComponentView()
    for row, item in placed(msg, guild):
        item.row = row
        view.add_item(item)
    return view if view.children else None


def lead(msg: Message, guild_id: str | None, summary: bool) -> tuple[str | None, list]:
    """An embed message's content and embeds (see :func:`render`)."""
    embeds = _embeds(msg)
    if not embeds:
        content: str | None = markdown(msg.text()) or EMPTY  # Discord refuses empty ones
    else:
        content = safe(msg.fallback) if summary and msg.fallback else None
    if embeds and guild_id:
        embeds[0].url = GUILD_URL.format(guild_id)
    return (clip(content, MAX_CONTENT) if content else None), embeds


def render(msg: Message, *, guild_id: str | None = None, summary: bool = False,
           layout: bool = True) -> Rendered:
    """Render a neutral message.

    Content is plain text only when there is nothing for an embed, or, with ``summary``,
    the model's ``fallback`` (a one-line summary) so that a DM's push notification says
    something useful. ``guild_id`` (given for a DM, which carries no server) is written
    in front of every custom_id, which is how a click there finds its workspace again,
    and links the first card's title to the server. Text between rows of buttons: a
    components v2 layout (:func:`needs_layout`, unless ``layout`` is false), which has
    no content and no embeds.
    """
    if layout and needs_layout(msg):
        return Rendered(view=lay_out(_parts(msg, guild_id), accent=COLOUR))
    content, embeds = lead(msg, guild_id, summary)
    files = []
    if (file := msg.attachment) is not None:  # its alt text is the description
        files.append(discord.File(io.BytesIO(file.data), filename=file.filename,
                                  description=file.alt(MAX_FILE_DESCRIPTION) or None))
    return Rendered(
        content=content,
        embeds=embeds,
        view=_view(msg, guild_id),
        files=files,
    )


def plain(msg: Message) -> str:
    """The message as plain content only, for places where embeds are unavailable."""
    return clip(markdown(msg.text()), MAX_CONTENT)


def to_payload(rendered: Rendered) -> dict:
    """A JSON-ready picture of a render (content, embeds, components), for golden tests."""
    out: dict = {}
    if rendered.content:
        out["content"] = rendered.content
    if rendered.embeds:
        out["embeds"] = [e.to_dict() for e in rendered.embeds]
    if rendered.view is not None:
        out["components"] = rendered.view.to_components()
    if rendered.v2:
        out["flags"] = IS_COMPONENTS_V2
    if rendered.files:
        out["files"] = [f.filename for f in rendered.files]
    return out
