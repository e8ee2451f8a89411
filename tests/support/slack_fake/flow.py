"""Helpers for end-to-end Slack tests: run a command or a click as someone, read the answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.delivery import Deliverer
from tests.support.slack_fake.payloads import block_actions, slash_command


def buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {e["text"]["text"]: e["value"] for b in blocks if b["type"] == "actions"
            for e in b["elements"] if e["type"] == "button"}


async def command(h: Any, user: str, text: str, *, name: str | None = None,
                  command: str = "/peer", **extra: Any) -> dict[str, Any]:
    """Run a slash command as ``user`` (username ``name``); return its last answer."""
    url = h.api.response_url(user)
    before = len(h.responses(user))
    body = slash_command(command, text, user_id=user, user_name=name or user.lower(),
                         response_url=url, **extra)
    await h.post(body)
    answers = h.responses(user)
    return answers[-1] if len(answers) > before else {}


async def press(h: Any, user: str, value: str, **extra: Any) -> dict[str, Any]:
    url = h.api.response_url(user)
    before = len(h.responses(user))
    await h.post(block_actions(value, user_id=user, response_url=url, **extra))
    answers = h.responses(user)
    return answers[-1] if len(answers) > before else {}


def is_consent_card(answer: dict[str, Any]) -> bool:
    blocks = answer.get("blocks") or []
    return bool(blocks) and blocks[0].get("text", {}).get("text") == "Welcome to peerbot"


async def consented(h: Any, user: str, text: str, *, name: str | None = None) -> dict[str, Any]:
    """Run a command; agree to the consent card if it comes first (Agree runs it)."""
    answer = await command(h, user, text, name=name)
    if is_consent_card(answer):
        answer = await press(h, user, buttons(answer["blocks"])["Agree"])
    return answer


async def drain(h: Any) -> None:
    """Deliver the outbox through the Slack messenger, on the test's manual clock."""
    ctx = h.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    deliverer = Deliverer(ctx.outbox, ctx.members, h.adapter.messenger, ctx.clock, sleep=advance)
    await deliverer.drain_until_idle()


async def agree(h: Any, user: str, answer: dict[str, Any]) -> dict[str, Any]:
    """Press "I agree" on the group agreement a join's answer shows."""
    return await press(h, user, buttons(answer["blocks"])["I agree"])
