"""Paced sends in windows (bot.core.ratelimit): at most the platform's count in any
second however late a request reaches it, in bursts, and the learned pace as a window."""

from __future__ import annotations

import asyncio
import bisect
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from bot.core.ratelimit import RateLimiter, SendWindow


def most_in_any(times: list[float], span: float) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + span) - i for i, t in enumerate(times)),
               default=0)


class Platform:
    """Counts each request at some moment between its start and its answer (``where``:
    0 at the start, 1 at the answer): where a real platform counts is unknown."""

    def __init__(self) -> None:
        self.counted: list[float] = []


async def fan_out(window: SendWindow, clock: list[float], durations: list[float],
                  wheres: list[float], concurrency: int, platform: Platform) -> None:
    """``concurrency`` senders, each taking the next slot, then its request lasts its
    duration; the clock is virtual (a heap of wake-up times)."""
    pending = list(zip(durations, wheres, strict=True))
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
            duration, where = pending.pop(0)
            slot = await window.take(lambda: clock[0], sleep)
            start = clock[0]
            await sleep_until(start + duration)
            platform.counted.append(start + where * duration)
            SendWindow.answered(slot, clock[0])

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


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 60), concurrency=st.integers(1, 8),
       requests=st.lists(st.tuples(st.sampled_from([0.0, 0.001, 0.002, 0.05, 0.06, 0.3, 2.0]),
                                   st.floats(0.0, 1.0)), min_size=1, max_size=250))
def test_the_platform_never_counts_more_than_the_limit_in_any_second(limit, concurrency,
                                                                     requests):
    """However long each request takes and wherever between its start and its answer
    the platform counts it (a request that reaches it late: the 58 ms measured)."""
    platform = Platform()
    window = SendWindow(limit, 1.0)
    asyncio.run(fan_out(window, [1000.0], [d for d, _ in requests],
                        [w for _, w in requests], concurrency, platform))
    assert len(platform.counted) == len(requests)
    assert most_in_any(platform.counted, 1.0 - 1e-9) <= limit


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
            SendWindow.answered(slot, clock.at)

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
        SendWindow.answered(first[0], clock.at)  # answered at 6.5
        started.append((await second).at)

    asyncio.run(run())
    assert started == [7.5]


def test_a_send_given_up_before_it_left_does_not_hold_up_the_next():
    clock, window = Clock(5.0), SendWindow(1, 1.0)

    async def run() -> float:
        SendWindow.answered(await window.take(clock.now, clock.sleep), clock.at)
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
