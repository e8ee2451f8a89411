"""Discord's rules for components v2 messages, as the fake API enforces them.

From discord.com/developers/docs/components/reference and .../resources/message
(flag ``IS_COMPONENTS_V2``, ``1 << 15``):
- with the flag, a message carries no ``content`` and no ``embeds`` (nor stickers or a
  poll); its components are drawn in order;
- without it, only Action Rows (type 1) may be top-level components;
- layout types: Action Row 1, Section 9, Text Display 10, Thumbnail 11, Media Gallery
  12, File 13, Separator 14, Container 17; interactive: Button 2 and the selects 3, 5-8;
- an Action Row holds 1-5 buttons or exactly one select, and no layout component; a
  Container holds rows, sections, texts, galleries, files and separators, never another
  container;
- at most 40 components in total, nested ones included, and 4,000 characters of text
  over every Text Display; a Text Display's content is required (1-4000);
- button: style 1-4 need a ``custom_id`` (at most 100), style 5 a ``url`` and none;
  label at most 80; custom_ids unique in the message;
- Separator: ``divider`` a bool, ``spacing`` 1 (small) or 2 (large); an accent colour
  0-0xFFFFFF;
- the flag can be set by an edit but never removed (an edit of a v2 message that
  clears it is refused).
"""

from __future__ import annotations

from typing import Any

IS_COMPONENTS_V2 = 1 << 15
SELECTS = {3, 5, 6, 7, 8}
IN_CONTAINER = {1, 9, 10, 12, 13, 14}
TOP_LEVEL = IN_CONTAINER | {17}
MAX_COMPONENTS = 40
MAX_TEXT = 4000


def is_v2(body: dict[str, Any]) -> bool:
    return bool((body.get("flags") or 0) & IS_COMPONENTS_V2)


class _Walk:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.count = 0
        self.text = 0
        self.custom_ids: list[str] = []

    def interactive(self, item: dict[str, Any]) -> None:
        self.count += 1
        kind = item.get("type")
        if kind == 2:
            style = item.get("style")
            if style not in (1, 2, 3, 4, 5, 6):
                self.found.append(f"button style {style!r} unknown")
            if style == 5:
                if not item.get("url") or item.get("custom_id"):
                    self.found.append("a link button needs a url and no custom_id")
            elif not item.get("custom_id"):
                self.found.append("a button needs a custom_id")
            if len(item.get("label") or "") > 80:
                self.found.append("button label over 80")
        elif kind not in SELECTS:
            self.found.append(f"component type {kind!r} cannot sit in an action row")
        if item.get("custom_id"):
            self.custom_ids.append(str(item["custom_id"]))
            if len(str(item["custom_id"])) > 100:
                self.found.append("custom_id over 100")

    def row(self, row: dict[str, Any]) -> None:
        self.count += 1
        items = row.get("components") or []
        selects = [i for i in items if i.get("type") in SELECTS]
        if not 1 <= len(items) <= 5 or (selects and len(items) != 1):
            self.found.append("an action row holds 1-5 buttons or one select")
        for item in items:
            self.interactive(item)

    def layout(self, component: dict[str, Any], allowed: set[int]) -> None:
        kind = component.get("type")
        if kind not in allowed:
            self.found.append(f"component type {kind!r} not allowed here")
            return
        if kind == 1:
            self.row(component)
            return
        self.count += 1
        if kind == 10:
            content = component.get("content")
            if not isinstance(content, str) or not 1 <= len(content) <= MAX_TEXT:
                self.found.append("a text display needs content of 1-4000 characters")
            self.text += len(content or "")
        elif kind == 14:
            if not isinstance(component.get("divider", True), bool) \
                    or component.get("spacing", 1) not in (1, 2):
                self.found.append("separator divider must be a bool, spacing 1 or 2")
        elif kind == 17:
            colour = component.get("accent_color")
            if colour is not None and not 0 <= int(colour) <= 0xFFFFFF:
                self.found.append("accent colour outside 0-0xFFFFFF")
            children = component.get("components") or []
            if not children:
                self.found.append("a container needs components")
            for child in children:
                self.layout(child, IN_CONTAINER)
        elif kind == 9:
            for child in component.get("components") or []:
                self.layout(child, {10})
            accessory = component.get("accessory") or {}
            if accessory.get("type") == 2:
                self.interactive(accessory)
            else:
                self.count += 1


def v2_problems(body: dict[str, Any]) -> list[str]:
    """What Discord would refuse in a message body's flags and components."""
    components = body.get("components") or []
    if not is_v2(body):
        if any(c.get("type") != 1 for c in components):
            return ["components other than action rows need the IS_COMPONENTS_V2 flag"]
        return []
    walk = _Walk()
    if body.get("content"):
        walk.found.append("content is not allowed with IS_COMPONENTS_V2")
    if body.get("embeds"):
        walk.found.append("embeds are not allowed with IS_COMPONENTS_V2")
    if not components:
        walk.found.append("a components v2 message needs components")
    for component in components:
        walk.layout(component, TOP_LEVEL)
    if walk.count > MAX_COMPONENTS:
        walk.found.append(f"{walk.count} components: more than {MAX_COMPONENTS}")
    if walk.text > MAX_TEXT:
        walk.found.append(f"{walk.text} characters of text: more than {MAX_TEXT}")
    if len(walk.custom_ids) != len(set(walk.custom_ids)):
        walk.found.append("custom_ids repeat")
    return walk.found


def edit_problems(was_v2: bool, body: dict[str, Any]) -> list[str]:
    """An edit of a message sent (or edited) with the flag: the flag stays, so the edit
    must not carry content or embeds, and may not clear the flag."""
    if not was_v2:
        return []
    if "flags" in body and not is_v2(body):
        return ["IS_COMPONENTS_V2 cannot be removed from a message"]
    if body.get("content") or body.get("embeds"):
        return ["content and embeds are not allowed on a components v2 message"]
    return []
