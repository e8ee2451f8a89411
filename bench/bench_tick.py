"""The check-in minute tick when the data changed but nothing is due: the full path.

Run from the repository root:

    .venv/bin/python bench/bench_tick.py --members 5000 --runs 9

Builds the same group as bench_fanout.py (every member due now), opens the round with
one tick, then times ticks that remember nothing (every run reads every member, computes
their due dates and the next event). Reports the median, minimum and maximum in
milliseconds. It also runs on the code before the topic packages, for a side-by-side
figure: ``git worktree add /tmp/before 5f305d1 && cp bench/bench_tick.py /tmp/before/bench/
&& cd /tmp/before && PYTHONPATH=. ../path/to/.venv/bin/python bench/bench_tick.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_fanout import build

try:
    from bot.checkins.jobs import Ticker, tick

    def full_tick(ctx) -> int:
        return Ticker()(ctx).opened  # a fresh Ticker remembers nothing: the full path
except ImportError:  # the layout before the topic packages (5f305d1), for side-by-side runs
    from bot.services.checkins_fanout import tick  # type: ignore[no-redef]

    def full_tick(ctx) -> int:
        ctx.extras.pop("checkins.quiet", None)  # forget the quiet period: the full path
        return tick(ctx).opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ctx = build(Path(folder) / "tick.sqlite", args.members, 4)
        opened = tick(ctx).opened
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            again = full_tick(ctx)
            times.append(1000 * (time.perf_counter() - started))
            assert again == 0, "a second tick opened prompts again"
        ctx.db.close()
    print(f"members: {args.members}\nopened by the first tick: {opened}\n"
          f"full tick, nothing due (ms): median {statistics.median(times):.1f}, "
          f"min {min(times):.1f}, max {max(times):.1f} over {args.runs} runs")


if __name__ == "__main__":
    main()
