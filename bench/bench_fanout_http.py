"""Benchmark: a check-in round fanned out through the real Messenger over HTTP.

    .venv/bin/python bench/bench_fanout_http.py --platform slack --latency 0 --runs 5
    .venv/bin/python bench/bench_fanout_http.py --platform discord --latency 0.05 --runs 5

Each run: 5,000 consenting members in one group, due now, each with a DM channel known
from an earlier round (the outbox's sent rows, as after any restart). The check-in
tick opens the round (prompts and outbox rows, in steps); the production delivery path
(`bot.runtime.deliverer_for` on its own lane and connection, the one drain loop, the
learned pace) sends it through the real Messenger: slack_sdk's AsyncWebClient or
discord.py's HTTP client, to `bench/fake_platforms.py` running in another process
with the platform's limits (see that file) and ``--latency`` on every answer.

Reported per run and as median [min-max] over the runs: every member exactly once,
throughput against the allowed rate (Slack: the workspace limit, 50/s; Discord: the
global 50 requests/s, one request per prompt), 429s drawn, and this process's CPU time
(all threads: opening the round included) per message.

Throughput against the allowed rate is the shortest time the platform's limit allows
for the sends accepted (50 in any sliding second: the (50k + 1)-th send can come k
seconds after the first at the earliest) over the time they took, first accepted send
to last. ``rate`` is the plain sends per second over the same span, ``(sent - 1) /
span``: for evenly spaced sends the two differ by about 1 %; for sends in bursts of a
second, the plain rate overstates by up to a whole second per run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bot.checkins.jobs import tick  # noqa: E402
from bot.core.clock import ManualClock, SystemClock  # noqa: E402
from bot.core.config import parse_config  # noqa: E402
from bot.core.metrics import MeasuredMessenger  # noqa: E402
from bot.core.model import Message, Target  # noqa: E402
from bot.core.offload import Lane  # noqa: E402
from bot.core.outbox import Outbox  # noqa: E402
from bot.runtime import build_context, deliverer_for  # noqa: E402
from bot.store.db import open_database  # noqa: E402

ALLOWED = 50  # messages per second: Slack's workspace figure here, Discord's global


def start_fake(platform: str, latency: float,
               slack_rate: int | None = None) -> tuple[subprocess.Popen, int]:
    """The fake in its own process; ``slack_rate`` other than Slack's 50 a second."""
    rate = ["--slack-rate", str(slack_rate)] if slack_rate else []
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_platforms.py"), platform,
         "--latency", str(latency), *rate], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    return proc, int(line[1])


async def wait_listening(session, url: str, tries: int = 300) -> None:
    """Until the bot process started by an ack benchmark answers HTTP (0.1 s apart)."""
    import aiohttp

    for _ in range(tries):
        try:
            async with session.get(url):
                return
        except aiohttp.ClientError:
            await asyncio.sleep(0.1)


def stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats") as resp:
        return json.load(resp)


def unsettled(db) -> bool:
    """Whether a row is still pending or being sent: one probe of the outbox's status
    index (counting every row twice a second cost the bot ~0.05 ms per message)."""
    return db.execute("SELECT 1 FROM outbox WHERE status IN ('pending', 'sending')"
                      " LIMIT 1").fetchone() is not None


def user_id(platform: str, n: int) -> str:
    return str(300_000_000_000_000_000 + n) if platform == "discord" else f"U{n:06d}"


def channel_of(platform: str, user: str) -> str:
    return "5" + user[1:] if platform == "discord" else "D" + user  # the fakes' DM ids


def build(db_path: Path, platform: str, workspace: str, members: int):
    clock = SystemClock()
    prompt_at = clock.now().replace(second=0, microsecond=0)
    settings = parse_config({
        "bot": {"database": str(db_path)},
        "groups": [{"name": "Everyone", "checkins": {
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "time": prompt_at.strftime("%H:%M"), "reminder_after_hours": 0}}],
    })
    db = open_database(db_path)
    ctx = build_context(settings, db, clock, platform)
    ctx.members.ensure_workspace(workspace, platform)
    group = ctx.members.ensure_group(workspace, "Everyone")
    joined = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    earlier = Outbox(db, ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    with db.atomic():
        for i in range(members):
            user = user_id(platform, i)
            db.execute("INSERT INTO members (workspace_id, user_id, display_name, consent_at,"
                       " created_at) VALUES (?, ?, '', ?, ?)", [workspace, user, joined, joined])
            db.execute("INSERT INTO memberships (workspace_id, group_id, user_id, joined_at)"
                       " VALUES (?, ?, ?, ?)", [workspace, group.id, user, joined])
            earlier.enqueue(workspace, "earlier", Target(user_id=user), Message(fallback="hi"))
        db.execute("UPDATE outbox SET status = 'sent', platform_ref = (CASE WHEN ? ="
                   " 'discord' THEN '5' || substr(user_id, 2) ELSE 'D' || user_id END)"
                   " || ':1' WHERE round_key = 'earlier'", [platform])
    db.commit()
    return ctx


async def messenger_for(platform: str, port: int, workspace: str):
    if platform == "slack":
        from adapters.slack.messenger import (
            SlackMessenger,
            build_outbox_client,
            outbox_session,
        )

        # the outbox's client exactly as the Slack adapter builds it in production
        client = build_outbox_client("xoxb-bench", f"http://127.0.0.1:{port}/api/",
                                     outbox_session())
        return SlackMessenger(client), None
    import discord.http

    from adapters.discord import build_discord
    from tests.support.discord_fake.harness import SpyHost
    from tests.support.discord_fake.server import TOKEN

    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    settings = parse_config({"discord": {"guild_ids": [int(workspace)]}})
    adapter = build_discord(SpyHost(settings), sync=False)
    await adapter.client.login(TOKEN)
    adapter.messenger.ready.set()
    return adapter.messenger, adapter.client


async def one_run(platform: str, latency: float, members: int) -> dict:
    from tests.support.discord_fake.server import GUILD_ID
    from tests.support.slack_fake.api import TEAM_ID

    workspace = GUILD_ID if platform == "discord" else TEAM_ID
    fake, port = start_fake(platform, latency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.sqlite"
            ctx = build(db_path, platform, workspace, members)
            messenger, client = await messenger_for(platform, port, workspace)
            cpu0 = time.process_time()
            opened = tick(ctx).opened
            open_cpu = time.process_time() - cpu0
            lane_ctx = build_context(ctx.settings, open_database(db_path, migrate=False),
                                     ctx.clock, platform)
            lane = Lane("delivery")
            # as bot.runtime.serve wires it: the metrics wrapper times every send
            deliverer = deliverer_for(lane_ctx, MeasuredMessenger(messenger, ctx.metrics),
                                      lane=lane)
            await deliverer.recover_in_flight()  # hands over the known DM channels
            drain = asyncio.get_running_loop().create_task(deliverer.run(poll_seconds=0.2))
            wall0 = time.perf_counter()
            while await lane.run(unsettled, lane_ctx.db):  # the benchmark's own look
                await asyncio.sleep(0.5)
            wall = time.perf_counter() - wall0
            deliverer.stop()
            await drain
            cpu = time.process_time() - cpu0
            lane.close()
            if client is not None:
                await client.close()
            else:
                await messenger.close()
            seen = stats(port)
            ctx.db.close()
            lane_ctx.db.close()
    finally:
        fake.terminate()
        fake.wait()
    accepted = seen["accepted"]
    prompts = {channel_of(platform, user_id(platform, i)) for i in range(members)}
    sent = sum(accepted.values())
    span = max(seen["last"] - seen["first"], 1e-9)
    rate = (sent - 1) / span
    return {
        "opened": opened,
        "exactly_once": set(accepted) == prompts and set(accepted.values()) == {1},
        "lost": len(prompts - set(accepted)),
        "doubled": sum(v - 1 for v in accepted.values()),
        "ratio": ((sent - 1) // ALLOWED) / span,
        "rate": rate,
        "limited": seen["limited"],
        "cpu_ms_per_msg": 1000 * cpu / max(sent, 1),
        "open_cpu_s": open_cpu,
        "wall_s": wall,
        "peak_in_flight": deliverer.peak_in_flight,
        "learned_rate": deliverer.limiter.rate(workspace),
    }


def summary(values: list[float], fmt: str) -> str:
    return (f"{format(statistics.median(values), fmt)} "
            f"[{format(min(values), fmt)}-{format(max(values), fmt)}]")


def run_line(n: int, result: dict) -> str:
    """One run's figures, as the line a benchmark prints after it."""
    return f"run {n + 1}: " + ", ".join(
        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=["slack", "discord"], default="slack")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per API answer")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = []
    for n in range(args.runs):
        result = asyncio.run(one_run(args.platform, args.latency, args.members))
        runs.append(result)
        print(run_line(n, result), flush=True)
    print(f"{args.platform}, latency {args.latency * 1000:.0f} ms, {args.members} members, "
          f"{args.runs} runs: median [min-max]")
    print(f"  exactly once: {sum(r['exactly_once'] for r in runs)} of {len(runs)} runs; "
          f"lost {sum(r['lost'] for r in runs)}, doubled {sum(r['doubled'] for r in runs)}")
    print(f"  throughput / allowed: {summary([r['ratio'] for r in runs], '.3f')}")
    print(f"  429s drawn: {summary([r['limited'] for r in runs], '.0f')}")
    print(f"  bot CPU per message (opening included): "
          f"{summary([r['cpu_ms_per_msg'] for r in runs], '.3f')} ms")
    print(f"  opening the round, CPU: {summary([r['open_cpu_s'] for r in runs], '.2f')} s")


if __name__ == "__main__":
    main()
