"""Benchmark: a check-in fan-out to N members through a rate-limited fake platform.

Run from the repository root:

    .venv/bin/python bench/bench_fanout.py --members 5000 --rate 50

The fake platform allows ``--rate`` messages in any sliding one-second window and
answers the rest with 429 and an integer Retry-After (as Slack does). The bot's real
path is used end to end: the check-in job's tick opens the group's prompts with their
outbox rows in one unit of work, and the Deliverer drains the outbox on a real SQLite file
(WAL, synchronous=FULL). Reported: exactly-once check, achieved throughput against the
allowed rate, the bot's CPU time per message (time.process_time, which includes the
fake platform's own small share), the time to open the round, and the cost of the
minute job's tick afterwards (a full one, and a quiet one when nothing was written).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from collections import Counter, deque
from datetime import UTC, datetime
from pathlib import Path

from bot.checkins.jobs import Ticker, tick
from bot.core.clock import SystemClock
from bot.core.config import parse_config
from bot.core.context import AppContext
from bot.core.delivery import Deliverer
from bot.core.ports import RateLimited
from bot.runtime import build_context
from bot.store.db import open_database

WS = "bench"


class RateLimitedPlatform:
    """Accepts ``rate`` sends per sliding second; over the limit raises RateLimited."""

    def __init__(self, rate: int, granularity: float) -> None:
        self.rate = rate
        self.granularity = granularity
        self.window: deque[float] = deque()
        self.delivered: Counter[str] = Counter()
        self.rejected = 0
        self.first: float | None = None
        self.last = 0.0

    async def send(self, workspace_id, target, message):
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= self.rate:
            self.rejected += 1
            wait = 1.0 - (now - self.window[0])
            raise RateLimited(math.ceil(wait / self.granularity) * self.granularity)
        self.window.append(now)
        self.first = self.first if self.first is not None else now
        self.last = now
        self.delivered[target.user_id] += 1
        return f"m{sum(self.delivered.values())}"


def build(db_path: Path, members: int, concurrency: int) -> AppContext:
    clock = SystemClock()
    now = clock.now()
    prompt_at = now.replace(second=0, microsecond=0)
    settings = parse_config({
        "bot": {"database": str(db_path)},
        "delivery": {"concurrency": concurrency},
        "groups": [{"name": "Everyone", "checkins": {
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "time": prompt_at.strftime("%H:%M"), "reminder_after_hours": 0}}],
    })
    db = open_database(db_path)
    ctx = build_context(settings, db, clock)
    ctx.members.ensure_workspace(WS, "bench")
    group = ctx.members.ensure_group(WS, "Everyone")
    joined = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    with db.atomic():
        for i in range(members):
            user = f"U{i:05d}"
            db.execute("INSERT INTO members (workspace_id, user_id, display_name, consent_at,"
                       " created_at) VALUES (?, ?, '', ?, ?)", [WS, user, joined, joined])
            db.execute("INSERT INTO memberships (workspace_id, group_id, user_id, joined_at)"
                       " VALUES (?, ?, ?, ?)", [WS, group.id, user, joined])
    db.commit()
    return ctx


async def run(members: int, rate: int, concurrency: int, granularity: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build(Path(tmp) / "bench.sqlite", members, concurrency)
        t0 = time.perf_counter()
        opened = tick(ctx).opened
        open_seconds = time.perf_counter() - t0
        platform = RateLimitedPlatform(rate, granularity)
        deliverer = Deliverer(ctx.outbox, ctx.members, platform, ctx.clock,
                              concurrency=concurrency)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        stats = await deliverer.drain_until_idle(max_wait=3600)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        ticker = Ticker()  # what the minute job runs: it remembers when work is next due
        t1 = time.perf_counter()
        again = ticker(ctx).opened  # a second tick (a restart) must open nothing
        full_tick = time.perf_counter() - t1  # nothing remembered yet: a full tick
        t2 = time.perf_counter()
        ticker(ctx)  # nothing written since: the quiet path
        quiet_tick = time.perf_counter() - t2
        sent = sum(platform.delivered.values())
        span = max(platform.last - (platform.first or 0), 1e-9)
        throughput = (sent - 1) / span if sent > 1 else 0.0
        return {
            "members": members,
            "opened": opened,
            "reopened_on_second_tick": again,
            "delivered": sent,
            "exactly_once": len(platform.delivered) == members
            and set(platform.delivered.values()) == {1},
            "rejected_429": platform.rejected,
            "rate_limited_stats": stats.rate_limited,
            "wall_seconds": round(wall, 2),
            "throughput_per_s": round(throughput, 2),
            "ratio_of_allowed": round(throughput / rate, 3),
            "cpu_ms_per_message": round(1000 * cpu / max(sent, 1), 3),
            "open_round_seconds": round(open_seconds, 2),
            "full_tick_ms_nothing_due": round(1000 * full_tick, 1),
            "quiet_tick_ms": round(1000 * quiet_tick, 3),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=50, help="allowed messages per second")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--retry-granularity", type=float, default=1.0,
                        help="Retry-After is rounded up to this many seconds (Slack: 1)")
    args = parser.parse_args()
    result = asyncio.run(run(args.members, args.rate, args.concurrency, args.retry_granularity))
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
