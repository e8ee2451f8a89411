"""Messages to and from JSON, so the outbox can hold them across restarts."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.core.model import (
    Attachment,
    Block,
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
    SelectOption,
    Target,
)

_KINDS: dict[str, type] = {
    "header": Header,
    "section": Section,
    "fields": Fields,
    "buttons": Buttons,
    "select": Select,
    "link": Link,
    "context": Context,
    "divider": Divider,
}
_NAMES = {cls: name for name, cls in _KINDS.items()}


def _block_to_dict(block: Block) -> dict[str, Any]:
    data = asdict(block)
    if isinstance(block, Buttons):
        data["buttons"] = [
            {"label": b.label, "value": b.value, "style": b.style.value} for b in block.buttons
        ]
    data["type"] = _NAMES[type(block)]
    return data


def _block_from_dict(data: dict[str, Any]) -> Block:
    kind = data.pop("type")
    match kind:
        case "fields":
            return Fields(pairs=tuple((k, v) for k, v in data["pairs"]))
        case "buttons":
            return Buttons(
                buttons=tuple(
                    Button(b["label"], b["value"], ButtonStyle(b["style"])) for b in data["buttons"]
                )
            )
        case "select":
            return Select(
                placeholder=data["placeholder"],
                options=tuple(SelectOption(o["label"], o["value"]) for o in data["options"]),
            )
        case _:
            return _KINDS[kind](**data)


def message_to_json(msg: Message) -> str:
    return json.dumps(
        {
            "blocks": [_block_to_dict(b) for b in msg.blocks],
            "fallback": msg.fallback,
            "attachment": asdict(msg.attachment) if msg.attachment else None,
        },
        ensure_ascii=False,
    )


def message_from_json(text: str) -> Message:
    data = json.loads(text)
    attachment = Attachment(**data["attachment"]) if data.get("attachment") else None
    return Message(
        blocks=tuple(_block_from_dict(dict(b)) for b in data["blocks"]),
        fallback=data.get("fallback", ""),
        attachment=attachment,
    )


def target_to_json(target: Target) -> str:
    data = {"user_id": target.user_id, "channel_id": target.channel_id,
            "user_ids": target.user_ids}
    if target.thread:
        data["thread"] = target.thread
    if target.reply_to:
        data["reply_to"] = target.reply_to
    return json.dumps(data)


def target_from_json(text: str) -> Target:
    data = json.loads(text)
    return Target(
        user_id=data.get("user_id"),
        channel_id=data.get("channel_id"),
        user_ids=tuple(data.get("user_ids") or ()),
        thread=str(data.get("thread") or ""),
        reply_to=str(data.get("reply_to") or ""),
    )
