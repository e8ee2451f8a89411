"""Benchmark: other members' commands while a facilitator's 20,000-member round matches.

    .venv/bin/python bench/bench_ack_pairing.py --members 20000 --rate 10

The real bot (`python -m bot run`, Slack HTTP mode, the real slack-bolt app) runs in its
own process against `bench/fake_platforms.py` (a third process). Its database holds
``--members`` consenting members of one group, opted in to pairing, each in one of six
time zones, 1 % of them with a declared conflict. A facilitator posts `/peer pair round`
(signed, as Slack does); meanwhile this process posts `/peer help` from other members at
``--rate`` per second until the round's own reply arrives, and measures for each: the
ack (Slack's HTTP answer; Slack drops a command not acked within 3 s) and the reply
(when its response_url received the answer, which is what the member waits for).
Reported: p50 / p99 / max of both while the round runs, and the round's own time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_fanout_http import start_fake, stats  # noqa: E402

from bot.core.clock import SystemClock  # noqa: E402
from bot.core.config import parse_config  # noqa: E402
from bot.runtime import build_context  # noqa: E402
from bot.store.db import open_database  # noqa: E402
from tests.support.slack_fake.api import TEAM_ID  # noqa: E402
from tests.support.slack_fake.payloads import (  # noqa: E402
    SIGNING_SECRET,
    signed_headers,
    slash_command,
)

FACILITATOR = "UFACIL"
ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/Los_Angeles", "Europe/Berlin"]


def config_text(db: Path, port: int, api_port: int) -> str:
    return (
        f'[bot]\nplatform = "slack"\ndatabase = "{db}"\nlog_level = "WARNING"\n'
        f'[slack]\nmode = "http"\nport = {port}\n'
        f'api_base_url = "http://127.0.0.1:{api_port}/api/"\n'
        '[monitoring]\nenabled = "off"\n'
        f'[[groups]]\nname = "Everyone"\nfacilitators = ["{FACILITATOR}"]\n'
    )


def build(db_path: Path, members: int) -> None:
    settings = parse_config({"bot": {"database": str(db_path)},
                             "groups": [{"name": "Everyone", "facilitators": [FACILITATOR]}]})
    db = open_database(db_path)
    ctx = build_context(settings, db, SystemClock(), "slack")
    ctx.members.ensure_workspace(TEAM_ID, "slack")
    group = ctx.members.ensure_group(TEAM_ID, "Everyone")
    joined = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    rng = random.Random(1)
    users = [f"UP{i:06d}" for i in range(members)]
    with db.atomic():
        for user in [*users, FACILITATOR]:
            db.execute("INSERT INTO members (workspace_id, user_id, display_name, timezone,"
                       " consent_at, created_at) VALUES (?, ?, '', ?, ?, ?)",
                       [TEAM_ID, user, rng.choice(ZONES), joined, joined])
            db.execute("INSERT INTO memberships (workspace_id, group_id, user_id, is_facilitator,"
                       " joined_at) VALUES (?, ?, ?, ?, ?)",
                       [TEAM_ID, group.id, user, int(user == FACILITATOR), joined])
        for user in users:
            db.execute("INSERT INTO pairing_optins (workspace_id, group_id, user_id,"
                       " opted_in_at) VALUES (?, ?, ?, ?)", [TEAM_ID, group.id, user, joined])
        for user in rng.sample(users, max(1, members // 100)):
            other = rng.choice(users)
            if other != user:
                db.execute("INSERT OR IGNORE INTO pairing_conflicts (workspace_id, user_id,"
                           " other_id, created_at) VALUES (?, ?, ?, ?)",
                           [TEAM_ID, user, other, joined])
    db.commit()
    db.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def post(session, url: str, user: str, text: str, name: str, api_port: int) -> float:
    body = slash_command("/peer", text, user_id=user,
                         response_url=f"http://127.0.0.1:{api_port}/response/{name}")
    t0 = time.perf_counter()
    async with session.post(url, data=body, headers=signed_headers(body)) as resp:
        await resp.read()
        ok = resp.status == 200
    return time.perf_counter() - t0 if ok else float("inf")


async def run(members: int, rate: float) -> None:
    fake, api_port = start_fake("slack", 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "pairing.sqlite"
        build(db_path, members)
        port = 3900 + os.getpid() % 1000
        cfg = Path(tmp) / "peerbot.toml"
        cfg.write_text(config_text(db_path, port, api_port))
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
               "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(cfg), "run", env=env)
        sent: dict[str, tuple[float, float]] = {}  # name -> (epoch sent, ack seconds)
        try:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/slack/events"
                for _ in range(300):  # wait for the bot to listen
                    try:
                        async with session.get(url):
                            break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.1)
                for n in range(5):  # warm-up: the first commands of a process
                    await post(session, url, f"UP{n:06d}", "help", f"warm{n}", api_port)
                round_sent = time.time()
                round_ack = await post(session, url, FACILITATOR, "pair round", "round",
                                       api_port)
                n = 0
                while "round" not in stats(api_port)["reply_at"]:
                    n += 1
                    t0 = time.time()
                    ack = await post(session, url, f"UP{n % 5000:06d}", "help", f"h{n}",
                                     api_port)
                    sent[f"h{n}"] = (t0, ack)
                    await asyncio.sleep(max(1 / rate - ack, 0))
                    if time.time() - round_sent > 600:
                        break
                await asyncio.sleep(2)  # the last replies
            seen = stats(api_port)["reply_at"]
        finally:
            bot.terminate()
            await bot.wait()
            fake.terminate()
            fake.wait()
    round_took = seen.get("round", float("nan")) - round_sent
    acks = [ack for _, ack in sent.values()]
    replies = [seen[name] - t0 if name in seen else float("inf")
               for name, (t0, _) in sent.items()]
    load = os.getloadavg()
    print(f"{members} members; the round's reply after {round_took:.1f} s (its ack "
          f"{1000 * round_ack:.1f} ms); {len(sent)} /peer help from others meanwhile, "
          f"{sum(r != float('inf') for r in replies)} answered; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; bot exit {bot.returncode}")
    for label, values in (("ack", acks), ("reply", replies)):
        if values:
            print(f"  {label}: p50 {1000 * statistics.median(values):.1f} ms, "
                  f"p99 {1000 * pct(values, 0.99):.1f} ms, max {1000 * max(values):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=10.0, help="slash commands per second")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.rate))


if __name__ == "__main__":
    main()
