"""Paced sends in bursts (bot.core.ratelimit): sent together on a tick grid, never more
than ``rate + 1`` started in any second however the claims arrive, and the pace over
time is still the rate."""

from __future__ import annotations

import asyncio
import bisect
import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from bot.core.ratelimit import RateLimiter, on_tick


def limiter_at(rate: float, burst: int) -> tuple[RateLimiter, ManualClock]:
    clock = ManualClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    limiter = RateLimiter(clock, sleep, burst=burst)
    limiter._pace("W").rate = rate  # as learned from a 429
    return limiter, clock


def send_times(limiter: RateLimiter, clock: ManualClock, gaps: list[float]) -> list[float]:
    """One claim after another, each ``gap`` seconds after the previous send left."""
    times: list[float] = []

    async def run() -> None:
        for gap in gaps:
            clock.advance(timedelta(seconds=gap))
            await limiter.acquire("W")
            times.append(clock.now().timestamp())

    asyncio.run(run())
    return times


def most_in_any(times: list[float], span: float) -> int:
    return max(bisect.bisect_left(times, t + span) - i for i, t in enumerate(times))


@settings(max_examples=80, deadline=None)
@given(rate=st.floats(min_value=2.0, max_value=60.0), burst=st.integers(1, 4),
       gaps=st.lists(st.sampled_from([0.0, 0.0, 0.001, 0.01, 0.03, 0.08, 0.3, 1.5]),
                     min_size=20, max_size=300))
def test_never_more_than_the_rate_in_any_second_however_claims_arrive(rate, burst, gaps):
    limiter, clock = limiter_at(rate, burst)
    times = send_times(limiter, clock, gaps)
    assert most_in_any(times, 1.0) <= int(rate) + 1


def test_the_grid_puts_about_burst_sends_on_each_tick():
    """48.5 a second in twos: 25 ticks a second; the slots reserved within one tick (a
    1/25 s span) leave together on its end, never more than two of them."""
    rate, slots = 48.5, [n / 48.5 for n in range(970)]
    sent = Counter(round(on_tick(1000.0 + s, rate, 2), 6) for s in slots)
    assert max(sent.values()) == 2 and len(sent) <= 20 * 25 + 2  # 20 s of ticks
    assert all(abs(t * 25 - round(t * 25)) < 1e-3 for t in sent)


def test_a_burst_woken_late_does_not_crowd_the_next_second():
    """The grid alone allows rate + 1 in a second only if each burst leaves on its tick;
    a burst woken late would crowd the next. The count of sends actually started holds."""
    limiter, clock = limiter_at(48.5, 2)
    late = iter([0.0] * 30 + [0.035] + [0.0] * 300)  # one burst woken 35 ms late

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds + next(late)))

    limiter.sleep = sleep
    times = send_times(limiter, clock, [0.0] * 300)
    assert most_in_any(times, 1.0) <= 49


def test_unpaced_and_single_sends_are_unchanged():
    assert on_tick(10.0, 48.0, 2) == 10.0
    assert on_tick(10.001, 48.0, 2) == 10.0 + 1 / 24
    limiter, clock = limiter_at(10.0, 1)
    times = send_times(limiter, clock, [0.0] * 5)
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [0.1] * 4
