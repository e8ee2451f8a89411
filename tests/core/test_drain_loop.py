"""The one drain loop: at most ``concurrency`` sends in flight however often it is woken,
a slow send holds up no other, waits are on the injected clock, and the pace is learned."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Section, Target, message
from bot.core.ports import RateLimited
from bot.core.ratelimit import RateLimiter


class CountingPlatform:
    """Records sends and the most in flight at once; ``hold`` keeps one user's send open."""

    def __init__(self, hold: str | None = None, delay: float = 0.005) -> None:
        self.hold = hold
        self.delay = delay
        self.release = asyncio.Event()
        self.sent: list[str] = []
        self.now = 0
        self.peak = 0

    async def send(self, workspace_id, target, msg) -> str:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            if target.user_id == self.hold:
                await self.release.wait()
            await asyncio.sleep(self.delay)
        finally:
            self.now -= 1
        self.sent.append(target.user_id)
        return f"ref-{len(self.sent)}"


def fill(ctx, count: int, workspace: str = "W") -> None:
    ctx.members.ensure_workspace(workspace, "console")
    with ctx.db.atomic():
        for n in range(count):
            ctx.outbox.enqueue(workspace, "r", Target(user_id=f"U{n:03d}"),
                               message(Section("hi")))


async def wait_until(predicate, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not predicate():
            await asyncio.sleep(0.005)


async def test_woken_from_everywhere_it_never_exceeds_concurrency(assembly):
    ctx = assembly.ctx
    fill(ctx, 60)
    platform = CountingPlatform()
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, ctx.clock, concurrency=4)
    loop = asyncio.get_running_loop().create_task(deliverer.run(poll_seconds=0.01))

    async def storm() -> None:  # jobs finishing, commands committing: all wake the loop
        for _ in range(200):
            deliverer.wake()
            await asyncio.sleep(0)

    await asyncio.gather(storm(), storm(), wait_until(lambda: len(platform.sent) == 60))
    with pytest.raises(RuntimeError, match="already has its drain loop"):
        await deliverer.run()
    deliverer.stop()
    await loop
    assert sorted(platform.sent) == [f"U{n:03d}" for n in range(60)]
    assert platform.peak == 4 and deliverer.peak_in_flight == 4
    assert ctx.outbox.status_counts("W") == {"sent": 60}


async def test_a_slow_send_holds_up_no_other(assembly):
    ctx = assembly.ctx
    fill(ctx, 30)
    platform = CountingPlatform(hold="U000")
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, ctx.clock, concurrency=3)
    loop = asyncio.get_running_loop().create_task(deliverer.run(poll_seconds=0.01))
    await wait_until(lambda: len(platform.sent) == 29)  # everything but the stuck one
    assert "U000" not in platform.sent
    platform.release.set()
    await wait_until(lambda: len(platform.sent) == 30)
    deliverer.stop()
    await loop
    assert ctx.outbox.status_counts("W") == {"sent": 30}


async def test_stop_lets_the_sends_in_flight_settle_and_claims_nothing_more(assembly):
    ctx = assembly.ctx
    fill(ctx, 10)
    platform = CountingPlatform(hold="U000", delay=0)
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, ctx.clock, concurrency=1)
    loop = asyncio.get_running_loop().create_task(deliverer.run(poll_seconds=0.01))
    await wait_until(lambda: platform.now == 1)
    deliverer.stop()
    platform.release.set()
    await loop
    assert platform.sent == ["U000"]
    assert ctx.outbox.status_counts("W") == {"sent": 1, "pending": 9}


class LimitedOnce:
    def __init__(self, clock) -> None:
        self.clock = clock
        self.calls: list[tuple[str, object]] = []

    async def send(self, workspace_id, target, msg) -> str:
        self.calls.append((target.user_id, self.clock.now()))
        if len(self.calls) == 1:
            raise RateLimited(30)
        return "ref"


async def test_the_rate_limit_pause_is_on_the_injected_clock(assembly, clock):
    ctx = assembly.ctx
    fill(ctx, 3)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # no real time passes at all
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    platform = LimitedOnce(clock)
    start = clock.now()
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, clock, concurrency=1, sleep=sleep)
    stats = await asyncio.wait_for(deliverer.drain_until_idle(max_wait=120), 5)
    assert stats.sent == 3 and stats.rate_limited == 1
    after = [at for _, at in platform.calls[1:]]
    assert all(at >= start + timedelta(seconds=30) for at in after)
    assert sum(slept) >= 30


def test_the_limiter_learns_the_enforced_rate_and_paces_below_it(clock):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    limiter = RateLimiter(clock, sleep)
    assert limiter.rate("W") is None  # unpaced until the platform says otherwise
    for _ in range(50):
        clock.advance(timedelta(milliseconds=15))
        limiter.sent("W")
    limiter.limited("W", 1.0)
    assert limiter.rate("W") == pytest.approx(50 * 0.97)
    start = clock.now()

    starts: list[float] = []

    async def burst() -> None:
        for _ in range(120):
            slot = await limiter.acquire("W")
            starts.append((clock.now() - start).total_seconds())
            clock.advance(timedelta(milliseconds=2))  # the answer
            limiter.finished(slot)

    asyncio.run(burst())
    # The Retry-After, then 50 a second (the count the platform enforced), each second's
    # sends back to back, the next second counted from the first answer of the last.
    assert starts[0] == pytest.approx(1.0)
    assert starts[50] == pytest.approx(2.002) and starts[100] == pytest.approx(3.004)
    assert all(sum(a <= b < a + 1.0 for b in starts) <= 50 for a in starts)
    assert limiter.rate("X") is None  # one workspace's limit is not another's


def test_too_few_sends_teach_no_rate_only_the_wait(clock):
    limiter = RateLimiter(clock)
    limiter.sent("W")
    limiter.limited("W", 20.0)
    assert limiter.rate("W") is None


class OneWorkspaceLimited:
    """W1 answers its first send with a 30 s Retry-After; W2 is never limited."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.sent: list[tuple[str, object]] = []
        self.limited = False

    async def send(self, workspace_id, target, msg) -> str:
        if workspace_id == "W1" and not self.limited:
            self.limited = True
            raise RateLimited(30)
        self.sent.append((workspace_id, self.clock.now()))
        return "ref"


async def test_a_limited_workspace_holds_no_slot_another_could_use(assembly, clock):
    ctx = assembly.ctx
    fill(ctx, 10, "W1")
    fill(ctx, 10, "W2")

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)

    platform = OneWorkspaceLimited(clock)
    start = clock.now()
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, clock, concurrency=2, sleep=sleep)
    await asyncio.wait_for(deliverer.drain_until_idle(max_wait=600), 10)
    w2 = [at for ws, at in platform.sent if ws == "W2"]
    w1 = [at for ws, at in platform.sent if ws == "W1"]
    assert len(w2) == 10 and len(w1) == 10
    assert max(w2) < start + timedelta(seconds=30)  # W2 never waited for W1's limit
    assert min(w1) >= start + timedelta(seconds=30)  # W1 honoured its Retry-After


def test_429s_right_after_a_pause_teach_nothing(clock):
    """Sends in flight that also answer 429, or the first second after a pause, hold too
    few sends to measure: the pace learned from a full second stays."""
    limiter = RateLimiter(clock)
    for _ in range(50):
        clock.advance(timedelta(milliseconds=20))
        limiter.sent("W")
    limiter.limited("W", 1.0)
    learned = limiter.rate("W")
    for _ in range(3):  # two sends got through after the pause, then another 429
        clock.advance(timedelta(milliseconds=400))
        limiter.sent("W")
        limiter.sent("W")
        limiter.limited("W", 1.0)
    assert limiter.rate("W") == learned == pytest.approx(50 * 0.97)
