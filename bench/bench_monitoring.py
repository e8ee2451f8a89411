"""How long a Prometheus scrape and a readiness check take on a large database.

Run from the repository root:

    .venv/bin/python bench/bench_monitoring.py --rows 200000 --runs 9

Fills the outbox with ``--rows`` messages (90% sent, the rest pending, undeliverable
and failed), then times ``/metrics`` and ``/readyz`` over HTTP against the real
monitor (its own connections, on worker threads). Reports median, minimum and maximum
in milliseconds. Both read the outbox with aggregate queries; the scrape interval of a
typical Prometheus is 15-60 s, so either should stay far below a second.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bot.core.clock import SystemClock
from bot.core.config import parse_config
from bot.monitoring import Monitor
from bot.runtime import build_context
from bot.store.db import open_database


def fill(db, rows: int) -> None:
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('T', 'slack', 'x')")
    states = ["sent"] * 18 + ["pending", "undeliverable"]
    db.conn.executemany(
        "INSERT INTO outbox (workspace_id, round_key, target_key, user_id, target, payload,"
        " status, not_before, created_at) VALUES ('T', ?, ?, ?, '{}', '{}', ?, ?, 'x')",
        [(f"r{i // 1000}", f"user:U{i}", f"U{i}", states[i % len(states)],
          "2999-01-01T00:00:00+00:00") for i in range(rows)])
    db.conn.commit()


async def time_path(port: int, path: str, runs: int) -> list[float]:
    times = []
    async with aiohttp.ClientSession() as session:
        for _ in range(runs):
            start = time.perf_counter()
            async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                await response.read()
            times.append((time.perf_counter() - start) * 1000)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_config({"bot": {"database": f"{tmp}/bench.sqlite"},
                                 "monitoring": {"enabled": "on"}})
        db = open_database(settings.bot.database)
        fill(db, args.rows)
        ctx = build_context(settings, db, SystemClock(), "slack")
        monitor = Monitor(ctx)
        port = await monitor.start("127.0.0.1", 0)
        try:
            for path in ("/metrics", "/readyz"):
                times = await time_path(port, path, args.runs)
                print(f"{path}: {args.rows} outbox rows, median {statistics.median(times):.1f} ms"
                      f" (min {min(times):.1f}, max {max(times):.1f}, {args.runs} runs)")
        finally:
            await monitor.stop()
            db.close()


if __name__ == "__main__":
    asyncio.run(main())
