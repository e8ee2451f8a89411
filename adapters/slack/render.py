"""Neutral messages -> Block Kit, always inside Slack's limits and with a text fallback.

Slack rejects a whole message (``invalid_blocks``) when any one limit is exceeded, so
every limit is enforced here rather than trusted to the handlers: long text is split
into several sections, long labels are clipped with an ellipsis, too many buttons are
spread over several actions blocks, and a message with too many blocks keeps its
buttons and says it was shortened. The ``text`` fallback is what notifications and
screen readers use, so it is never empty.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from bot.core.model import (
    LIVE_MENTION,
    Button,
    Buttons,
    ButtonStyle,
    Confirm,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
    TimeValue,
    plain_times,
    split_times,
    unmark,
)

# Slack's documented limits (https://api.slack.com/reference/block-kit).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELDS_PER_SECTION = 10
FIELD_TEXT = 2000
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
ACTION_VALUE = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 3000
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
PLACEHOLDER_TEXT = 150
FALLBACK_TEXT = 4000
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30

SHORTENED_NOTE = "_This message was shortened to fit Slack; ask again for the rest._"
ELLIPSIS = "…"
# Slack user ids (and Enterprise Grid's W ids, bots' B ids) the core may mention.
_SLACK_ID = re.compile(r"[UWB][A-Z0-9]{1,20}")

class RenderError(ValueError):
    """A message the core built that Slack could never show (e.g. an over-long value)."""


@dataclass(frozen=True)
class Rendered:
    """What chat.postMessage, respond() and views take: blocks plus the text fallback."""

    blocks: list[dict[str, Any]]
    text: str


# Rendering is a pure function of the text, and a fan-out renders the same sentences
# thousands of times (every prompt of a round differs only in its button values): the
# text conversions below are memoised, a bounded cache in memory only (MEMO entries).
MEMO = 2048


@functools.lru_cache(maxsize=MEMO)
def escape(text: str) -> str:
    """Escape ``& < >`` everywhere, as Slack requires; only the core's own mentions live.

    Everything a person or a profile wrote (display names, group names from config,
    specialties, typed words) reaches Slack as literal text: ``<!channel>``,
    ``<!subteam^S1>``, ``<@U1>`` or ``<https://x|y>`` arrive escaped and notify nobody.
    Mentions the core created (:func:`bot.core.model.mention`) become ``<@U…>``, times
    the core carries (:func:`bot.core.model.time_token`) a date token (:func:`date_token`).
    """
    return "".join(date_token(part) if isinstance(part, TimeValue) else _escape_text(part)
                   for part in split_times(text))


def date_token(value: TimeValue) -> str:
    """``<!date^unix^{date_short_pretty} {time}|fallback>``: each reader sees the time in
    their own Slack zone; clients that cannot render it show the core's fallback."""
    fallback = _escape_plain(value.fallback).replace("|", "/")
    return f"<!date^{value.unix}^{{date_short_pretty}} {{time}}|{fallback}>"


def plain(text: str) -> str:
    """Text for plain_text fields (headers, labels, options): times as their fallback."""
    return plain_times(text)


def _escape_text(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in LIVE_MENTION.finditer(text):
        out.append(_escape_plain(unmark(text[pos : match.start()])))
        user = match.group(1)
        out.append(f"<@{user}>" if _SLACK_ID.fullmatch(user) else _escape_plain(user))
        pos = match.end()
    out.append(_escape_plain(unmark(text[pos:])))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def chunks(text: str, limit: int) -> list[str]:
    """Split at line breaks, else spaces, else anywhere; never inside an ``&amp;`` entity."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
            amp = rest.rfind("&", max(0, cut - 5), cut)
            if amp > 0 and ";" not in rest[amp:cut]:
                cut = amp
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    parts.append(rest)
    return [p for p in parts if p.strip()]


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": _plain_text(text), "emoji": True}


@functools.lru_cache(maxsize=MEMO)
def _plain_text(text: str) -> str:
    return unmark(plain_times(text))


@functools.lru_cache(maxsize=MEMO)
def _label(text: str) -> str:
    return clip(plain_times(text), BUTTON_TEXT)


@functools.lru_cache(maxsize=MEMO)
def _parts(text: str, limit: int) -> tuple[str, ...]:
    return tuple(chunks(escape(text), limit))


class _Ids:
    """Sequential action_ids: unique within one message, as Slack requires."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"peer-{self.n}"


def _value(value: str, limit: int) -> str:
    if len(value) > limit:
        raise RenderError(f"action value longer than {limit} characters")
    return value


def _button(button: Button, ids: _Ids) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": ids.next(),
        "text": _plain(_label(button.label)),
        "value": _value(button.value, ACTION_VALUE),
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    if button.confirm is not None:
        element["confirm"] = confirm_object(button.confirm, button.style)
    return element


def confirm_object(confirm: Confirm, style: ButtonStyle) -> dict[str, Any]:
    """Block Kit's confirmation dialog (title 100, text 300, buttons 30 characters)."""
    dialog: dict[str, Any] = {
        "title": _plain(clip(confirm.title, CONFIRM_TITLE)),
        "text": _mrkdwn(clip(escape(confirm.text), CONFIRM_TEXT)),
        "confirm": _plain(clip(confirm.yes, CONFIRM_BUTTON)),
        "deny": _plain(clip(confirm.no, CONFIRM_BUTTON)),
    }
    if style is ButtonStyle.DANGER:
        dialog["style"] = "danger"
    return dialog


def _actions(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"type": "actions", "elements": elements[i : i + ACTIONS_ELEMENTS]}
        for i in range(0, len(elements), ACTIONS_ELEMENTS)
    ]


def _select(block: Select, ids: _Ids) -> list[dict[str, Any]]:
    options = [
        {"text": _plain(clip(o.label, OPTION_TEXT)), "value": _value(o.value, OPTION_VALUE)}
        for o in block.options
    ]
    elements = [
        {
            "type": "static_select",
            "action_id": ids.next(),
            "placeholder": _plain(clip(block.placeholder, PLACEHOLDER_TEXT)),
            "options": options[i : i + SELECT_OPTIONS],
        }
        for i in range(0, len(options), SELECT_OPTIONS)
    ]
    return _actions(elements)


def _block(block: Any, ids: _Ids) -> list[dict[str, Any]]:
    """One neutral block -> one or more Block Kit blocks."""
    match block:
        case Header(text=text):
            header = _plain(clip(plain_times(text), HEADER_TEXT))
            return [{"type": "header", "text": header}] if text else []
        case Section(text=text):
            return [
                {"type": "section", "text": _mrkdwn(part)}
                for part in _parts(text, SECTION_TEXT)
            ]
        case Fields(pairs=pairs):
            fields = [_mrkdwn(clip(f"*{escape(k)}*\n{escape(v)}", FIELD_TEXT)) for k, v in pairs]
            return [
                {"type": "section", "fields": fields[i : i + FIELDS_PER_SECTION]}
                for i in range(0, len(fields), FIELDS_PER_SECTION)
            ]
        case Buttons(buttons=buttons):
            return _actions([_button(b, ids) for b in buttons])
        case Select():
            return _select(block, ids) if block.options else []
        case Link(label=label, url=url):
            if "|" in url or ">" in url or "<" in url:
                raise RenderError("a link URL may not contain '|', '<' or '>'")
            text = clip(f"<{url}|{escape(label)}>", SECTION_TEXT)
            return [{"type": "section", "text": _mrkdwn(text)}]
        case Context(text=text):
            parts = _parts(text, CONTEXT_TEXT)[:CONTEXT_ELEMENTS]
            return [{"type": "context", "elements": [_mrkdwn(p) for p in parts]}] if parts else []
        case Divider():
            return [{"type": "divider"}]
    raise RenderError(f"unknown block type {type(block).__name__}")


def _fit(blocks: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` blocks: keep every actions block, then text in order, plus a note."""
    if len(blocks) <= limit:
        return blocks
    room = limit - 1
    actions = [i for i, b in enumerate(blocks) if b["type"] == "actions"][:room]
    keep = set(actions)
    for i, _ in enumerate(blocks):
        if len(keep) >= room:
            break
        keep.add(i)
    kept = [b for i, b in enumerate(blocks) if i in keep]
    return [*kept, {"type": "context", "elements": [_mrkdwn(SHORTENED_NOTE)]}]


def fallback_text(message: Message) -> str:
    """The notification text: the message's own fallback or its plain text, never empty."""
    text = message.text().strip()
    if not text:
        labels = [
            b.label for blk in message.blocks if isinstance(blk, Buttons) for b in blk.buttons
        ]
        text = " / ".join(labels) or "peerbot"
    return clip(escape(text), FALLBACK_TEXT)


def render(message: Message, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> Rendered:
    """Render a neutral message for chat.postMessage, respond() or a view."""
    ids = _Ids()
    blocks: list[dict[str, Any]] = []
    for block in message.blocks:
        blocks.extend(_block(block, ids))
    return Rendered(blocks=_fit(blocks, max_blocks), text=fallback_text(message))


def home_view(message: Message) -> dict[str, Any]:
    """The App Home tab (views.publish) for the core's home message."""
    return {"type": "home", "blocks": render(message, max_blocks=MAX_VIEW_BLOCKS).blocks}
