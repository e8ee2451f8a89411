"""Neutral messages as plain terminal text, buttons numbered so `press <n>` can pick one."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from bot.core.attachments import size_text
from bot.core.model import (
    LIVE_MENTION,
    Attachment,
    Button,
    Buttons,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
    plain_times,
)

INDENT = "  "


def buttons_of(msg: Message) -> list[Button]:
    """Every choice in the message in display order (select options count as buttons)."""
    found: list[Button] = []
    for block in msg.blocks:
        if isinstance(block, Buttons):
            found.extend(block.buttons)
        elif isinstance(block, Select):
            found.extend(Button(o.label, o.value) for o in block.options)
    return found


MENTION = re.compile(r"<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>")


def render(msg: Message, name_of: Callable[[str], str] | None = None) -> str:
    """Plain text with numbered choices; ``<@id>`` mentions become names via ``name_of``."""
    text = LIVE_MENTION.sub(lambda m: f"<@{m.group(1)}>", _render(msg))
    if name_of is not None:
        text = MENTION.sub(lambda m: name_of(m.group(1)), text)
    return text


def attachment_line(file: Attachment) -> str:
    """``[attachment: name, size, alt text]``: what a terminal can show of a file."""
    parts = [file.filename, size_text(file.size)]
    if file.alt_text:
        parts.append(file.alt_text)
    return f"[attachment: {', '.join(parts)}]"


def _render(msg: Message) -> str:
    lines: list[str] = []
    number = 0
    for block in msg.blocks:
        match block:
            case Header(text=text):
                lines.append(f"== {plain_times(text)} ==")
            case Section(text=text):
                lines.extend(plain_times(text).splitlines() or [""])
            case Context(text=text):
                lines.extend(textwrap.wrap(f"({plain_times(text)})", 88) or [""])
            case Fields(pairs=pairs):
                lines.extend(f"{plain_times(k)}: {plain_times(v)}" for k, v in pairs)
            case Link(label=label, url=url):
                lines.append(f"{label}: {url}")
            case Divider():
                lines.append("-" * 20)
            case Buttons(buttons=buttons):
                cells = []
                for button in buttons:
                    number += 1
                    cells.append(f"[{number}] {plain_times(button.label)}")
                lines.append("  ".join(cells))
            case Select(placeholder=placeholder, options=options):
                lines.append(f"{plain_times(placeholder)}:")
                for option in options:
                    number += 1
                    lines.append(f"[{number}] {plain_times(option.label)}")
    if (file := msg.attachment) is not None:
        lines.append(attachment_line(file))
        if isinstance(file.content, str):  # a text file (an export) is shown in full
            lines.append(f"--- file {file.filename} ---")
            lines.extend(file.content.splitlines())
            lines.append("--- end of file ---")
    if not lines and msg.fallback:
        lines.append(plain_times(msg.fallback))
    return "\n".join(INDENT + line if line else "" for line in lines)
