"""Paced sends in windows (bot.core.ratelimit): at most the platform's count in any
second however late a request reaches it, in bursts, and the learned pace as a window."""

from __future__ import annotations

import asyncio
import bisect
import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from bot.core.ratelimit import RateLimiter, SendWindow


def most_in_any(times: list[float], span: float) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + span) - i for i, t in enumerate(times)),
               default=0)


async def fan_out(window: SendWindow, requests: list[tuple[float, float]],
                  concurrency: int) -> list[float]:
    """``concurrency`` senders, each taking the next slot; each request is counted by
    the platform ``before`` seconds after it left and answered ``after`` seconds later.
    Returns when the platform counted each. The clock is virtual."""
    clock = [1000.0]
    counted: list[float] = []
    pending = list(requests)
    wakeups: list[tuple[float, int, asyncio.Future[None]]] = []
    counter = iter(range(10**9))

    async def sleep_until(at: float) -> None:
        future = asyncio.get_running_loop().create_future()
        wakeups.append((at, next(counter), future))
        await future

    async def sleep(seconds: float) -> None:
        await sleep_until(clock[0] + seconds)

    async def sender() -> None:
        while pending:
            before, after = pending.pop(0)
            slot = await window.take(lambda: clock[0], sleep)
            counted.append(clock[0] + before)
            await sleep_until(clock[0] + before + after)
            window.answered(slot, clock[0])

    tasks = [asyncio.ensure_future(sender()) for _ in range(concurrency)]
    while not all(task.done() for task in tasks):
        for _ in range(8):  # every sender runs until it sleeps or waits for an answer
            await asyncio.sleep(0)
        if wakeups:
            wakeups.sort()
            at, _, future = wakeups.pop(0)
            clock[0] = max(clock[0], at)
            future.set_result(None)
    for task in tasks:
        task.result()
    assert len(counted) == len(requests)
    return counted


DELAYS = st.sampled_from([0.0, 0.001, 0.002, 0.05, 0.058, 0.3, 2.0])


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 60), concurrency=st.integers(1, 8),
       requests=st.lists(st.tuples(DELAYS, DELAYS), min_size=1, max_size=250))
def test_counted_from_answers_the_platform_never_sees_more_than_the_limit(limit, concurrency,
                                                                          requests):
    """Distrusted (after a 429): wherever between its start and its answer the platform
    counts each request, however late one reaches it (the 58 ms measured)."""
    window = SendWindow(limit, 1.0)
    window.trust_from = math.inf
    counted = asyncio.run(fan_out(window, requests, concurrency))
    assert most_in_any(counted, 1.0 - 1e-9) <= limit


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 60), concurrency=st.integers(1, 8),
       way_in=st.sampled_from([0.0, 0.001, 0.025, 0.05]),
       way_back=st.sampled_from([0.0, 0.001, 0.025, 0.05]),
       unstalled=st.integers(0, 19),
       stalls=st.lists(st.tuples(st.sampled_from([0.0, 0.0, 0.003, 0.058, 0.3]),
                                 st.floats(0.0, 0.004)), min_size=1, max_size=250))
def test_counted_from_answers_less_the_round_trip_the_platform_never_sees_more(
        limit, concurrency, way_in, way_back, unstalled, stalls):
    """Trusted: the platform counts each request at the same point of its round trip,
    any request may be stalled on its way there (0.3 s) but one of the first twenty
    answers came without a stall, and the way back varies by less than the margin: a
    send counted from its answer less the shortest round trip never crowds the
    platform's second."""
    window = SendWindow(limit, 1.0)
    if unstalled < len(stalls):
        stalls[unstalled] = (0.0, 0.0)
    requests = [(way_in + stall, way_back + back) for stall, back in stalls]
    counted = asyncio.run(fan_out(window, requests, concurrency))
    assert most_in_any(counted, 1.0 - 1e-9) <= limit


def test_trusted_a_second_takes_about_a_second_however_long_the_round_trip():
    """What counting less the round trip buys: 50 ms of latency costs nothing a
    second (counted from answers alone it costs 50 ms a second: 5 % of the rate)."""
    trusted, distrusted = SendWindow(50, 1.0), SendWindow(50, 1.0)
    distrusted.distrust(0.0)
    distrusted.trust_from = math.inf
    took = []
    for window in (trusted, distrusted):
        counted = sorted(asyncio.run(fan_out(window, [(0.05, 0.0)] * 500, 4)))
        took.append(counted[450] - counted[50])  # the ninth second to the first
    assert took[0] == pytest.approx(8 * 1.005) and took[1] == pytest.approx(8 * 1.05)


def test_spacing_by_start_times_is_what_a_late_request_breaks():
    """The reason answers are counted: a window on start times alone lets a request
    that reached the platform late share its second with the next window's."""
    starts = [0.0] * 50 + [1.0] * 50  # 50 a second by start time
    counted = [s + (0.058 if i == 49 else 0.0) for i, s in enumerate(starts)]
    assert most_in_any(counted, 1.0 - 1e-9) == 51


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at
        self.slept: list[float] = []

    def now(self) -> float:
        return self.at

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.at += seconds


def test_a_window_sends_in_bursts():
    """With room, the sends of a second leave at once; the next only a second after
    the first answer, so the process sleeps through the rest of the second."""
    clock, window = Clock(10.0), SendWindow(3, 1.0)

    async def second() -> None:
        slots = [await window.take(clock.now, clock.sleep) for _ in range(3)]
        clock.at += 0.02
        for slot in slots:
            window.answered(slot, clock.at)

    asyncio.run(second())
    assert clock.slept == [] and window.next_start(clock.at) == 11.02
    asyncio.run(second())
    assert clock.slept == [1.0] and window.next_start(clock.at) == 12.04


def test_a_send_after_one_still_on_its_way_waits_for_its_answer():
    """Where the platform counts a request still on its way is unknown until it
    answers: the send a window after it waits for that answer, then a second more."""
    clock, window = Clock(5.0), SendWindow(1, 1.0)
    first: list = []
    started: list[float] = []

    async def run() -> None:
        first.append(await window.take(clock.now, clock.sleep))
        second = asyncio.ensure_future(window.take(clock.now, clock.sleep))
        await clock.sleep(1.5)  # no answer yet
        await asyncio.sleep(0)
        assert not second.done()
        window.answered(first[0], clock.at)  # answered at 6.5
        started.append((await second).at)

    asyncio.run(run())
    assert started == [7.5]


def test_a_send_given_up_before_it_left_does_not_hold_up_the_next():
    clock, window = Clock(5.0), SendWindow(1, 1.0)

    async def run() -> float:
        window.answered(await window.take(clock.now, clock.sleep), clock.at)
        waiting = asyncio.ensure_future(window.take(clock.now, asyncio.sleep))
        await asyncio.sleep(0)
        waiting.cancel()  # e.g. the bot stopping
        await asyncio.gather(waiting, return_exceptions=True)
        clock.at = 7.0
        return (await asyncio.wait_for(window.take(clock.now, clock.sleep), 1)).at

    assert asyncio.run(run()) == 7.0  # the cancelled one counted when it gave up (5.0)


def limiter() -> tuple[RateLimiter, ManualClock]:
    clock = ManualClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return RateLimiter(clock, sleep), clock


def test_the_learned_pace_becomes_the_platforms_count_a_second():
    limiter_, clock = limiter()
    for _ in range(50):
        clock.advance(timedelta(milliseconds=15))
        limiter_.sent("W")
    limiter_.limited("W", 1.0)
    window = limiter_._pace("W").window
    assert window is not None and (window.limit, window.span) == (50, 1.0)


def test_a_slow_pace_sends_one_at_a_time():
    limiter_, _ = limiter()
    limiter_._set_rate(limiter_._pace("W"), 0.2)
    window = limiter_._pace("W").window
    assert window is not None and window.limit == 1
    assert abs(window.span - 0.97 / 0.2) < 1e-9


def test_a_full_window_is_not_claimed_from_until_it_has_room():
    """Rows claimed for a full window would hold send slots other workspaces could
    use: it is reported waiting, and when a drain loop should look again."""
    limiter_, clock = limiter()
    limiter_._set_rate(limiter_._pace("W"), 2 * 0.97)  # two a second

    async def two() -> None:
        for _ in range(2):
            limiter_.finished(await limiter_.acquire("W"))

    asyncio.run(two())
    assert limiter_.waiting(0.5) == ["W"]
    assert abs(limiter_.claimable_in(0.5) - (1.0 - 0.05)) < 1e-6
    clock.advance(timedelta(seconds=0.96))
    assert limiter_.waiting(0.5) == [] and limiter_.claimable_in(0.5) == 0.0


def test_a_429_in_a_window_counts_from_answers_alone_for_ten_minutes():
    limiter_, clock = limiter()
    for _ in range(50):
        clock.advance(timedelta(milliseconds=15))
        limiter_.sent("W")
    limiter_.limited("W", 1.0)  # the first lesson: now paced by a window
    limiter_.limited("W", 1.0)  # another send that left before the lesson: no matter
    window = limiter_._pace("W").window
    assert window is not None and window.trust_from <= clock.now().timestamp()
    slot = asyncio.run(limiter_.acquire("W"))
    limiter_.limited("W", 1.0, slot)  # a 429 although the window kept to the count
    assert window.trust_from == clock.now().timestamp() + 600


def test_the_pace_probes_back_up_to_the_most_ever_let_through_and_no_further():
    """A dip taught a lower limit: quiet minutes probe back toward the first lesson's
    count, never past it (each probe past it would only buy a 429 and a lost second)."""
    limiter_, clock = limiter()
    for _ in range(50):
        clock.advance(timedelta(milliseconds=15))
        limiter_.sent("W")
    limiter_.limited("W", 1.0)
    best = limiter_.rate("W")
    clock.advance(timedelta(seconds=2))
    for _ in range(30):  # a whole second of sends, and the platform says 429 at 30
        clock.advance(timedelta(milliseconds=30))
        limiter_.sent("W")
    limiter_.limited("W", 1.0)
    assert limiter_.rate("W") == pytest.approx(30 * 0.97)

    async def minutes(n: int) -> None:
        for _ in range(n):
            clock.advance(timedelta(seconds=61))
            limiter_.finished(await limiter_.acquire("W"))

    asyncio.run(minutes(40))
    assert limiter_.rate("W") == pytest.approx(best)
    window = limiter_._pace("W").window
    assert window is not None and window.limit == 50


def test_a_retry_after_learned_while_a_send_waits_for_its_slot_holds_it_too():
    """A send asleep until its window has room, when another send meets a 429 meanwhile,
    does not go out during the Retry-After (it would only draw a second 429)."""
    limiter_, clock = limiter()
    limiter_._set_rate(limiter_._pace("W"), 0.97)  # one a second

    async def run() -> float:
        limiter_.finished(await limiter_.acquire("W"))
        start = clock.now().timestamp()

        async def sleep(seconds: float) -> None:
            if clock.now().timestamp() == start:  # while it sleeps: a 429, 5 s
                limiter_.limited("W", 5.0)
            clock.advance(timedelta(seconds=seconds))

        limiter_.sleep = sleep
        await limiter_.acquire("W")
        return clock.now().timestamp() - start

    assert asyncio.run(run()) >= 5.0
