"""Attack: a crisis card asked for while a 5,000-prompt fan-out is being throttled.

The real slack-bolt app and the real Slack messenger (slack_sdk over HTTP) run inside
``serve`` against the fake Web API, which enforces a limit on chat.postMessage and
answers 429 with a whole-second Retry-After, as Slack does. A member presses "Show
crisis lines" on their Home tab (no response_url, so the card is a DM: the same
method, the same limit as the fan-out). Before issue 14b the DM raced the fan-out and
a 429 lost it; in the queue's order it would wait behind ~5,000 prompts. It must be
sent by one of the next few calls (ordering, not timing), and the fan-out must lose
nothing.
"""

from __future__ import annotations

import asyncio

from bot.core.action_ids import encode
from bot.core.clock import SystemClock
from bot.core.model import Section, Target, message
from bot.core.outbox import Outbox
from bot.core.requestid import request_scope
from bot.runtime import serve
from bot.store.db import open_database
from tests.support.slack_fake.api import TEAM_ID
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions

PROMPTS = 5_000
MEMBER = "U1ALICE"


def _queue_round(ctx) -> None:
    with request_scope(prefix="job"), ctx.db.atomic():  # one job run: one flow
        ctx.members.ensure_workspace(TEAM_ID, "slack")
        for n in range(PROMPTS):
            ctx.outbox.enqueue(TEAM_ID, f"checkin.prompt:{n}", Target(user_id=f"UB{n:05d}"),
                               message(Section(f"check-in {n}")), kind="checkin")


async def test_a_crisis_card_overtakes_a_throttled_fan_out(fake_api, make_settings):
    h = make_harness(fake_api, make_settings, SystemClock())
    ctx = h.assembly.ctx
    _queue_round(ctx)
    for n in range(PROMPTS):  # DM channels known from earlier rounds: one call a prompt
        h.adapter.messenger.remember_channel(TEAM_ID, f"UB{n:05d}", f"DUB{n:05d}")
    fake_api.limit("chat.postMessage", 20)
    posts = fake_api.bodies
    marks: dict[str, int] = {}

    async def platform() -> None:
        async with asyncio.timeout(60):
            while not fake_api.limited["chat.postMessage"]:  # the fan-out is throttled
                await asyncio.sleep(0.01)
            marks["pressed"] = len(posts("chat.postMessage"))
            await h.post(block_actions(encode("pair.crisis"), user_id=MEMBER,
                                       response_url=None, container_type="view"))
            while not any(b.get("channel") == f"D{MEMBER}" for b in posts("chat.postMessage")):
                await asyncio.sleep(0.01)
            bodies = posts("chat.postMessage")
            marks["card"] = next(i for i, b in enumerate(bodies) if b["channel"] == f"D{MEMBER}")
            marks["pending"] = ctx.outbox.status_counts().get("pending", 0)

    assert await serve(h.assembly, h.adapter.messenger, platform, poll_seconds=0.05) == 0
    card = posts("chat.postMessage")[marks["card"]]
    assert "Crisis support" in card["text"] or "Crisis support" in str(card.get("blocks"))
    concurrency = ctx.settings.delivery.concurrency
    # Calls between the press and the card: at most the sends already in flight (each
    # may be answered 429 and tried again once the wait is over) and the card's own.
    assert marks["card"] - marks["pressed"] <= 2 * concurrency
    assert marks["pending"] > PROMPTS - 1_000  # it did not wait for the round
    # Nothing lost or doubled, though it stopped mid fan-out: every prompt the fake
    # accepted is marked sent, the rest wait; the card went once.
    accepted = [b["channel"] for b, status in zip(posts("chat.postMessage"),
                                                   fake_api.statuses("chat.postMessage"),
                                                   strict=True) if status == 200]
    assert len(accepted) == len(set(accepted)) and accepted.count(f"D{MEMBER}") == 1
    db = open_database(ctx.settings.bot.database)
    try:
        counts = Outbox(db, ctx.clock).status_counts(TEAM_ID)
    finally:
        db.close()
    assert counts == {"sent": len(accepted), "pending": PROMPTS + 1 - len(accepted)}
