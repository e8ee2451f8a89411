"""Discord's documented size limits, checked by the fake API on everything it receives.

Discord answers an over-long payload with 400 "Invalid Form Body" (code 50035) and
sends nothing, so the fake does the same: a test that goes through the real client
fails when the adapter lets a limit through. Limits (discord.com/developers/docs):
content 2000; 10 embeds; title 256, description 4096, 25 fields, field name 256, field
value 1024, footer 2048, author 256, 6000 characters over all embeds; 5 rows of 5
components, custom_id 100, label 80; autocomplete 25 choices, name and value 1-100;
command names 32, descriptions 100, 25 options or choices; components v2 (40
components, 4,000 characters of text, no content or embeds): see v2.py.
"""

from __future__ import annotations

from typing import Any

from tests.support.discord_fake.v2 import v2_problems


def _embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    size += sum(len(f.get("name") or "") + len(f.get("value") or "")
                for f in embed.get("fields") or [])
    return size


def message_problems(body: dict[str, Any]) -> list[str]:
    found = []
    if len(body.get("content") or "") > 2000:
        found.append("content over 2000")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        found.append("more than 10 embeds")
    for embed in embeds:
        for key, limit in (("title", 256), ("description", 4096)):
            if len(embed.get(key) or "") > limit:
                found.append(f"embed {key} over {limit}")
        if len((embed.get("footer") or {}).get("text") or "") > 2048:
            found.append("footer over 2048")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            found.append("more than 25 fields")
        for f in fields:
            if len(f.get("name") or "") > 256 or len(f.get("value") or "") > 1024:
                found.append("field name over 256 or value over 1024")
    if sum(_embed_size(e) for e in embeds) > 6000:
        found.append("embeds over 6000 in total")
    rows = body.get("components") or []
    if body.get("flags", 0) & (1 << 15) == 0 and len(rows) > 5:
        found.append("more than 5 component rows")
    for row in rows:
        for item in row.get("components") or []:
            if len(item.get("custom_id") or "") > 100 or len(item.get("label") or "") > 80:
                found.append("component custom_id over 100 or label over 80")
    return found + v2_problems(body)  # components v2 (tests/support/discord_fake/v2.py)


def choice_problems(choices: list[dict[str, Any]]) -> list[str]:
    found = ["more than 25 choices"] if len(choices) > 25 else []
    for c in choices:
        if not 1 <= len(str(c.get("name", ""))) <= 100 or len(str(c.get("value", ""))) > 100:
            found.append("a choice name or value outside 1-100")
    return found


def command_problems(commands: list[dict[str, Any]]) -> list[str]:
    found = []

    def walk(node: dict[str, Any]) -> None:
        if len(node.get("name", "")) > 32 or len(node.get("description", "")) > 100:
            found.append(f"command {node.get('name')!r}: name over 32 or description over 100")
        if len(node.get("options") or []) > 25 or len(node.get("choices") or []) > 25:
            found.append(f"command {node.get('name')!r}: more than 25 options or choices")
        for option in node.get("options") or []:
            walk(option)

    for command in commands:
        walk(command)
    return found


def problems(method: str, path: str, body: Any) -> list[str]:
    """What Discord would refuse in this request ([] when nothing)."""
    if not isinstance(body, (dict, list)) or method not in ("POST", "PATCH", "PUT"):
        return []
    if path.endswith("/commands") and isinstance(body, list):
        return command_problems(body)
    if not isinstance(body, dict):
        return []
    if path.endswith("/callback"):
        data = body.get("data") or {}
        if body.get("type") == 8:
            return choice_problems(data.get("choices") or [])
        return message_problems(data) if body.get("type") in (4, 7) else []
    if "/messages" in path or path.startswith("/webhooks/"):
        return message_problems(body)
    return []
