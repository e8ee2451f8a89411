"""Messages to and from JSON, so the outbox can hold them across restarts.

msgspec (de)serialises the model's dataclasses directly, nested tuples and enums
included: 17x faster to encode than ``dataclasses.asdict`` + ``json.dumps`` (a round of
5,000 prompts spent half its opening time here). Each block is ``[kind, {fields}]``;
rows written by the earlier hand-written encoder (``{"type": kind, ...}``) still read.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import msgspec

from bot.core.model import (
    Attachment,
    Block,
    Buttons,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
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
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder()


def message_to_json(msg: Message) -> str:
    blocks = [(_NAMES[type(b)], b) for b in msg.blocks]
    attachment = _attachment_to_dict(msg.attachment) if msg.attachment else None
    return _ENCODER.encode(
        {"blocks": blocks, "fallback": msg.fallback, "attachment": attachment}
    ).decode()


def _block(raw: Any) -> Block:
    if isinstance(raw, list):
        kind, fields = raw
    else:  # a row queued before msgspec: {"type": kind, **fields}
        fields = dict(raw)
        kind = fields.pop("type")
    return msgspec.convert(fields, _KINDS[kind])


def message_from_json(text: str) -> Message:
    data = _DECODER.decode(text)
    attachment = data.get("attachment")
    return Message(
        blocks=tuple(_block(b) for b in data["blocks"]),
        fallback=data.get("fallback", ""),
        attachment=_attachment_from_dict(attachment) if attachment else None,
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
