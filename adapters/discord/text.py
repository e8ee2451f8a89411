"""Text for Discord: the core's mentions and times in Discord's markup, everything else inert.

Shared by the embed renderer (adapters.discord.render) and the components v2 layout
(adapters.discord.layout), so both show a name, a time or a mention the same way.
"""

from __future__ import annotations

import functools
import re

import discord

from bot.core.model import LIVE_MENTION, TimeValue, split_times, unmark

MEMO = 2048  # distinct texts kept (memory only): a round repeats the same sentences
_BOLD = re.compile(r"(?<![*\w])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![*\w])")


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.lru_cache(maxsize=MEMO)
def safe(text: str, *, times: bool = True) -> str:
    """Only the core's own mentions become ``<@id>``; every other text stays inert.

    Times the core carries become ``<t:unix:f>`` (each reader's own clock and locale)
    where Discord renders them (content, descriptions, field values); with ``times``
    false (titles, footers, labels, where it would show the raw markup) the core's
    plain-text fallback.
    """
    out: list[str] = []
    for part in split_times(text):
        if isinstance(part, TimeValue):
            out.append(f"<t:{part.unix}:f>" if times else part.fallback)
        else:
            out.append(_safe_text(part))
    return "".join(out)


def _safe_text(text: str) -> str:
    """Mentions only, as :func:`safe` describes.

    A display name, group name or typed word holding ``@everyone``, ``@here``, ``<@id>``
    or ``<@&role>`` is shown with a zero-width space after the ``@``, so it neither
    notifies (allowed_mentions forbids that too) nor renders as someone else's mention.
    """
    out: list[str] = []
    pos = 0
    for match in LIVE_MENTION.finditer(text):
        out.append(discord.utils.escape_mentions(unmark(text[pos : match.start()])))
        user = match.group(1)
        out.append(f"<@{user}>" if user.isdigit() and user.isascii() else user)
        pos = match.end()
    out.append(discord.utils.escape_mentions(unmark(text[pos:])))
    return "".join(out)


@functools.lru_cache(maxsize=MEMO)
def markdown(text: str, *, times: bool = True) -> str:
    """The model's light markdown (``*bold*``, ``_italic_``) in Discord's dialect."""
    return _BOLD.sub(r"**\1**", safe(text, times=times))


@functools.lru_cache(maxsize=MEMO)
def unmarked(text: str) -> str:
    """Text for places Discord shows as typed (embed titles and footers, where
    ``**bold**`` and a `` `command` `` would appear with their marks): no marks."""
    plain = _BOLD.sub(r"\1", safe(text, times=False)).replace("`", "")
    return re.sub(r"(?<![\w*])_([^_\n]+)_(?![\w])", r"\1", plain)
