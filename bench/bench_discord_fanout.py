"""Benchmark: a DM fan-out to N members through the real Discord path, rate limited.

Run from the repository root:

    .venv/bin/python bench/bench_discord_fanout.py --members 1000 --rate 50

N outbox rows (one check-in-style DM each, with buttons) are drained by the real
Deliverer through the DiscordMessenger and discord.py's HTTP client, against the fake
Discord API on loopback (tests/support/discord_fake), which enforces a global limit of
``--rate`` requests per sliding second (Discord's is 50) and answers the excess with a
global 429 and ``retry_after``, as Discord does. Each first DM costs two requests
(open the DM channel, post), so the ceiling is rate/2 messages per second. Reported:
exactly-once check, throughput against that ceiling, 429s seen, CPU time per message
(time.process_time, which includes the fake's share).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import discord.http  # noqa: E402

from adapters.discord import build_discord  # noqa: E402
from adapters.discord.messenger import Pacer  # noqa: E402
from bot.core.clock import SystemClock  # noqa: E402
from bot.core.config import parse_config  # noqa: E402
from bot.core.delivery import Deliverer  # noqa: E402
from bot.core.model import Button, Buttons, Header, Section, Target, message  # noqa: E402
from bot.runtime import build_context  # noqa: E402
from bot.store.db import open_database  # noqa: E402
from tests.support.discord_fake.harness import SpyHost  # noqa: E402
from tests.support.discord_fake.server import GUILD_ID, TOKEN, FakeDiscord  # noqa: E402

PROMPT = message(
    Header("Check-in"), Section("How are you today?"),
    Buttons(tuple(Button(f"{i} · x", f"checkin.answer|1:mood:{i}") for i in range(1, 6))),
    fallback="Time for your check-in",
)


async def run(members: int, rate: int, pace: int) -> None:
    fake = FakeDiscord(global_rate=rate)
    discord.http.Route.BASE = await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_config({"bot": {"database": str(Path(tmp) / "b.sqlite")},
                                 "discord": {"guild_ids": [int(GUILD_ID)]}})
        db = open_database(settings.bot.database)
        ctx = build_context(settings, db, SystemClock(), "discord")
        ctx.members.ensure_workspace(GUILD_ID, "discord")
        with db.atomic():
            for i in range(members):
                ctx.outbox.enqueue(GUILD_ID, "bench", Target(user_id=str(10_000 + i)), PROMPT)
        adapter = build_discord(SpyHost(settings), sync=False)
        if pace > 0:
            adapter.messenger.pacer = Pacer(per_second=pace)
        else:  # unpaced: only discord.py's own bucket handling, for comparison
            adapter.messenger.pacer = Pacer(per_second=10**9)
        await adapter.client.login(TOKEN)
        deliverer = Deliverer(ctx.outbox, ctx.members, adapter.messenger, ctx.clock,
                              concurrency=settings.delivery.concurrency)
        cpu0, t0 = time.process_time(), time.perf_counter()
        await deliverer.drain_until_idle()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        await adapter.client.close()
        posts = Counter(r.path for r in fake.requests
                        if r.method == "POST" and r.path.endswith("/messages")
                        and r.status == 200)
        counts = ctx.outbox.status_counts(GUILD_ID)
        db.close()
    await fake.stop()
    once = len(posts) == members and set(posts.values()) == {1}
    ceiling = rate / 2
    print(f"members={members} global_rate={rate}/s pace={pace or 'none'} "
          f"concurrency={settings.delivery.concurrency}")
    print(f"outbox: {counts}; every member exactly once: {once}")
    print(f"wall {wall:.1f}s, {members / wall:.1f} msg/s (ceiling {ceiling:.0f} msg/s: "
          f"{100 * members / wall / ceiling:.0f}%), global 429s: {fake.global_429s}")
    print(f"CPU {1000 * cpu / members:.2f} ms per message (bot + fake)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--pace", type=int, default=49,
                        help="our own requests in any second (0 = unpaced, for comparison)")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.rate, args.pace))


if __name__ == "__main__":
    main()
