"""Helpers for end-to-end Discord tests: run a command or a click and read the answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.delivery import Deliverer
from tests.support.discord_fake.harness import feed
from tests.support.discord_fake.payloads import click, slash
from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID, FakeDiscord

FOLLOWUPS = r"^/webhooks/\d+/[^/]+(/messages/@original)?$"


def components(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every component of a message body, nested ones (a v2 layout's) included, in order."""
    found: list[dict[str, Any]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            found.append(item)
            walk(item.get("components") or [])
            if item.get("accessory"):
                walk([item["accessory"]])

    walk(body.get("components") or [])
    return found


def text_of(body: dict[str, Any]) -> str:
    """Everything a person would read in a message body: content, titles, text, fields,
    and a components v2 layout's Text Displays."""
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    parts += [c["content"] for c in components(body) if c.get("type") == 10]
    return "\n".join(p for p in parts if p)


def buttons(body: dict[str, Any]) -> dict[str, str]:
    return {c["label"]: c["custom_id"] for c in components(body) if c.get("type") == 2}


async def command(ad: Any, fake: FakeDiscord, options: list[dict], *, top: str = "peer",
                  **who: Any) -> dict:
    """Run `/peer ...`; return the body of its answer, with ``ephemeral``.

    The answer is the callback itself, or, when the adapter deferred (its default), the
    edit that replaced the "thinking" message (ephemeral, like the deferral).
    """
    callbacks = len(fake.find("POST", r"/callback$"))
    edits = len(fake.find("PATCH", r"/messages/@original$"))
    feed(ad, slash(top, options, **who))
    found = await fake.wait_for("POST", r"/callback$", count=callbacks + 1)
    callback = found[-1].json
    if callback["type"] == 5:
        edit = await fake.wait_for("PATCH", r"/messages/@original$", count=edits + 1)
        return {**edit[-1].json, "ephemeral": bool(callback["data"]["flags"] & 64)}
    data = callback["data"]
    return {**data, "ephemeral": bool(data.get("flags", 0) & 64)}


async def press(ad: Any, fake: FakeDiscord, custom_id: str, message: dict, **who: Any) -> dict:
    """Click a button on ``message``; return the body of the answer that follows it."""
    before = len(await fake.wait_for_any(FOLLOWUPS, 0))
    feed(ad, click(custom_id, message=message, **who))
    found = await fake.wait_for_any(FOLLOWUPS, before + 1)
    body = found[-1].json
    return {**body, "ephemeral": bool((body.get("flags") or 0) & 64),
            "edited": found[-1].method == "PATCH"}


async def consented(ad: Any, fake: FakeDiscord, options: list[dict], *, top: str = "peer",
                    **who: Any) -> dict:
    """Run a command (``top``: `/peer` or `/peer-admin`); agree to the consent card if it
    comes first (Agree runs it)."""
    answer = await command(ad, fake, options, top=top, **who)
    agree = buttons(answer).get("Agree")
    if agree:
        card = answer
        answer = await press(ad, fake, agree, fake.message(CHANNEL_ID, card),
                             guild_id=GUILD_ID, **who)
        if answer["edited"]:  # the command's answer replaced the card: as private as it
            answer["ephemeral"] = card["ephemeral"]
    return answer


async def drain(ctx: Any, messenger: Any) -> None:
    """Deliver the outbox through the Discord messenger, on the test's manual clock."""

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    deliverer = Deliverer(ctx.outbox, ctx.members, messenger, ctx.clock, sleep=advance)
    await deliverer.drain_until_idle()


async def agree(ad: Any, fake: FakeDiscord, answer: dict | None = None, **who: Any) -> dict:
    """Press "I agree" on the group agreement: on ``answer`` (a join's answer) when given,
    else on what `/peer agreement` shows. Returns the answer to the press."""
    from tests.support.discord_fake.payloads import sub

    if answer is None:
        answer = await command(ad, fake, [sub("agreement")], **who)
    value = buttons(answer)["I agree"]
    return await press(ad, fake, value, fake.message(CHANNEL_ID, answer), guild_id=GUILD_ID,
                       **who)
