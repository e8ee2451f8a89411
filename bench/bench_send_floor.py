"""Benchmark: the least CPU a durable fan-out can spend per message on this machine.

    .venv/bin/python bench/bench_send_floor.py --platform slack --runs 5
    .venv/bin/python bench/bench_send_floor.py --platform discord --concurrency 16 --runs 5
    .venv/bin/python bench/bench_send_floor.py --platform slack --settle inline --sync NORMAL
    .venv/bin/python bench/bench_send_floor.py --wake-cost

Issue 14 asks for < 0.5 ms of bot CPU per delivered message through the real clients
(slack_sdk's AsyncWebClient, discord.py's HTTP client). This measures what is left
when everything of the bot's own is taken away but what the promises require: the same
prompt body (a real check-in prompt, rendered once), posted by the same client the
outbox uses, 50 a second in one-second bursts (the platform's limit, as the window in
bot.core.ratelimit sends them), ``--concurrency`` at a time, and every send claimed
and settled in a real SQLite file (the project's pragmas: WAL, ``synchronous=FULL``)
before and after it goes out: one unit of work per round of ``--concurrency`` sends,
settling the last round and claiming the next, committed before the next round
leaves. That keeps the kill -9 bound the docs promise (at most ``concurrency`` sends
repeated). ``--settle lane`` runs each unit on a :class:`bot.core.offload.Lane`
thread as the bot does (off the event loop); ``inline`` runs it on the loop's thread.
``--sync NORMAL`` commits without an fsync (a power cut could then repeat settled
sends). No rendering, no fair claims, no limiter, no metrics: whatever the real path
costs above this figure is the bot's own.

The fakes run in another process (bench/fake_platforms.py; Slack with no workspace
limit, so no 429 disturbs the figure; Discord with its own limits, which the bursts
keep to: each starts a second after the previous one's last answer). Reported: this
process's CPU per message (all threads) and its voluntary context switches per message
(each one a wake-up, which on this VM costs far more than the work it wakes for),
median [min-max] over ``--runs``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import sqlite_utils  # noqa: E402
from bench_fanout_http import (  # noqa: E402
    channel_of,
    messenger_for,
    run_line,
    start_fake,
    stats,
    summary,
    user_id,
)

from bot.checkins.messages import prompt_message  # noqa: E402
from bot.checkins.questions import DEFAULT_SET  # noqa: E402
from bot.core.offload import Lane  # noqa: E402
from bot.store.db import configure  # noqa: E402

PER_SECOND = 50


def switches() -> int:
    """Voluntary context switches of every thread of this process so far."""
    total = 0
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/status") as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches"):
                    total += int(line.split()[1])
    return total


class Table:
    """The outbox reduced to what a durable send needs: claimed, then settled."""

    def __init__(self, path: Path, sync: str, rows: int) -> None:
        self.db = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))
        configure(self.db)
        self.db.execute(f"PRAGMA synchronous = {sync}")
        self.db.execute("CREATE TABLE sends (id INTEGER PRIMARY KEY, status TEXT NOT NULL,"
                        " ref TEXT)")
        self.db.execute("CREATE INDEX sends_status ON sends (status, id)")
        with self.db.conn:
            self.db.conn.executemany("INSERT INTO sends (status) VALUES ('pending')",
                                     [()] * rows)

    def unit(self, settled: list[tuple[str, int]], claim: int) -> list[int]:
        """Settle the finished round, claim the next ``claim`` rows: one transaction,
        one commit."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE sends SET status = 'sent', ref = ? WHERE id = ?", settled)
        ids = [row[0] for row in conn.execute(
            "SELECT id FROM sends WHERE status = 'pending' ORDER BY id LIMIT ?",
            [claim])]
        conn.executemany("UPDATE sends SET status = 'sending' WHERE id = ?",
                         [(i,) for i in ids])
        conn.commit()
        return ids


async def sender(platform: str, port: int) -> tuple[Any, Any]:
    """``send(i) -> ref`` through the client the outbox uses, and what to close."""
    prompt = prompt_message(1, DEFAULT_SET, closes="18:00", note_command="/peer note")
    if platform == "slack":
        from adapters.slack.render import render

        messenger, _ = await messenger_for("slack", port, "")
        rendered = render(prompt)

        async def send_slack(i: int) -> str:
            resp = await messenger.client.api_call("chat.postMessage", json={
                "channel": channel_of("slack", user_id("slack", i)), "text": rendered.text,
                "blocks": rendered.blocks, "unfurl_links": False, "unfurl_media": False})
            return f"{resp['channel']}:{resp['ts']}"

        return send_slack, messenger.close
    from discord.http import MultipartParameters

    from adapters.discord.wire import body, mentions
    from tests.support.discord_fake.server import GUILD_ID

    _, client = await messenger_for("discord", port, GUILD_ID)
    payload = body(prompt, guild_id=GUILD_ID)
    assert payload is not None
    quiet = mentions(client.allowed_mentions, ())

    async def send_discord(i: int) -> str:
        channel = int(channel_of("discord", user_id("discord", i)))
        data = await client.http.send_message(channel, params=MultipartParameters(
            {**payload, "nonce": f"floor{i}", "enforce_nonce": True, "tts": False,
             "allowed_mentions": quiet}, None, None))
        return f"{channel}:{data['id']}"

    return send_discord, client.close


async def one_run(args: argparse.Namespace) -> dict[str, Any]:
    fake, port = start_fake(args.platform, args.latency, slack_rate=1_000_000)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            table = Table(Path(tmp) / "floor.sqlite", args.sync, args.messages)
            send, close = await sender(args.platform, port)
            lane = Lane("delivery") if args.settle == "lane" else None

            async def unit(settled: list[tuple[str, int]], claim: int) -> list[int]:
                if lane is None:
                    return table.unit(settled, claim)
                return await lane.run(table.unit, settled, claim)

            if args.platform == "discord":  # login's requests out of the first second:
                await asyncio.sleep(1.0)  # Discord's global limit counts them with sends

            async def one(row: int) -> tuple[str, int]:
                return await send(row - 1), row

            cpu0, switches0, sent, settled = time.process_time(), switches(), 0, []
            wall0 = time.perf_counter()
            while sent < args.messages:
                burst_end = min(sent + PER_SECOND, args.messages)
                while sent < burst_end:  # one burst: rounds back to back
                    ids = await unit(settled, min(args.concurrency, burst_end - sent))
                    settled = list(await asyncio.gather(*(one(i) for i in ids)))
                    sent += len(ids)
                if sent < args.messages:  # the next burst a second after its last answer
                    await asyncio.sleep(1.0)
            await unit(settled, 0)
            cpu = time.process_time() - cpu0
            wall = time.perf_counter() - wall0
            woke = switches() - switches0
            if lane is not None:
                lane.close()
            await close()
            left = table.db.execute("SELECT count(*) FROM sends WHERE status != 'sent'"
                                    ).fetchone()[0]
            table.db.close()
            seen = stats(port)
    finally:
        fake.terminate()
        fake.wait()
    channels = {channel_of(args.platform, user_id(args.platform, i))
                for i in range(args.messages)}
    accepted = seen["accepted"]
    return {"cpu_ms_per_msg": 1000 * cpu / sent, "switches_per_msg": woke / sent,
            "per_second": sent / wall, "unsettled": left,
            "exactly_once": set(accepted) == channels and set(accepted.values()) == {1},
            "limited": seen["limited"]}


async def wake_cost() -> None:
    """What one wake-up costs this process: CPU per ``asyncio.sleep(gap)``, nothing else
    done (on this VM a wake after 20 ms idle costs about as much as a whole HTTP send)."""
    for gap in (0.0, 0.001, 0.005, 0.02, 0.1):
        times = 100 if gap >= 0.02 else 1000
        cpu = time.process_time()
        for _ in range(times):
            await asyncio.sleep(gap)
        print(f"  sleep {gap * 1000:g} ms: {1e6 * (time.process_time() - cpu) / times:.0f} us"
              " of CPU per wake-up", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=["slack", "discord"], default="slack")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--settle", choices=["lane", "inline"], default="lane")
    parser.add_argument("--sync", choices=["FULL", "NORMAL"], default="FULL")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--wake-cost", action="store_true",
                        help="only measure what one wake-up of the event loop costs")
    args = parser.parse_args()
    if args.wake_cost:
        asyncio.run(wake_cost())
        return
    runs = []
    for n in range(args.runs):
        result = asyncio.run(one_run(args))
        runs.append(result)
        print(run_line(n, result), flush=True)
    print(f"{args.platform}, concurrency {args.concurrency}, settle {args.settle}, "
          f"synchronous={args.sync}, {args.messages} messages, {args.runs} runs:")
    print(f"  CPU per message: {summary([r['cpu_ms_per_msg'] for r in runs], '.3f')} ms")
    print(f"  voluntary context switches per message: "
          f"{summary([r['switches_per_msg'] for r in runs], '.2f')}")
    print(f"  messages per second: {summary([r['per_second'] for r in runs], '.1f')}")
    print(f"  every message exactly once: {sum(r['exactly_once'] for r in runs)} of"
          f" {args.runs} runs; left unsettled {sum(r['unsettled'] for r in runs)};"
          f" 429s {sum(r['limited'] for r in runs)}")


if __name__ == "__main__":
    main()
