"""The check-in minute tick when nothing is due: what it costs the bot each minute.

Run from the repository root:

    .venv/bin/python bench/bench_tick.py --members 20000 --runs 9

Two cases, each timed as the full path (a fresh ``Ticker`` remembers nothing: the tick's
steps plus the next-event computation, what runs every minute once anything was written,
e.g. by delivery):

- ``window``: the group's round was opened by a first tick and every member has today's
  prompt (the prompt window is open for hours after a round);
- ``idle``: the group's next prompts are three days away (nothing due, no window open).

``--zones K`` spreads the members over K zones, one in four with an own prompt time
(the default 1: everyone in the workspace's zone, as in bench_fanout.py). Reports CPU
(``time.process_time``) and wall milliseconds per tick: median [min-max] over the runs.
It also runs on the code before the topic packages, for a side-by-side figure:
``git worktree add /tmp/before 5f305d1 && cp bench/bench_tick.py /tmp/before/bench/
&& cd /tmp/before && PYTHONPATH=. ../path/to/.venv/bin/python bench/bench_tick.py``
(the ``window`` case only there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_fanout import WS, build

try:
    from bot.checkins.jobs import Ticker, tick

    def full_tick(ctx) -> int:
        return Ticker()(ctx).opened  # a fresh Ticker remembers nothing: the full path
except ImportError:  # the layout before the topic packages (5f305d1), for side-by-side runs
    from bot.services.checkins_fanout import tick  # type: ignore[no-redef]

    def full_tick(ctx) -> int:
        ctx.extras.pop("checkins.quiet", None)  # forget the quiet period: the full path
        return tick(ctx).opened

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
         "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo", "Africa/Nairobi"]


def spread(ctx, zones: int) -> None:
    """Members over ``zones`` zones; one in four with an own prompt time."""
    if zones <= 1:
        return
    now = ctx.clock.now()
    users = [u for (u,) in ctx.db.execute("SELECT user_id FROM members ORDER BY user_id")]
    with ctx.db.atomic():
        for n, user in enumerate(users):
            ctx.db.execute("UPDATE members SET timezone = ? WHERE user_id = ?",
                           [ZONES[n % zones], user])
            if n % 4 == 0:
                own = (now + timedelta(minutes=n % 600)).strftime("%H:%M")
                ctx.db.execute("INSERT INTO checkin_prefs (workspace_id, user_id, time,"
                               " updated_at) VALUES (?, ?, ?, ?)",
                               [WS, user, own, now.isoformat()])
    ctx.db.commit()


def later(ctx) -> None:
    """The group's prompts only three days from now: nothing due in any zone, no window
    open (members' own times kept; their days are the group's)."""
    day = (ctx.clock.now() + timedelta(days=3)).strftime("%a").lower()
    ctx.db.execute("INSERT INTO checkin_schedules (workspace_id, group_id, days, time,"
                   " updated_by, updated_at) SELECT workspace_id, id, ?, '09:00', 'bench', ''"
                   " FROM peer_groups", [day])
    ctx.db.commit()


def measure(ctx, runs: int) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        again = full_tick(ctx)
        cpu.append(1000 * (time.process_time() - c0))
        wall.append(1000 * (time.perf_counter() - w0))
        assert again == 0, "a tick opened prompts again"
    return cpu, wall


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} [{min(values):.1f}-{max(values):.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--zones", type=int, default=1)
    parser.add_argument("--case", choices=["window", "idle", "both"], default="both")
    args = parser.parse_args()
    print(f"members: {args.members}, zones: {args.zones}, runs: {args.runs}")
    for case in (["window", "idle"] if args.case == "both" else [args.case]):
        with tempfile.TemporaryDirectory() as folder:
            ctx = build(Path(folder) / "tick.sqlite", args.members, 4)
            spread(ctx, args.zones)
            if case == "idle":
                later(ctx)
            opened = tick(ctx).opened
            cpu, wall = measure(ctx, args.runs)
            ctx.db.close()
        print(f"{case}: opened by the first tick: {opened}; full tick, nothing due:"
              f" CPU {summary(cpu)} ms, wall {summary(wall)} ms")


if __name__ == "__main__":
    main()
