"""A storm of 429s (and some 5xx) while a big fan-out drains: nothing dropped, none twice.

The fake platform answers most calls with "rate limited, retry after N s" (seeded
random), some with a transient server error. Time is a manual clock that the
deliverer's sleep advances, so hours of back-off run in a second.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import timedelta

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Message, Target
from bot.core.ports import RateLimited, TransientDeliveryError

WORKSPACES = ("W1", "W2")
PER_WORKSPACE = 150


class StormyPlatform:
    def __init__(self, seed: int, limited: float, flaky: float) -> None:
        self.rng = random.Random(seed)
        self.limited = limited
        self.flaky = flaky
        self.delivered: Counter = Counter()
        self.calls = 0

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self.calls += 1
        roll = self.rng.random()
        if roll < self.limited:
            raise RateLimited(retry_after=self.rng.choice([0.5, 1, 3, 30]))
        if roll < self.limited + self.flaky:
            raise TransientDeliveryError("502 bad gateway")
        self.delivered[(workspace_id, target.user_id)] += 1
        return f"ts-{self.calls}"


@pytest.mark.parametrize(("seed", "limited", "flaky"), [(1, 0.8, 0.0), (2, 0.6, 0.05),
                                                         (3, 0.9, 0.02)])
async def test_storm_drops_nothing(assembly, clock, seed, limited, flaky):
    ctx = assembly.ctx
    with ctx.db.atomic():
        for ws in WORKSPACES:
            ctx.members.db.execute(
                "INSERT OR IGNORE INTO workspaces (id, platform, created_at) VALUES (?, 'x', 'n')",
                [ws])
            for n in range(PER_WORKSPACE):
                ctx.outbox.enqueue(ws, "round-1", Target(user_id=f"U{n}"),
                                   Message(fallback="prompt"))

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)

    platform = StormyPlatform(seed, limited, flaky)
    start = clock.now()
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, clock, max_attempts=8,
                          concurrency=4, sleep=sleep, rng=random.Random(seed))
    # max_wait is on the injected clock now (it was the loop's): hours of back-off.
    stats = await deliverer.drain_until_idle(max_wait=86_400)
    expected = {(ws, f"U{n}") for ws in WORKSPACES for n in range(PER_WORKSPACE)}
    assert set(platform.delivered) == expected
    assert max(platform.delivered.values()) == 1
    assert ctx.outbox.status_counts() == {"sent": len(expected)}
    assert stats.failed == 0 and stats.rate_limited > len(expected)
    print(f"seed {seed}: {len(expected)} messages, {platform.calls} calls, "
          f"{stats.rate_limited} x 429, {stats.retried} x 5xx retried, "
          f"{(clock.now() - start).total_seconds():.0f} s of platform back-off")
