"""The one delivery path: drain the outbox through a platform Messenger.

Rate limits pause the whole workspace for the platform's ``Retry-After`` and never
count as a failed attempt; undeliverable recipients are marked and not retried;
revoked credentials stop sends to that workspace (logged once) while its rows stay
pending, so nothing is lost when the operator fixes the token and restarts; other
errors back off exponentially up to ``max_attempts``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.logsafe import redact
from bot.core.members import MemberService
from bot.core.outbox import Outbox, OutboxItem
from bot.core.ports import Clock, Messenger, RateLimited, Undeliverable, WorkspaceUnavailable
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.delivery")

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class DrainStats:
    sent: int = 0
    undeliverable: int = 0
    retried: int = 0
    rate_limited: int = 0
    failed: int = 0
    paused_workspaces: set[str] = field(default_factory=set)


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
    ) -> None:
        self.outbox = outbox
        self.members = members
        self.messenger = messenger
        self.clock = clock
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.sleep = sleep
        self.rng = rng or random.Random(0)
        self._paused_until: dict[str, float] = {}
        self._disabled_logged: set[str] = set()

    async def recover_in_flight(self) -> int:
        """After a crash: settle rows left mid-send, asking the platform where it can tell."""
        probe = getattr(self.messenger, "find_delivered", None)
        recovered = 0
        for item in self.outbox.in_flight():
            ref = None
            if probe is not None:
                try:
                    ref = await probe(item.workspace_id, item.target, item.round_key)
                except Exception:
                    ref = None
            with write_transaction(self.db):
                if ref:
                    self.outbox.mark_sent(item, ref)
                else:
                    self.outbox.release(item)
            recovered += 1
        return recovered

    async def drain_once(self, batch: int = 50) -> DrainStats:
        """Send everything due now; returns when nothing due remains (or all are paused)."""
        stats = DrainStats()
        while True:
            with write_transaction(self.db):  # committed before any send starts
                items = self.outbox.claim_due(batch)
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
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        while loop.time() < deadline:
            stats = await self.drain_once()
            for name in ("sent", "undeliverable", "retried", "rate_limited", "failed"):
                setattr(total, name, getattr(total, name) + getattr(stats, name))
            nxt = self.outbox.next_due_at()
            if nxt is None:
                return total
            wait = (nxt - self.clock.now()).total_seconds()
            if wait > max_wait:
                return total
            await self.sleep(max(wait, 0.001))
        return total

    @property
    def db(self):
        return self.outbox.db

    async def _deliver(self, item: OutboxItem, stats: DrainStats) -> None:
        """Send one claimed row, then settle it in its own unit of work."""
        loop = asyncio.get_running_loop()
        paused = self._paused_until.get(item.workspace_id, 0.0) - loop.time()
        if paused > 0:
            await self.sleep(paused)
        try:
            ref = await self.messenger.send(item.workspace_id, item.target, item.message)
        except Exception as exc:
            with write_transaction(self.db):
                self._settle_failure(item, exc, stats, loop.time())
            return
        with write_transaction(self.db):
            self.outbox.mark_sent(item, ref)
        stats.sent += 1

    def _settle_failure(self, item: OutboxItem, error: Exception, stats: DrainStats,
                        loop_now: float) -> None:
        """What a failed send means for its row: wait, give up on the person, stop the
        workspace, or retry with backoff."""
        if isinstance(error, RateLimited):
            stats.rate_limited += 1
            wait = max(float(error.retry_after), 0.05)
            self._paused_until[item.workspace_id] = loop_now + wait
            self.outbox.retry_later(
                item, timedelta(seconds=wait), "rate limited", count_attempt=False
            )
        elif isinstance(error, Undeliverable):
            stats.undeliverable += 1
            reason = redact(str(error), []) or "undeliverable"
            self.outbox.mark_undeliverable(item, reason)
            if item.user_id:
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
