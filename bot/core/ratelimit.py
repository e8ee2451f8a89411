"""Sending at the platform's real rate: a per-workspace pace learned from its 429s.

A fan-out that only reacts to 429s loses a whole ``Retry-After`` (Slack: whole
seconds) each time it hits the limit: 0.83 of the allowed rate was measured. This
limiter paces proactively instead. It counts each workspace's successful sends in the
last second; on a 429 that count is the limit the platform just enforced, so the pace
becomes ``headroom`` times it and stays there, probing upward slowly (``probe``, 2 %, per
quiet minute) in case the limit was a momentary dip. Until a workspace's first 429 it
is unpaced, unless a platform names its documented rate (``initial``).

Pacing is by reservation (each send takes the next free slot before it waits), so
concurrent senders are served in arrival order. Time is the injected clock's, the same
one due times use, and waiting is the injected ``sleep``.

With ``burst`` > 1 a paced workspace sends in small bursts: each reserved slot is sent
at the next tick of a grid of whole fractions of a second (``ceil(rate / burst)`` ticks
a second), so about ``burst`` sends leave together instead of one every 1/rate s. The
process wakes half or a quarter as often, and a wake-up is most of what a paced send
costs in CPU (measured on the 2-core VM: a Slack call 20 ms after the previous one
1.24 ms of CPU, in pairs 0.88 ms, in fours 0.57 ms, back to back 0.31 ms). A whole
second holds a whole number of ticks whose slots were reserved within one second, so
any second holds at most ``rate + 1`` sends; a burst woken late could crowd the next
one, so the sends actually started are capped at that too. (Against Slack's fake under
load, bursts still drew 429s whenever one reached the platform late, so the delivery
path sends one at a time: bot.core.delivery.BURST.)
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.core.ports import Clock

Sleep = Callable[[float], Awaitable[None]]
MIN_RATE = 0.2  # never slower than a send every five seconds


@dataclass
class _Pace:
    rate: float | None  # sends per second; None: unpaced
    next_free: float = 0.0
    sent: deque[float] = field(default_factory=deque)
    quiet_since: float = 0.0
    counting_since: float = 0.0  # the sends counted cover a whole second only after this
    started: deque[float] = field(default_factory=deque)  # send starts, last second (bursts)


class RateLimiter:
    def __init__(self, clock: Clock, sleep: Sleep = asyncio.sleep, *,
                 initial: float | None = None, headroom: float = 0.97,
                 probe: float = 0.02, burst: int = 1) -> None:
        self.clock = clock
        self.burst = max(burst, 1)
        self.sleep = sleep
        self.initial = initial
        self.headroom = headroom
        self.probe = probe
        self._paces: dict[str, _Pace] = {}

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _pace(self, key: str) -> _Pace:
        pace = self._paces.get(key)
        if pace is None:
            now = self._now()
            pace = self._paces[key] = _Pace(self.initial, quiet_since=now, counting_since=now)
        return pace

    def rate(self, key: str) -> float | None:
        """The current pace for ``key`` in sends per second (None: unpaced)."""
        return self._pace(key).rate

    async def acquire(self, key: str) -> None:
        """Wait for this workspace's next free slot."""
        pace = self._pace(key)
        now = self._now()
        if pace.rate is None:  # unpaced, but a Retry-After still holds everyone back
            if pace.next_free > now:
                await self.sleep(pace.next_free - now)
            return
        if now - pace.quiet_since > 60 and self.probe:
            pace.rate *= 1 + self.probe
            pace.quiet_since = now
        if self.burst == 1:
            start = max(now, pace.next_free)
            pace.next_free = start + 1.0 / pace.rate
            if start > now:
                await self.sleep(start - now)
            return
        await self._burst_slot(pace, now)

    async def _burst_slot(self, pace: _Pace, now: float) -> None:
        """The next slot, sent on its tick. The sends actually started in any second
        never exceed ``rate + 1`` even when a burst left late (woken late under load)
        and would otherwise crowd the next one."""
        assert pace.rate is not None
        start = max(now, pace.next_free)
        pace.next_free = start + 1.0 / pace.rate
        start = on_tick(start, pace.rate, self.burst)
        if start > now:
            await self.sleep(start - now)
        cap = math.floor(pace.rate) + 1
        while True:
            now = self._now()
            while pace.started and now - pace.started[0] >= 1.0 - 1e-6:  # (µs clocks)
                pace.started.popleft()
            if len(pace.started) < cap:
                pace.started.append(now)
                return
            await self.sleep(pace.started[0] + 1.0 - now)

    def waiting(self, longer_than: float = 0.5) -> list[str]:
        """Keys whose next free slot is more than ``longer_than`` seconds away (a
        Retry-After, or a pace so slow that its reservations run ahead)."""
        now = self._now()
        paces = list(self._paces.items())  # read from the delivery lane's thread too
        return [key for key, pace in paces if pace.next_free - now > longer_than]

    def hold(self, key: str) -> float:
        """Seconds until ``key`` may send again, when it waits out a Retry-After."""
        pace = self._paces.get(key)
        return max(pace.next_free - self._now(), 0.0) if pace is not None else 0.0

    def soonest(self) -> float:
        """Seconds until the first waiting key may send again (0 when none waits)."""
        now = self._now()
        waits = [pace.next_free - now for pace in list(self._paces.values())]
        return max(min((w for w in waits if w > 0), default=0.0), 0.0)

    def sent(self, key: str) -> None:
        pace = self._pace(key)
        now = self._now()
        pace.sent.append(now)
        while pace.sent and now - pace.sent[0] > 1.0:
            pace.sent.popleft()

    def limited(self, key: str, retry_after: float) -> None:
        """A 429: learn the limit from what went through in the last second, and
        reserve nothing before ``retry_after`` has passed."""
        pace = self._pace(key)
        now = self._now()
        while pace.sent and now - pace.sent[0] > 1.0:
            pace.sent.popleft()
        observed = len(pace.sent)
        if observed >= 2 and pace.rate is None:
            # The first lesson: the burst that got through before the first 429.
            pace.rate = max(observed * self.headroom, MIN_RATE)
        elif observed >= 2 and now - pace.counting_since >= 1.0:
            # A whole second of sends ended in a 429: that count is the limit enforced,
            # believed at most halfway down at once (one odd second is not a new limit).
            pace.rate = max(observed * self.headroom, pace.rate / 2, MIN_RATE)
        # Otherwise the count says nothing about a per-second limit (sends in flight
        # answered 429 just after another, the first second after a pause, a per-minute
        # limit): the Retry-After wait below is all there is to learn.
        pace.next_free = max(pace.next_free, now + retry_after)
        pace.quiet_since = now
        pace.counting_since = now + retry_after
        pace.sent.clear()


def on_tick(at: float, rate: float, burst: int) -> float:
    """``at`` rounded up to the next tick of ``ceil(rate / burst)`` ticks a second (whole
    fractions of a second, so a sliding second always holds a whole number of ticks)."""
    tick = 1.0 / math.ceil(rate / burst)
    return math.ceil(at / tick - 1e-9) * tick
