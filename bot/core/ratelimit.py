"""Sending at the platform's real rate: a per-workspace limit learned from its 429s.

A fan-out that only reacts to 429s loses a whole ``Retry-After`` (Slack: whole
seconds) each time it hits the limit: 0.83 of the allowed rate was measured. This
limiter paces proactively instead. It counts each workspace's successful sends in the
last second; on a 429 that count is the limit the platform just enforced. Until a
workspace's first 429 it is unpaced, unless a platform names its documented rate
(``initial``).

A paced workspace sends through a :class:`SendWindow`: at most the learned count in
any second, each send counted from the moment its answer came back (less the shortest
round trip, see the class). Both platforms
count requests in a sliding second; the moment the platform counted a request lies
somewhere between its start and its answer, so counting from the answer can never put
more in the platform's second than in ours, however late a request reached it (under
load one was measured reaching the platform 58 ms after it left: spacing by start
times with a 31 ms margin drew a 429 in most runs). And a window sends in bursts: the
sends of a second leave back to back and the process sleeps for the rest of it, where
evenly spaced sends woke it fifty times a second. On this 2-core VM a wake-up is most
of what a paced send costs in CPU (a Slack call 20 ms after the previous one: 1.24 ms
of CPU; back to back: 0.31 ms).

``rate`` stays the learned pace in sends per second (``headroom`` times the count),
probed upward slowly (``probe``, 2 % per quiet minute) after a lesson that lowered it,
in case that limit was a momentary dip, but never past the first lesson (the most the
platform ever let through: a probe past it only buys a 429); the window allows
``round(rate / headroom)`` sends a second, so the learned count itself. Slots are by
reservation (each send takes the next free slot before it waits), so concurrent senders
are served in arrival order. Time is the injected clock's, the
same one due times use, and waiting is the injected ``sleep``.
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


SHAVE_MARGIN = 0.005  # seconds kept of a round trip when counting a send before its answer
SHAVE_AFTER = 20  # answers seen before the shortest round trip is believed
DISTRUST_SECONDS = 600.0  # after a 429 in a window, count from answers alone this long


class Slot:
    """One send's place in its window: when it started, then when it counts from."""

    __slots__ = ("_waiters", "answered", "at", "started", "window")

    def __init__(self, at: float, window: SendWindow) -> None:
        self.at = self.started = at
        self.window = window
        self.answered = False
        self._waiters: list[asyncio.Future[None]] = []

    def answer(self, at: float) -> None:
        self.at = max(self.started, at)
        self.answered = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_answered(self) -> None:
        if not self.answered:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter


class SendWindow:
    """At most ``limit`` sends in any ``span`` seconds, counted from their answers.

    A send starts ``span`` after the send ``limit`` before it counts from (waiting for
    its answer when it is still on its way). Counted from the answer, the platform,
    which counted each request at some moment before answering it, never sees more
    than ``limit`` in any ``span``, whatever the network did. That costs a round trip a
    second (5 % at 50 ms), so a send counts from its answer less the shortest round
    trip seen (less :data:`SHAVE_MARGIN`; after :data:`SHAVE_AFTER` answers): safe
    whenever the platform counts each request at the same point of its round trip and
    one of those answers came without a stall, however late a later stall makes a
    request (it lengthens that request's own round trip, not the shortest one). A 429
    means the platform counts otherwise: :meth:`distrust` goes back to answers alone
    for :data:`DISTRUST_SECONDS`. Shared by the core's limiter and the Discord
    adapter's global pacer.
    """

    def __init__(self, limit: int, span: float = 1.0) -> None:
        self.limit = max(limit, 1)
        self.span = span
        self.slots: deque[Slot] = deque()
        self.answers = 0
        self.shortest = math.inf  # the shortest round trip seen
        self.trust_from = 0.0

    def next_start(self, now: float) -> float:
        """When a send reserved now could start (an estimate while the send it follows
        is still on its way: its start stands for its answer)."""
        slots = self.slots
        if len(slots) < self.limit:
            return now
        return max(now, slots[-self.limit].at + self.span)

    async def take(self, now: Callable[[], float], sleep: Sleep,
                   not_before: Callable[[], float] = lambda: 0.0) -> Slot:
        """The next slot, in arrival order; waits for it. Nothing starts before
        ``not_before()``, read again after every wait (a Retry-After learned while this
        send waited holds it too). Hand the slot to :meth:`answered` when the request's
        answer comes, whatever it said."""
        follows = self.slots[-self.limit] if len(self.slots) >= self.limit else None
        slot = Slot(now(), self)
        self.slots.append(slot)
        while len(self.slots) > self.limit:
            self.slots.popleft()
        try:
            while True:
                at = now()
                start = max(at, not_before(), follows.at + self.span if follows else at)
                if start > at:
                    await sleep(start - at)  # its answer may come meanwhile: look again
                elif follows is None or follows.answered:
                    break
                else:
                    await follows.wait_answered()
        except BaseException:
            slot.answer(now())  # never sent; the sends after it must not wait forever
            raise
        slot.at = slot.started = now()
        return slot

    def answered(self, slot: Slot, now: float) -> None:
        """The answer came: the platform counted this send by now (or by now less the
        shortest round trip, while trusted)."""
        self.answers += 1
        self.shortest = min(self.shortest, now - slot.started)
        shave = 0.0
        if now >= self.trust_from and self.answers >= SHAVE_AFTER:
            shave = max(self.shortest - SHAVE_MARGIN, 0.0)
        slot.answer(now - shave)

    def distrust(self, now: float) -> None:
        """A 429 within the window: count from answers alone for a while."""
        self.trust_from = now + DISTRUST_SECONDS

    def resize(self, limit: int, span: float) -> None:
        """A new limit, keeping the sends already counted."""
        self.limit, self.span = max(limit, 1), span


@dataclass
class _Pace:
    rate: float | None  # sends per second; None: unpaced
    next_free: float = 0.0  # nothing before this (a Retry-After)
    sent: deque[float] = field(default_factory=deque)
    quiet_since: float = 0.0
    counting_since: float = 0.0  # the sends counted cover a whole second only after this
    window: SendWindow | None = None
    best: float | None = None  # the pace of the most the platform ever let through


class RateLimiter:
    def __init__(self, clock: Clock, sleep: Sleep = asyncio.sleep, *,
                 initial: float | None = None, headroom: float = 0.97,
                 probe: float = 0.02) -> None:
        self.clock = clock
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
            pace = self._paces[key] = _Pace(None, quiet_since=now, counting_since=now)
            self._set_rate(pace, self.initial)
        return pace

    def _set_rate(self, pace: _Pace, rate: float | None) -> None:
        """The learned pace, and the window that keeps to it: the count the platform
        allows a second (``rate / headroom``), or one send every ``headroom / rate``
        seconds when that is under one."""
        pace.rate = rate
        if rate is None:
            pace.window = None
            return
        limit = max(round(rate / self.headroom), 1)
        span = max(1.0, limit * self.headroom / rate)
        if pace.window is None:
            pace.window = SendWindow(limit, span)
        else:
            pace.window.resize(limit, span)

    def rate(self, key: str) -> float | None:
        """The current pace for ``key`` in sends per second (None: unpaced)."""
        return self._pace(key).rate

    def _start_at(self, pace: _Pace, now: float) -> float:
        start = max(now, pace.next_free)
        return start if pace.window is None else pace.window.next_start(start)

    async def acquire(self, key: str) -> Slot | None:
        """Wait for this workspace's next free slot; hand the slot to :meth:`finished`
        when the answer comes (None: unpaced, nothing to hand back)."""
        pace = self._pace(key)
        now = self._now()
        if (pace.rate is not None and pace.best is not None and pace.rate < pace.best
                and now - pace.quiet_since > 60 and self.probe):
            self._set_rate(pace, min(pace.rate * (1 + self.probe), pace.best))
            pace.quiet_since = now
        window = pace.window
        if window is None:  # unpaced, but a Retry-After still holds everyone back
            if pace.next_free > now:
                await self.sleep(pace.next_free - now)
            return None
        return await window.take(self._now, self.sleep, lambda: pace.next_free)

    def finished(self, slot: Slot | None) -> None:
        """The answer to the send in ``slot`` came back (whatever it said)."""
        if slot is not None:
            slot.window.answered(slot, self._now())

    def _held_for(self, pace: _Pace, now: float, longer_than: float, lead: float) -> float:
        """Seconds until rows of ``pace``'s key are worth claiming (0: now): past a
        Retry-After less ``longer_than``, and its window's next slot less ``lead``."""
        hold = pace.next_free - now - longer_than
        full = self._start_at(pace, now) - now - lead
        return max(hold, full, 0.0)

    def waiting(self, longer_than: float = 0.5, *, window_lead: float = 0.05) -> list[str]:
        """Keys that cannot send for more than ``longer_than`` seconds (a Retry-After)
        or, their window full, for more than ``window_lead`` (claimed now, their rows
        would only hold send slots others can use)."""
        now = self._now()
        paces = list(self._paces.items())  # read from the delivery lane's thread too
        return [key for key, pace in paces
                if self._held_for(pace, now, longer_than, window_lead) > 0]

    def claimable_in(self, longer_than: float = 0.5, *, window_lead: float = 0.05) -> float:
        """Seconds until the first key :meth:`waiting` holds back may be claimed again
        (0 when none is held back): when a drain loop with nothing to send looks again."""
        now = self._now()
        waits = [self._held_for(pace, now, longer_than, window_lead)
                 for pace in list(self._paces.values())]
        return min((w for w in waits if w > 0), default=0.0)

    def hold(self, key: str) -> float:
        """Seconds until ``key`` may send again, when it waits out a Retry-After."""
        pace = self._paces.get(key)
        return max(pace.next_free - self._now(), 0.0) if pace is not None else 0.0

    def soonest(self) -> float:
        """Seconds until the first waiting key may send again (0 when none waits)."""
        now = self._now()
        waits = [self._start_at(pace, now) - now for pace in list(self._paces.values())]
        return max(min((w for w in waits if w > 0), default=0.0), 0.0)

    def sent(self, key: str) -> None:
        pace = self._pace(key)
        now = self._now()
        pace.sent.append(now)
        while pace.sent and now - pace.sent[0] > 1.0:
            pace.sent.popleft()

    def limited(self, key: str, retry_after: float, slot: Slot | None = None) -> None:
        """A 429: learn the limit from what went through in the last second, and
        reserve nothing before ``retry_after`` has passed. A 429 to a send the window
        let through (``slot``) also means the platform counts otherwise than the
        window thought: :meth:`SendWindow.distrust`."""
        pace = self._pace(key)
        now = self._now()
        while pace.sent and now - pace.sent[0] > 1.0:
            pace.sent.popleft()
        observed = len(pace.sent)
        if slot is not None and slot.window is pace.window:
            slot.window.distrust(now)
        if observed >= 2 and pace.rate is None:
            # The first lesson: the burst that got through before the first 429.
            self._set_rate(pace, max(observed * self.headroom, MIN_RATE))
            pace.best = pace.rate
        elif observed >= 2 and pace.rate is not None and now - pace.counting_since >= 1.0:
            # A whole second of sends ended in a 429: that count is the limit enforced,
            # believed at most halfway down at once (one odd second is not a new limit).
            self._set_rate(pace, max(observed * self.headroom, pace.rate / 2, MIN_RATE))
        # Otherwise the count says nothing about a per-second limit (sends in flight
        # answered 429 just after another, the first second after a pause, a per-minute
        # limit): the Retry-After wait below is all there is to learn.
        pace.next_free = max(pace.next_free, now + retry_after)
        pace.quiet_since = now
        pace.counting_since = now + retry_after
        pace.sent.clear()
