"""Accessibility of what peerbot sends on Slack, over the messages a member and a
facilitator meet: every button says in words what it does (no emoji, number or colour
alone), every message has a text fallback for screen readers and notifications, every
image (a chart) carries alt text, and destructive buttons ask first in words."""

from __future__ import annotations

import re

from adapters.slack.render import render
from bot.core.model import Message, Reply
from tests.support.world import World

WORD = re.compile(r"[A-Za-z]{2,}")
COMMANDS = [
    ("newcomer", "group join Circle"), ("alice", "help"), ("alice", "privacy"),
    ("alice", "crisis"), ("alice", "crisis colleague"), ("alice", "forget-me"),
    ("alice", "checkin"), ("alice", "checkin history"), ("alice", "pair"),
    ("alice", "pair join"), ("alice", "profile"), ("alice", "resources"),
    ("fran", "help"), ("fran", "pair preview"), ("fran", "admin members"),
    ("fran", "admin checkins now"),
]


async def _messages(tmp_path) -> list[Message]:
    world = World(tmp_path)
    for user in ("alice", "bob", "carol"):
        world.add(user)
    world.add("fran", facilitator=True)
    await world.join("bob", "carol")
    replies: list[Reply] = []
    for user, text in COMMANDS:
        replies += await world.command(user, text)
    await world.drain()
    return [r.message for r in replies] + [m for _, m in world.messenger.sent]


async def test_every_button_says_what_it_does_in_words(tmp_path):
    messages = await _messages(tmp_path)
    seen = 0
    for msg in messages:
        for block in render(msg).blocks:
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                label = element["text"]["text"] if element["type"] == "button" else "select"
                assert WORD.search(label), f"button without words: {label!r}"
                seen += 1
                if element.get("style") == "danger":  # red alone never says "this erases"
                    assert "confirm" in element, label
    assert seen > 20  # the flows really produced buttons


async def test_every_message_has_a_fallback_and_every_image_alt_text(tmp_path):
    for msg in await _messages(tmp_path):
        rendered = render(msg)
        assert WORD.search(rendered.text), rendered.blocks[:1]
        for block in rendered.blocks:
            if block["type"] == "image":
                assert block.get("alt_text", "").strip(), block
            for element in block.get("elements", []):
                if isinstance(element, dict) and element.get("type") == "image":
                    assert element.get("alt_text", "").strip(), element
