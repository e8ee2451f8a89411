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
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_fanout_http import start_fake, stats, wait_listening  # noqa: E402

from bot.agreements.jobs import tick as agreements_tick  # noqa: E402
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


def config_text(db: Path, port: int, api_port: int, log_level: str = "WARNING") -> str:
    return (
        f'[bot]\nplatform = "slack"\ndatabase = "{db}"\nlog_level = "{log_level}"\n'
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
    # A group in its steady state: everyone was asked to the group agreement long ago
    # (else the bot's first agreements tick queues 20,000 asks, and their fan-out, in
    # the middle of the round being measured).
    agreements_tick(ctx)
    db.execute("DELETE FROM outbox")
    db.commit()
    db.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fetch(api_port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{api_port}{path}") as resp:
        return resp.read().decode()


def round_written(db_path: Path) -> dict[str, int]:
    """What the round left in the database: 0 lost, 0 doubled is checked here."""
    conn = sqlite3.connect(db_path)
    try:
        one = conn.execute
        placed = one("SELECT count(*) FROM pairing_round_members").fetchone()[0]
        slots = one("SELECT count(DISTINCT slot) FROM pairing_round_members WHERE slot IS NOT NULL"
                    ).fetchone()[0]
        intros = one("SELECT count(*), count(DISTINCT target_key) FROM outbox"
                     " WHERE kind = 'pairing.intro'").fetchone()
        steps = any(c[1] == "intro_next" for c in one("PRAGMA table_info(pairing_rounds)"))
        unfinished = one("SELECT count(*) FROM pairing_rounds WHERE intro_next IS NOT NULL"
                         ).fetchone()[0] if steps else 0  # (the code before 14p: no steps)
    finally:
        conn.close()
    return {"placed": placed, "slots": slots, "intros": intros[0], "distinct": intros[1],
            "unfinished": unfinished}


async def post(session, url: str, user: str, text: str, name: str, api_port: int) -> float:
    body = slash_command("/peer", text, user_id=user,
                         response_url=f"http://127.0.0.1:{api_port}/response/{name}")
    t0 = time.perf_counter()
    async with session.post(url, data=body, headers=signed_headers(body)) as resp:
        await resp.read()
        ok = resp.status == 200
    return time.perf_counter() - t0 if ok else float("inf")


async def others(session, url: str, api_port: int, rate: float, sent: dict, prefix: str,
                 until) -> None:
    """``/peer help`` from other members at ``rate`` per second until ``until()``."""
    n = 0
    while not until():
        n += 1
        t0 = time.time()
        ack = await post(session, url, f"UP{n % 5000:06d}", "help", f"{prefix}{n}", api_port)
        sent[f"{prefix}{n}"] = (t0, ack)
        await asyncio.sleep(max(1 / rate - ack, 0))


async def run(members: int, rate: float, after: float, log_level: str,
              switch: float | None = None) -> dict:
    fake, api_port = start_fake("slack", 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "pairing.sqlite"
        build(db_path, members)
        port = 3900 + os.getpid() % 1000
        cfg = Path(tmp) / "peerbot.toml"
        cfg.write_text(config_text(db_path, port, api_port, log_level))
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
               "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        start = ["-m", "bot"] if switch is None else [  # an experiment: the GIL's hand-over
            "-c", f"import sys, runpy; sys.setswitchinterval({switch}); sys.argv[0] = 'bot';"
            " runpy.run_module('bot', run_name='__main__', alter_sys=True)"]
        bot = await asyncio.create_subprocess_exec(
            sys.executable, *start, "--config", str(cfg), "run", env=env)
        during: dict[str, tuple[float, float]] = {}  # name -> (epoch sent, ack seconds)
        later: dict[str, tuple[float, float]] = {}
        try:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/slack/events"
                await wait_listening(session, url, 300)
                for n in range(5):  # warm-up: the first commands of a process
                    await post(session, url, f"UP{n:06d}", "help", f"warm{n}", api_port)
                round_sent = time.time()
                round_ack = await post(session, url, FACILITATOR, "pair round", "round",
                                       api_port)
                await others(session, url, api_port, rate, during, "h", lambda: (
                    "round" in stats(api_port)["reply_at"] or time.time() - round_sent > 600))
                ends = time.time() + after
                await others(session, url, api_port, rate, later, "a",
                             lambda: time.time() >= ends)
                await asyncio.sleep(2)  # the last replies
            seen = stats(api_port)["reply_at"]
            said = fetch(api_port, "/reply/round")
        finally:
            bot.terminate()
            await bot.wait()
            fake.terminate()
            fake.wait()
        written = round_written(db_path)
    result = {"members": members, "round_s": seen.get("round", float("nan")) - round_sent,
              "round_ack_ms": 1000 * round_ack, "exit": bot.returncode,
              "load": os.getloadavg()[0], "written": written,
              "said": json.loads(said)["text"] if said else "(no reply)"}
    for label, sent in (("during", during), ("after", later)):
        acks = [ack for _, ack in sent.values()]
        replies = [seen[name] - t0 if name in seen else float("inf")
                   for name, (t0, _) in sent.items()]
        result[label] = {"n": len(sent), "answered": sum(r != float("inf") for r in replies),
                         "ack": summary(acks), "reply": summary(replies)}
    return result


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"p50": 1000 * statistics.median(values), "p99": 1000 * pct(values, 0.99),
            "max": 1000 * max(values)}


def show(result: dict) -> None:
    print(f"{result['members']} members; the round's reply after {result['round_s']:.1f} s "
          f"(its ack {result['round_ack_ms']:.1f} ms); load average {result['load']:.1f}; "
          f"bot exit {result['exit']}; written {result['written']}")
    print(f"  said: {result['said'][:160]}")
    for label in ("during", "after"):
        part = result[label]
        if not part["n"]:
            continue
        print(f"  {label} the round: {part['n']} /peer help from others, "
              f"{part['answered']} answered")
        for kind in ("ack", "reply"):
            fig = part[kind]
            print(f"    {kind}: p50 {fig['p50']:.1f} ms, p99 {fig['p99']:.1f} ms, "
                  f"max {fig['max']:.1f} ms")


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} [{min(values):.0f}-{max(values):.0f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=10.0, help="slash commands per second")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--after", type=float, default=0.0,
                        help="also measure this many seconds after the round's reply (its "
                             "introductions being delivered)")
    parser.add_argument("--log-level", default="WARNING", help="the bot's [bot] log_level")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="run the bot with sys.setswitchinterval(this) (an experiment)")
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        result = asyncio.run(run(args.members, args.rate, args.after, args.log_level,
                                 args.switch_interval))
        show(result)
        results.append(result)
    if len(results) > 1:
        print(f"median [min-max] over {len(results)} runs (ms; the round in s):")
        print(f"  the round's reply: {spread([r['round_s'] for r in results])} s; load "
              f"{spread([r['load'] for r in results])}")
        for label in ("during", "after"):
            if not all(r[label]["n"] for r in results):
                continue
            for kind in ("ack", "reply"):
                figs = " / ".join(f"{q} {spread([r[label][kind][q] for r in results])}"
                                  for q in ("p50", "p99", "max"))
                print(f"  {label}, {kind}: {figs}")


if __name__ == "__main__":
    main()
