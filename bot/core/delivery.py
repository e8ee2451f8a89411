"""The one delivery path: drain the outbox through a platform Messenger.

One drain loop per process (:meth:`Deliverer.run`, bot.core.drainloop) keeps at most
``[delivery] concurrency`` sends in flight: one unit of work settles the sends that
finished and claims a row for each free slot, so no batch waits for its slowest send,
and the claimed-but-unsettled rows (the crash window) never exceed ``concurrency``.
Each workspace is paced by a :class:`~bot.core.ratelimit.RateLimiter` that learns the
platform's limit from its 429s; a 429 reserves nothing before its ``Retry-After`` and
never counts as a failed attempt. Undeliverable recipients are marked and not retried;
revoked credentials stop sends to that workspace (logged once) while its rows stay
pending, so nothing is lost when the operator fixes the token and restarts; other errors
back off exponentially up to ``max_attempts``.

Claims and settles are database writes: given a :class:`~bot.core.offload.Lane` they
run on its thread and connection, off the event loop, and a settle that meets a
database locked by another process waits and tries again until it lands. Every wait
and due time is on the injected clock.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from bot.core.drainloop import DrainLoop, Outcome
from bot.core.edits import EDIT, REPLY
from bot.core.fairness import URGENT
from bot.core.logsafe import redact
from bot.core.members import MemberService
from bot.core.model import Message, Target
from bot.core.offload import Lane
from bot.core.outbox import SENDING, SENT, Outbox, OutboxItem, conversation
from bot.core.ports import (
    Clock,
    DeliveryError,
    Messenger,
    RateLimited,
    Undeliverable,
    WorkspaceUnavailable,
)
from bot.core.ratelimit import RateLimiter
from bot.core.requestid import request_scope
from bot.store.db import is_busy, write_transaction

log = logging.getLogger("peerbot.delivery")

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")
BUSY_RETRY_SECONDS = 0.5
HOLD_SECONDS = 0.5  # a workspace told to wait longer than this frees its send slots
NOT_YET_SECONDS = 1.0  # an edit whose message is still being sent waits this long


class NotYet(DeliveryError):
    """An edit of a message whose own send has not settled yet: try again shortly."""


@dataclass
class DrainStats:
    sent: int = 0
    undeliverable: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    paused_workspaces: set[str] = field(default_factory=set)


def _conversation(item: OutboxItem) -> str:
    return conversation(item.workspace_id, item.target.key())


class Deliverer:
    def __init__(
        self,
        outbox: Outbox,
        members: MemberService,
        messenger: Messenger,
        clock: Clock,
        *,
        max_attempts: int = 8,
        concurrency: int = 4,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        lane: Lane | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.outbox = outbox
        self.members = members
        self.messenger = messenger
        self.clock = clock
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.sleep = sleep
        self.rng = rng or random.Random(0)
        self.lane = lane
        self.limiter = limiter or RateLimiter(clock, sleep)
        self._disabled_logged: set[str] = set()
        self._busy: set[str] = set()  # conversations with a send in flight (lane thread)
        self._kick: asyncio.Event | None = None
        self._stopping = False
        self._running = False
        self.in_flight = 0
        self.peak_in_flight = 0

    # ---- the database, off the loop when a lane is given ------------------------------

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        if self.lane is None:
            return fn(*args)
        return await self.lane.run(fn, *args)

    def _in_unit(self, fn: Callable[..., T], *args: Any) -> T:
        with write_transaction(self.db):
            return fn(*args)

    async def _write(self, fn: Callable[..., T], *args: Any) -> T:
        """A write that must land (a settle): a locked database is waited out."""
        while True:
            try:
                return await self._db(self._in_unit, fn, *args)
            except Exception as exc:
                if not is_busy(exc):
                    raise
                log.warning("database locked by another process; the settle waits")
                await self.sleep(BUSY_RETRY_SECONDS)

    def look_again_in(self, poll_seconds: float) -> float:
        """When a drain loop with a free slot and nothing it may claim looks again: at
        the poll, or sooner when a workspace held back may send (its window of sends
        has room again, or its Retry-After is nearly over)."""
        later = self.limiter.claimable_in(HOLD_SECONDS)
        return min(poll_seconds, later) if later > 0 else poll_seconds

    def _claim_due(self, limit: int) -> list[OutboxItem]:
        """Due rows in the fair order (bot.core.fairness), leaving those of workspaces
        waiting out a 429 for later (their rows would hold send slots other workspaces
        can use meanwhile) and those to a conversation a send is already on its way to."""
        items = self.outbox.claim_due(limit, skip=self.limiter.waiting(HOLD_SECONDS),
                                      busy=sorted(self._busy))
        self._busy.update(_conversation(item) for item in items)
        return items

    async def _claim(self, limit: int) -> list[OutboxItem]:
        try:
            return await self._db(self._in_unit, self._claim_due, limit)
        except Exception as exc:
            if is_busy(exc):  # nothing was claimed; the loop looks again shortly
                return []
            raise

    async def recover_in_flight(self) -> int:
        """After a crash: settle rows left mid-send, asking the platform where it can tell.

        Also hands the messenger the DM channels earlier sends used, so it opens none
        of them again.
        """
        remember = getattr(self.messenger, "remember_channel", None)
        if remember is not None:
            for workspace_id, user_id, channel in await self._db(self.outbox.known_channels):
                remember(workspace_id, user_id, channel)
        probe = getattr(self.messenger, "find_delivered", None)
        recovered = 0
        for item in await self._db(self.outbox.in_flight):
            ref = None
            if probe is not None and item.op != EDIT:  # an edit is simply made again
                try:
                    ref = await probe(item.workspace_id, item.target, item.round_key)
                except Exception:
                    ref = None
            if ref:
                await self._write(self.outbox.mark_sent, item, ref)
            else:
                await self._write(self.outbox.release, item)
            recovered += 1
        return recovered

    async def drain_once(self, batch: int = 50) -> DrainStats:
        """Send everything due now; returns when nothing due remains (or all are paused)."""
        stats = DrainStats()
        while True:
            items = await self._claim(batch)  # committed before any send starts
            if not items:
                return stats
            gate = asyncio.Semaphore(self.concurrency)

            async def one(item: OutboxItem, gate: asyncio.Semaphore = gate) -> None:
                async with gate:
                    await self._deliver(item, stats)

            await asyncio.gather(*(one(i) for i in items))

    async def drain_until_idle(self, *, max_wait: float = 3600.0) -> DrainStats:
        """Drain, waiting out rate-limit pauses, until no pending row remains due soon."""
        total = DrainStats()
        deadline = self.clock.now() + timedelta(seconds=max_wait)
        while self.clock.now() < deadline:
            stats = await self.drain_once()
            for name in ("sent", "undeliverable", "retried", "rate_limited", "failed"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
            nxt = await self._db(self.outbox.next_due_at)
            if nxt is None:
                return total
            wait = (nxt - self.clock.now()).total_seconds()
            if wait <= 0:  # due, but its workspace waits out a 429: sleep until it may send
                wait = self.limiter.soonest()
            if wait > max_wait:
                return total
            await self.sleep(max(wait, 0.001))
        return total

    @property
    def db(self):
        return self.outbox.db

    async def _deliver(self, item: OutboxItem, stats: DrainStats) -> None:
        """Send one claimed row and settle it (``drain_once``: tests and tools)."""
        outcome = await self.attempt(item)
        await self._write(self._settle_all, [outcome], stats)

    async def attempt(self, item: OutboxItem,
                      on_wire: Callable[[int], None] | None = None) -> Outcome:
        """Send one claimed row at its workspace's pace; what happened, to be settled.
        Its log lines carry the request id that queued it. A row whose workspace is
        waiting out a 429 is not sent: it goes back to pending until then, freeing its
        slot for others."""
        with request_scope(item.request_id, prefix="send"):
            hold = self.limiter.hold(item.workspace_id)
            if hold > HOLD_SECONDS:
                return Outcome(item, hold=hold)
            slot = await self.limiter.acquire(item.workspace_id)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            if on_wire is not None:
                on_wire(1)
            try:
                ref = await self._send(item)
            except Exception as exc:
                if isinstance(exc, RateLimited):
                    self.limiter.limited(item.workspace_id, max(float(exc.retry_after), 0.05),
                                         slot)
                return Outcome(item, error=exc)
            finally:
                self.limiter.finished(slot)
                self.in_flight -= 1
                if on_wire is not None:
                    on_wire(-1)
            self.limiter.sent(item.workspace_id)
            return Outcome(item, ref=ref)

    async def settle_and_claim(self, outcomes: list[Outcome], free: int,
                               stats: DrainStats) -> list[OutboxItem]:
        """One unit of work: settle every finished send, then claim up to ``free`` rows.
        Settles must land (a locked database is waited out); a claim alone gives up."""
        if outcomes:
            return await self._write(self._settle_all, outcomes, stats, free)
        return await self._claim(free)

    def _settle_all(self, outcomes: list[Outcome], stats: DrainStats,
                    free: int = 0) -> list[OutboxItem]:
        for outcome in outcomes:
            item = outcome.item
            with request_scope(item.request_id, prefix="send"):
                if outcome.hold:
                    self.outbox.retry_later(item, timedelta(seconds=outcome.hold),
                                            "rate limited", count_attempt=False)
                elif outcome.error is None:
                    self.outbox.mark_sent(item, outcome.ref or "")
                    stats.sent += 1
                else:
                    self._settle_failure(item, outcome.error, stats)
            self._busy.discard(_conversation(item))
        return self._claim_due(free) if free > 0 and not self._stopping else []

    async def _send(self, item: OutboxItem) -> str:
        if item.op == EDIT:
            return await self._edit(item)
        reply = getattr(self.messenger, "send_reply", None)
        if item.op == REPLY and item.ref and item.ref_status == SENT and reply is not None:
            return await reply(item.workspace_id, item.target, item.message, item.ref)
        keyed = getattr(self.messenger, "send_keyed", None)
        if keyed is not None:  # the platform can drop a repeat of the same key
            return await keyed(item.workspace_id, item.target, item.message, item.key)
        return await self.messenger.send(item.workspace_id, item.target, item.message)

    async def _edit(self, item: OutboxItem) -> str:
        """Change a delivered message in place (Slack chat.update, a Discord edit, the
        console's reprint). Its own send still in flight: wait; never delivered: give up;
        a platform that cannot edit: the new text is not sent (logged)."""
        if item.ref_status == SENDING:
            raise NotYet("the message to edit is still being sent")
        if item.ref_status != SENT or not item.ref:
            raise Undeliverable("the message to edit was never delivered")
        edit = getattr(self.messenger, "edit", None)
        if edit is None:
            log.info("this platform cannot edit messages; an edit was dropped")
            return item.ref
        return await edit(item.workspace_id, item.target, item.ref, item.message)

    async def queue_urgent(self, workspace_id: str, target: Target, message: Message) -> None:
        """Queue a reply someone is waiting on (bot.core.urgent) and look at once."""
        key = f"reply:{secrets.token_hex(8)}"
        await self._write(functools.partial(self.outbox.enqueue, kind="reply", priority=URGENT),
                          workspace_id, key, target, message)
        self.wake()

    # ---- the one drain loop --------------------------------------------------------------

    def wake(self) -> None:
        """Something was queued (a job ran, a command committed): look now."""
        if self._kick is not None:
            kick, self._kick = self._kick, asyncio.Event()
            kick.set()  # wakes every idle sender waiting on it

    def stop(self) -> None:
        """Claim nothing more; :meth:`run` returns once the sends in flight settle."""
        self._stopping = True
        self.wake()

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def kick(self) -> asyncio.Event | None:
        return self._kick

    async def run(self, *, poll_seconds: float = 1.0) -> DrainStats:
        """Deliver until :meth:`stop` with ``concurrency`` send slots, settled and
        refilled in batches (bot.core.drainloop). One loop per deliverer; the runtime
        makes one per process."""
        if self._running:
            raise RuntimeError("this deliverer already has its drain loop")
        self._running, self._stopping = True, False
        self._kick = asyncio.Event()
        stats = DrainStats()
        loop = DrainLoop(self, stats, poll_seconds)
        try:
            await loop.run()
        finally:
            for task in list(loop.sending):
                task.cancel()
            self._running = False
            self._kick = None
        return stats

    def _settle_failure(self, item: OutboxItem, error: Exception, stats: DrainStats) -> None:
        """What a failed send means for its row: wait, give up on the person, stop the
        workspace, or retry with backoff."""
        if isinstance(error, NotYet):
            self.outbox.retry_later(item, timedelta(seconds=NOT_YET_SECONDS), str(error),
                                    count_attempt=False)
        elif isinstance(error, RateLimited):
            stats.rate_limited += 1
            wait = max(float(error.retry_after), 0.05)
            self.outbox.retry_later(
                item, timedelta(seconds=wait), "rate limited", count_attempt=False
            )
        elif isinstance(error, Undeliverable):
            stats.undeliverable += 1
            reason = redact(str(error), []) or "undeliverable"
            self.outbox.mark_undeliverable(item, reason)
            if item.user_id and item.op != EDIT:  # a lost message is not a lost member
                self.members.mark_undeliverable(item.workspace_id, item.user_id, reason)
            log.info("recipient undeliverable in workspace %s: %s", item.workspace_id, reason)
        elif isinstance(error, WorkspaceUnavailable):
            stats.paused_workspaces.add(item.workspace_id)
            self.outbox.release(item)
            reason = redact(str(error), []) or "credentials rejected"  # SDKs may echo the token
            self.members.disable_workspace(item.workspace_id, reason)
            if item.workspace_id not in self._disabled_logged:
                self._disabled_logged.add(item.workspace_id)
                log.error("sending stopped for workspace %s: %s; fix the token and restart",
                          item.workspace_id, reason)
        elif item.attempts >= self.max_attempts:
            stats.failed += 1
            self.outbox.mark_failed(item, type(error).__name__)
            log.error("gave up on outbox item %s after %s attempts", item.id, item.attempts)
        else:
            stats.retried += 1
            backoff = min(2**item.attempts, 900) * (0.5 + self.rng.random())
            self.outbox.retry_later(item, timedelta(seconds=backoff), type(error).__name__)
