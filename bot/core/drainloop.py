"""The one drain loop of a process: ``concurrency`` send slots, settled and refilled in
batches.

Each paced send costs the process far more CPU than its HTTP work when it runs alone:
a process woken fifty times a second for one request each pays the wake-up, a cold
cache and a trip to the delivery lane every time (measured: 1.27 ms of CPU per Slack
call spread 20 ms apart, 0.49 ms in bursts of five). So the loop works in batches:

- the rate limiter lets a second's sends leave back to back
  (:class:`bot.core.ratelimit.SendWindow`), so sends finish together and the process
  sleeps between seconds;
- when a send finishes, the loop waits a moment for the other requests of its burst
  (and, while rows it claimed still wait for their slot, until those are sent too),
  then ONE unit of work on the delivery lane settles every finished send and claims a
  row for every free slot.

The crash window is unchanged: a slot is freed only by the unit that settles its row,
so the rows claimed and not yet settled (``sending``: the ones a kill -9 can repeat)
never exceed ``concurrency``. A slow send holds its own slot only: the loop settles the
others and refills their slots without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from bot.core.outbox import OutboxItem

log = logging.getLogger("peerbot.delivery")

COALESCE_SECONDS = 0.015  # how long a finished send waits for the rest of its burst
GAP_SECONDS = 0.004  # ... as long as the others keep finishing this close together


@dataclass
class Outcome:
    """What became of one claimed row's send, for the unit of work that settles it."""

    item: OutboxItem
    ref: str | None = None
    error: Exception | None = None
    hold: float = 0.0  # not sent: its workspace waits out a 429 this long


class DrainLoop:
    """One run of :meth:`bot.core.delivery.Deliverer.run` (the deliverer keeps the state
    that outlives it: the conversations in flight, the limiter, the stop flag)."""

    def __init__(self, deliverer: Any, stats: Any, poll_seconds: float) -> None:
        """``deliverer``: the :class:`bot.core.delivery.Deliverer` (which imports this
        module), ``stats`` its ``DrainStats``."""
        self.d = deliverer
        self.stats = stats
        self.poll_seconds = poll_seconds
        self.done: list[Outcome] = []
        self.sending: set[asyncio.Task[Any]] = set()
        self.on_wire = 0  # sends inside the platform call right now
        self.changed = asyncio.Event()

    async def run(self) -> None:
        d = self.d
        while True:
            free = 0 if d.stopping else d.concurrency - len(self.sending)
            claimed: list[OutboxItem] = []
            if self.done or free > 0:
                batch, self.done = self.done, []
                try:
                    claimed = await d.settle_and_claim(batch, free, self.stats)
                except Exception as exc:  # rows stay claimed; recovered at the next start
                    log.error("delivery failed: %s", type(exc).__name__)
                    await d.sleep(self.poll_seconds)
            for item in claimed:
                task = asyncio.get_running_loop().create_task(self._one(item))
                self.sending.add(task)
            if not self.sending and not self.done:
                if d.stopping:
                    return
                if not claimed:
                    await self._idle()
                continue
            await self._next_change(poll=free > len(claimed))

    async def _one(self, item: OutboxItem) -> None:
        try:
            outcome = await self.d.attempt(item, self._on_wire)
        finally:
            self.sending.discard(asyncio.current_task())  # type: ignore[arg-type]
        self.done.append(outcome)
        self.changed.set()

    def _on_wire(self, delta: int) -> None:
        self.on_wire += delta

    async def _idle(self) -> None:
        """Nothing to claim: sleep until something is queued (a wake), the next poll, or
        a workspace held back by its pace may send again."""
        kick = self.d.kick
        if kick is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(kick.wait(), self.d.look_again_in(self.poll_seconds))

    async def _next_change(self, *, poll: bool) -> None:
        """Until a send finishes (or, with a slot free, something is queued or the poll
        is due), then a moment more for the rest of its burst. While claimed rows still
        wait for their slot, finished sends wait to be settled with theirs: one unit of
        work for the next burst too (a wake, or the loop stopping, settles at once)."""
        while True:
            kicked = False
            if not self.done or self._waiting_for_slot():
                kicked = await self._wait(poll=poll or bool(self.done))
            if not self.done:
                return
            await self._coalesce()
            if kicked or self.d.stopping or not self._waiting_for_slot():
                return

    def _waiting_for_slot(self) -> int:
        """Claimed rows whose send has not started yet (paced)."""
        return len(self.sending) - self.on_wire

    async def _wait(self, *, poll: bool) -> bool:
        """For a finished send, or with ``poll`` a wake or the poll interval; True when
        woken (something was queued)."""
        self.changed.clear()
        finished = asyncio.ensure_future(self.changed.wait())
        waits = [finished]
        kick = self.d.kick
        if poll and kick is not None:
            waits.append(asyncio.ensure_future(kick.wait()))
        try:
            timeout = self.d.look_again_in(self.poll_seconds) if poll else None
            done, _ = await asyncio.wait(waits, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
        return bool(done) and finished not in done

    async def _coalesce(self) -> None:
        """A moment for the rest of the burst: while sends on the wire keep finishing
        within :data:`GAP_SECONDS` of each other (at most :data:`COALESCE_SECONDS`).
        A send still waiting inside the messenger for its own pace (Discord's global
        pacer) is not waited for: the gap runs out first."""
        loop = asyncio.get_running_loop()
        until = loop.time() + COALESCE_SECONDS
        while self.on_wire and loop.time() < until:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(),
                                       min(GAP_SECONDS, until - loop.time()))
            except TimeoutError:
                return
