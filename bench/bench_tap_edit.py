"""Benchmark: from a tap on a Discord check-in prompt to its edit, through ``serve``.

Run from the repository root:

    .venv/bin/python bench/bench_tap_edit.py --taps 20 --runs 3

The real runtime (``serve``: its drain loop polling every second, as in production),
the real discord.py client and messenger, against the fake Discord on loopback. A
member gets a prompt; each tap (an INTERACTION_CREATE fed to discord.py as the gateway
would) is timed until the fake receives the prompt's PATCH. With ``--no-wake`` the
runtime does not wake the drain loop after a button (what issue 19 found: the edit
waited for the next poll), for comparison. Reported per run: median [min-max] of the
delays in ms, and the bot's CPU per tap (time.process_time, the fake's share included).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bot import runtime  # noqa: E402
from bot.core.clock import SystemClock  # noqa: E402
from bot.core.config import parse_config  # noqa: E402
from bot.store.db import open_database  # noqa: E402
from tests.support.discord_fake.flow import agree, buttons, consented  # noqa: E402
from tests.support.discord_fake.harness import fake_discord, feed, logged_in  # noqa: E402
from tests.support.discord_fake.payloads import click, group, sub  # noqa: E402
from tests.support.discord_fake.server import GUILD_ID  # noqa: E402

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}


async def one_run(taps: int, wake: bool) -> tuple[list[float], float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = parse_config({
            "bot": {"database": str(Path(tmp) / "b.sqlite")},
            "groups": [{"name": "circle", "channel": "800000000000000010",
                        "facilitators": ["100"]}],
            "discord": {"guild_ids": [int(GUILD_ID)], "facilitator_role_id": 4242},
            "monitoring": {"enabled": "off"},
            # one member tapping many times: above the per-member command limit
            "limits": {"command_burst": 1000, "command_rate": 100}})
        db = open_database(settings.bot.database)
        assembly = runtime.assemble(settings, db, SystemClock(), "discord")
        if not wake:
            core_action = assembly.core.handle_action
            assembly.handle_action = core_action  # type: ignore[method-assign]
        delays: list[float] = []
        cpu = 0.0
        async with fake_discord() as fake, logged_in(assembly) as ad:
            async def platform() -> None:
                nonlocal cpu
                joined = await consented(ad, fake, [group("group", sub("join", name="circle"))],
                                         **ALICE)
                await agree(ad, fake, joined, **ALICE)
                await consented(ad, fake, [group("checkins", sub("now"))], top="peer-admin",
                                **FRAN)
                [prompt] = await fake.wait_for("POST", r"^/channels/501/messages$")
                while not (ref := db.execute(
                        "SELECT platform_ref FROM outbox WHERE user_id = '101'").fetchone()[0]):
                    await asyncio.sleep(0.01)
                shown = dict(fake.message("501", prompt.json), id=ref.split(":")[1])
                labels = ["4 · Good", "3 · Okay", "5 · Very good"]
                started = time.process_time()
                for n in range(taps):
                    value = buttons(prompt.json)[labels[n % 3]]
                    edits = len(fake.find("PATCH", r"^/channels/501/messages/\d+$"))
                    tapped = time.perf_counter()
                    feed(ad, click(value, message=shown, **ALICE))
                    await fake.wait_for("PATCH", r"^/channels/501/messages/\d+$", edits + 1,
                                        cap=30)
                    delays.append((time.perf_counter() - tapped) * 1000)
                    await asyncio.sleep(0.05)  # a person taps again a moment later
                cpu = (time.process_time() - started) / taps

            await runtime.serve(assembly, ad.messenger, platform, poll_seconds=1.0)
        return delays, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--taps", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-wake", action="store_true")
    args = parser.parse_args()
    wake = not args.no_wake
    medians = []
    for run in range(args.runs):
        delays, cpu = asyncio.run(one_run(args.taps, wake))
        medians.append(statistics.median(delays))
        print(f"run {run + 1}: tap -> edit {statistics.median(delays):.1f} ms median "
              f"[{min(delays):.1f}-{max(delays):.1f}] over {len(delays)} taps; "
              f"CPU per tap {cpu * 1000:.2f} ms (wake after a button: {wake})")
    print(f"tap -> edit, median of run medians: {statistics.median(medians):.1f} ms "
          f"[{min(medians):.1f}-{max(medians):.1f}] ({args.runs} runs)")


if __name__ == "__main__":
    main()
