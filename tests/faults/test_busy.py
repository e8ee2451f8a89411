"""A database locked by another process for longer than a member should wait.

The member's command waits at most ``[bot] busy_reply_after_seconds`` (here 0.5 s; 20 s
by default) and is then told honestly that peerbot is busy and nothing was lost; the
event loop stays free meanwhile (Slack's ack does not wait for the database); sends
settled during the lock land once it is released, and a command after it works.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from bot.core.clock import SystemClock
from bot.core.delivery import Deliverer
from bot.core.dispatch import BUSY
from bot.core.model import Actor, Invocation, Section, Target, message
from bot.core.offload import Lane
from bot.runtime import assemble
from bot.store.db import open_database
from tests.faults.test_lock import hold_lock

LOCK = 2.0


class Platform:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, workspace_id, target, msg) -> str:
        self.sent.append(target.key())
        return f"ref-{len(self.sent)}"


async def test_a_long_lock_gets_an_honest_busy_reply_and_queued_writes_land(make_settings):
    settings = make_settings({"bot": {"busy_reply_after_seconds": 0.5}})
    assembly = assemble(settings, open_database(settings.bot.database), SystemClock(), "slack")
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue("W", "r", Target(user_id="U1"), message(Section("hello")))
    lane, platform = Lane("delivery"), Platform()
    own = replace(ctx, db=open_database(settings.bot.database))  # one connection per lane
    deliverer = Deliverer(own.outbox, own.members, platform, ctx.clock, lane=lane)
    [item] = ctx.outbox.claim_due(1)  # claimed before the lock; settled during it
    ctx.db.commit()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.02)

    holder = hold_lock(settings.bot.database, LOCK)
    running = asyncio.get_running_loop().create_task(ticker())
    try:
        started = time.monotonic()
        settle = asyncio.get_running_loop().create_task(deliverer._deliver(item, _stats()))
        replies = await assembly.core.handle_invocation(
            Invocation(actor=Actor("W", "U2", "U2"), command="peer", text="profile"))
        answered_after = time.monotonic() - started
        assert ticks >= 10  # the loop ran while the command waited
        assert replies[0].message.text() == BUSY
        assert "nothing was lost" in BUSY and answered_after < LOCK
        assert holder.poll() is None  # still locked when the member was answered
        await settle  # the send went out during the lock; its settle waits, then lands
    finally:
        running.cancel()
        holder.wait(timeout=30)
        lane.close()
    assert platform.sent == ["user:U1"]
    assert ctx.outbox.status_counts("W") == {"sent": 1}
    after = await assembly.core.handle_invocation(
        Invocation(actor=Actor("W", "U2", "U2"), command="peer", text="help"))
    assert after[0].message.text() != BUSY
    assembly.core.close()
    ctx.db.close()
    own.db.close()


async def test_a_short_lock_is_waited_out_without_a_busy_reply(make_settings):
    settings = make_settings({"bot": {"busy_reply_after_seconds": 5}})
    assembly = assemble(settings, open_database(settings.bot.database), SystemClock(), "slack")
    holder = hold_lock(settings.bot.database, 0.5)
    try:
        replies = await assembly.core.handle_invocation(
            Invocation(actor=Actor("W", "U2", "U2"), command="peer", text="help"))
    finally:
        holder.wait(timeout=30)
        assembly.core.close()
        assembly.ctx.db.close()
    assert replies[0].message.text() != BUSY


def _stats():
    from bot.core.delivery import DrainStats

    return DrainStats()
