"""Messages to and from JSON, so the outbox can hold them across restarts."""

from __future__ import annotations

import base64
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
            "attachment": _attachment_to_dict(msg.attachment) if msg.attachment else None,
        },
        ensure_ascii=False,
    )


def message_from_json(text: str) -> Message:
    data = json.loads(text)
    attachment = _attachment_from_dict(data["attachment"]) if data.get("attachment") else None
    return Message(
        blocks=tuple(_block_from_dict(dict(b)) for b in data["blocks"]),
        fallback=data.get("fallback", ""),
        attachment=attachment,
    )


def _attachment_to_dict(attachment: Attachment) -> dict[str, Any]:
    """A binary file as base64 (JSON holds text only); a text file as its text, as rows
    written before files could be binary hold it."""
    data: dict[str, Any] = {"filename": attachment.filename, "mime_type": attachment.mime_type}
    if isinstance(attachment.content, bytes):
        data["base64"] = base64.b64encode(attachment.content).decode("ascii")
    else:
        data["content"] = attachment.content
    if attachment.alt_text:
        data["alt_text"] = attachment.alt_text
    return data


def _attachment_from_dict(data: dict[str, Any]) -> Attachment:
    """Reads both shapes; a row from before (``filename, content, mime_type``) too."""
    if "base64" in data:
        content: str | bytes = base64.b64decode(data["base64"], validate=True)
    else:
        content = str(data.get("content", ""))
    return Attachment(
        filename=data["filename"],
        content=content,
        mime_type=data.get("mime_type", "application/json"),
        alt_text=data.get("alt_text", ""),
    )


def strip_files(payload: str) -> str:
    """A payload with any binary file's bytes left out, for searching its words."""
    data = json.loads(payload)
    if isinstance(data.get("attachment"), dict):
        data["attachment"].pop("base64", None)
    return json.dumps(data, ensure_ascii=False)


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
