"""Benchmark: how fast Slack gets its ack while a 20,000-member check-in round opens
and fans out.

    .venv/bin/python bench/bench_ack.py --members 20000 --seconds 90

The real bot (`python -m bot run`, Slack HTTP mode, the real slack-bolt app) runs in
its own process against `bench/fake_platforms.py` (Slack's limits, in a third process).
Its database holds ``--members`` consenting members of one group whose check-in time is
this minute, each with a DM channel known from an earlier round. The minute job opens
the round (in steps of 500 on the jobs lane) and the drain loop sends it. Meanwhile this
process posts signed `/peer help` slash commands at ``--rate`` per second and measures
the time to Slack's acknowledgement (the HTTP answer; Slack drops a command not acked
within 3 s), from a little before the round opens until ``--seconds`` after.
Reported: p50, p99 and max ack time, split into "while the round opens" and "while it
fans out", plus how many replies reached the response_url.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_fanout_http import build, start_fake, stats, wait_listening  # noqa: E402

from tests.support.slack_fake.api import TEAM_ID  # noqa: E402
from tests.support.slack_fake.payloads import (  # noqa: E402
    SIGNING_SECRET,
    signed_headers,
    slash_command,
)


def config_text(db: Path, port: int, api_port: int, at: str) -> str:
    return (
        f'[bot]\nplatform = "slack"\ndatabase = "{db}"\nlog_level = "WARNING"\n'
        f'[slack]\nmode = "http"\nport = {port}\n'
        f'api_base_url = "http://127.0.0.1:{api_port}/api/"\n'
        '[monitoring]\nenabled = "off"\n'
        '[[groups]]\nname = "Everyone"\n[groups.checkins]\n'
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n'
        f'time = "{at}"\nreminder_after_hours = 0\n'
    )


def prompts_opened(db_path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM checkin_prompts").fetchone()[0]
    finally:
        conn.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(members: int, seconds: float, rate: float) -> None:
    fake, api_port = start_fake("slack", 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "ack.sqlite"
        ctx = build(db_path, "slack", TEAM_ID, members)
        at = ctx.clock.now().strftime("%H:%M")
        ctx.db.close()
        port = 3900 + os.getpid() % 1000
        cfg = Path(tmp) / "peerbot.toml"
        cfg.write_text(config_text(db_path, port, api_port, at))
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
               "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(cfg), "run", env=env)
        samples: list[tuple[float, float, int]] = []  # (sent at, ack seconds, prompts)
        opened_at: float | None = None
        fully_open_at: float | None = None
        try:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/slack/events"
                await wait_listening(session, url, 200)
                end: float | None = None
                n = 0
                while end is None or time.perf_counter() < end:
                    n += 1
                    body = slash_command("/peer", "help", user_id=f"UACK{n % 50:03d}",
                                         response_url=f"http://127.0.0.1:{api_port}/response/a{n}")
                    t0 = time.perf_counter()
                    async with session.post(url, data=body,
                                            headers=signed_headers(body)) as resp:
                        await resp.read()
                        status = resp.status
                    took = time.perf_counter() - t0
                    count = prompts_opened(db_path) if n % 5 == 0 else -1
                    samples.append((t0, took if status == 200 else float("inf"), count))
                    if count > 0 and opened_at is None:
                        opened_at = t0
                        end = t0 + seconds
                    if count >= members and fully_open_at is None:
                        fully_open_at = t0
                    await asyncio.sleep(max(1 / rate - took, 0))
            seen = stats(api_port)
            sent, replies = sum(seen["accepted"].values()), seen["replies"]
        finally:
            bot.terminate()
            await bot.wait()
            fake.terminate()
            fake.wait()
    assert opened_at is not None
    fully = fully_open_at or float("inf")
    opening = [s for t, s, _ in samples if opened_at - 1 <= t < fully]
    fanning = [s for t, s, _ in samples if t >= fully]
    every = [s for t, s, _ in samples if t >= opened_at - 1]
    print(f"{members} members; round fully open after "
          f"{(fully - opened_at) if fully_open_at else float('nan'):.1f} s; "
          f"{sent} prompts sent in the window; {replies} of {len(samples)} /peer help "
          f"answered through response_url; bot exit status {bot.returncode}")
    for name, values in (("while the round opens", opening), ("while it fans out", fanning),
                         ("whole window", every)):
        if values:
            print(f"  ack {name}: n={len(values)} p50 {1000 * statistics.median(values):.1f} ms,"
                  f" p99 {1000 * pct(values, 0.99):.1f} ms, max {1000 * max(values):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--rate", type=float, default=10.0, help="slash commands per second")
    args = parser.parse_args()
    asyncio.run(run(args.members, args.seconds, args.rate))


if __name__ == "__main__":
    main()
