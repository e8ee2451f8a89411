"""How long a chart in chat takes to draw (no speed goal: a figure for the notes).

    .venv/bin/python bench/bench_charts.py --runs 20

Draws the pulse chart (two questions, eight closed weeks, one withheld) and the history
chart (two questions, eight weeks) ``--runs`` times each in this process, after one
warm-up draw, and reports the first draw (matplotlib's import and font loading, paid
once per worker process) and the median and max of the rest, with the PNG sizes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.checkins.chart_data import (
    NOT_ENOUGH,
    BarGroup,
    HistoryChart,
    HistoryLine,
    PulseChart,
    TrendLine,
)
from bot.checkins.charts import render_history, render_pulse

WEEKS = ("17 Nov", "24 Nov", "01 Dec", "08 Dec", "15 Dec", "22 Dec", "29 Dec", "05 Jan")
PULSE = PulseChart("circle", "week of 05 Jan 2026", 9, 11, (
    BarGroup("Mood", 9, (("1–2", 2), ("3", 4), ("4–5", 3))),
    BarGroup("Burnout", None, withheld=NOT_ENOUGH)), WEEKS, (
    TrendLine("Mood", "lower is harder", (0.5, 0.4, None, 0.6, 0.55, 0.5, 0.45, 0.56)),
    TrendLine("Burnout", "higher is harder", (0.3, None, 0.4, 0.35, None, 0.3, 0.25, None))))
HISTORY = HistoryChart((*tuple(f"{i} wk ago" for i in range(7, 0, -1)), "this week"), (
    HistoryLine("Mood", 1, 5, "lower is harder", (3.0, 3.5, None, 4.0, 4.5, 2.0, None, 3.0)),
    HistoryLine("Burnout", 1, 5, "higher is harder", (2.0, 2.0, None, 1.0, 1.5, 3.0, None,
                                                      3.0))))


def timed(draw, data, runs: int) -> tuple[float, list[float], int]:
    start = time.perf_counter()
    png = draw(data)
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        draw(data)
        times.append(time.perf_counter() - start)
    return first, times, len(png)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for name, draw, data in (("pulse", render_pulse, PULSE), ("history", render_history,
                                                                HISTORY)):
        first, times, size = timed(draw, data, args.runs)
        print(f"{name}: first draw {first * 1000:.0f} ms; then median "
              f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over "
              f"{args.runs} draws; PNG {size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
