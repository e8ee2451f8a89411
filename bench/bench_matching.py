"""Benchmark of the pairing engine on hard instances, against exact and baseline methods.

Run: ``.venv/bin/python bench/bench_matching.py [--sizes 2000,5000,20000] [--runs 5]``
(the engine is timed ``--runs`` times per size: median and range, wall and CPU)

Instances (seeded): every member has their own time zone (one of 24) and their own
working hours (start on any half hour 06:00-12:00, 6-10 h long, weekdays), one of six
specialties or none; declared conflicts on 1 % of ALL pairs; 12 rounds of random
history. Quality is the soft score (hours, specialty, novelty) computed by an
independent scorer below (plain Python over the groups, not the engine's Scorer), with
conflicts paired, recent repeats and members left unplaced counted separately:

- **exact**: rustworkx maximum-weight matching on the full graph (every conflict-free
  pair), up to 2,000 members;
- **greedy**: heaviest edges first on each member's 32 best neighbours;
- **greedy + 2-opt**: the same, improved by 2-opt swaps until none gains (no budget);
- **16-nearest whole**: rustworkx on each member's 16 best distinct neighbours (islands
  joined), solved whole, up to 5,000 members (the engine solves its 12-nearest graph
  whole up to 2,500 members).

The engine is timed through ``bot.pairing.engine.match_within``, the function the
bot's worker process runs for a round (in this process here), with the bot's budget
for the whole match; the method column says how many seam windows each run solved
before the budget cut them.

"best known" is the best soft score of every method run at that size.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import rustworkx as rx  # noqa: E402

from bot.pairing.engine import MATCH_BUDGET_SECONDS, MatchInputs, match_within  # noqa: E402
from bot.pairing.matching import fast  # noqa: E402
from bot.pairing.matching.score import Scorer, weekly_mask  # noqa: E402
from bot.pairing.matching.solver import Candidate, MatchConfig  # noqa: E402

ZONES = [
    "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York", "America/Halifax", "America/Sao_Paulo",
    "Atlantic/Azores", "Europe/London", "Europe/Berlin", "Europe/Athens", "Europe/Moscow",
    "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok",
    "Asia/Singapore", "Asia/Tokyo", "Australia/Brisbane", "Australia/Sydney",
    "Pacific/Noumea", "Pacific/Auckland",
]
SPECIALTIES = ["trauma", "child", "addiction", "couples", "grief", "eating", None]
ROUNDS = 12
K = 6
BUDGET = MATCH_BUDGET_SECONDS  # the whole match's budget (window seams are cut to keep it)


def population(n: int, seed: int = 7):
    """Members with their own hours and zone, conflicts on 1 % of pairs, 12 rounds."""
    rng = random.Random(seed * 1_000_003 + n)
    ids = [f"U{i:06d}" for i in range(n)]
    history = []
    for _ in range(ROUNDS):
        order = ids[:]
        rng.shuffle(order)
        groups = [tuple(order[i : i + 2]) for i in range(0, n - n % 2, 2)]
        if n % 2:
            groups[-1] = (*groups[-1], order[-1])
        history.append(groups)
    members = []
    for m in ids:
        start = rng.randrange(12, 25) / 2
        members.append(Candidate(m, tz=rng.choice(ZONES), work_start=start,
                                 work_end=start + rng.randrange(12, 21) / 2,
                                 specialty=rng.choice(SPECIALTIES)))
    target = n * (n - 1) // 200
    conflicts: set[frozenset[str]] = set()
    while len(conflicts) < target:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            conflicts.add(frozenset((ids[a], ids[b])))
    return members, conflicts, history


class Judge:
    """The independent scorer: soft points, conflicts, recent repeats, unplaced."""

    def __init__(self, members, conflicts, history, preference):
        self.mask = {c.member_id: weekly_mask(c, MatchConfig().week_of) for c in members}
        self.spec = {c.member_id: (c.specialty or "") for c in members}
        self.conflicts = conflicts
        self.ago: dict[frozenset, int] = {}
        for ago, groups in enumerate(history, start=1):
            for g in groups:
                for a, b in combinations(g, 2):
                    self.ago.setdefault(frozenset((a, b)), ago)
        self.preference = preference
        self.n = len(members)

    def soft(self, a, b) -> int:
        hours = bin(self.mask[a] & self.mask[b]).count("1") / 2
        points = min(int(hours // 5), 8) * 50
        sa, sb = self.spec[a], self.spec[b]
        if sa and sb and ((self.preference == "same") == (sa == sb)) and self.preference != "none":
            points += 500
        ago = self.ago.get(frozenset((a, b)))
        points += 200 if ago is None else (0 if ago <= K else min(150, 25 * (ago - K)))
        return points

    def judge(self, groups):
        soft = paired_conflicts = repeats = 0
        for g in groups:
            for a, b in combinations(g, 2):
                soft += self.soft(a, b)
                paired_conflicts += frozenset((a, b)) in self.conflicts
                repeats += self.ago.get(frozenset((a, b)), K + 1) <= K
        placed = sum(len(g) for g in groups)
        return {"soft": soft, "conflicts": paired_conflicts, "repeats": repeats,
                "unplaced": self.n - placed}


def engine(members, conflicts, history, preference, runs):
    cfg = MatchConfig(seed=11, specialty_preference=preference)
    inputs = MatchInputs(tuple(members), set(conflicts), history, cfg)
    times, cpu, seams, result = [], [], [], None
    for _ in range(runs):
        c = time.process_time()
        t = time.perf_counter()
        result = match_within(inputs, BUDGET)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if "seam_windows" in result.stats:
            seams.append(f"{result.stats['seam_windows']}/"
                         f"{result.stats['seam_windows'] + result.stats['seam_windows_cut']}")
    method = result.method + (f" (seam windows solved: {', '.join(seams)})" if seams else "")
    return result.groups, times, cpu, method


def baselines(members, conflicts, history, preference):
    """greedy and greedy + 2-opt (to convergence) on each member's 32 best neighbours."""
    cfg = MatchConfig(seed=11, specialty_preference=preference)
    scorer = Scorer(members, conflicts, history, cfg)
    vec = fast.Vectors(scorer)
    nodes = np.arange(vec.n)
    t = time.perf_counter()
    u, v, w = fast.knn_edges(vec, nodes, 32, 48)
    mate = fast.greedy(vec.n, u, v, w)
    greedy_time = time.perf_counter() - t
    greedy = _groups(scorer, fast.pairs_of(mate))
    mate, _ = fast.two_opt(vec, mate, u, v)
    two_opt_time = time.perf_counter() - t
    return (greedy, greedy_time), (_groups(scorer, fast.pairs_of(mate)), two_opt_time)


def exact(members, conflicts, history, preference):
    """rustworkx on the full graph of the engine's score (every conflict-free pair)."""
    cfg = MatchConfig(seed=11, specialty_preference=preference)
    scorer = Scorer(members, conflicts, history, cfg)
    vec = fast.Vectors(scorer)
    u, v = np.triu_indices(vec.n, 1)
    allowed, _ = vec.weights(u, v)
    u, v = u[allowed], v[allowed]
    t = time.perf_counter()
    pairs = fast.solve_weighted(list(range(vec.n)), u.tolist(), v.tolist(),
                           fast.exact_weights(scorer, vec, u, v))
    return _groups(scorer, pairs), time.perf_counter() - t


def whole(members, conflicts, history, preference):
    """rustworkx on the 16-nearest graph of everyone, solved whole (no windows)."""
    cfg = MatchConfig(seed=11, specialty_preference=preference)
    scorer = Scorer(members, conflicts, history, cfg)
    vec = fast.Vectors(scorer)
    u, v, _ = fast.knn_edges(vec, np.arange(vec.n), 16, 32)
    t = time.perf_counter()
    pairs = fast.solve_weighted(list(range(vec.n)), u.tolist(), v.tolist(),
                           fast.exact_weights(scorer, vec, u, v))
    return _groups(scorer, pairs), time.perf_counter() - t


def _groups(scorer, pairs):
    return [tuple(scorer.ids[m] for m in p) for p in pairs]


def run(n: int, runs: int, preference: str, exact_up_to: int, whole_up_to: int) -> dict:
    members, conflicts, history = population(n)
    judge = Judge(members, conflicts, history, preference)
    groups, times, cpus, method = engine(members, conflicts, history, preference, runs)
    row = {"n": n, "preference": preference, "method": method, "runs": runs,
           "seconds": statistics.median(times), "seconds_range": (min(times), max(times)),
           "cpu": statistics.median(cpus), "cpu_range": (min(cpus), max(cpus)),
           "engine": judge.judge(groups)}
    (g, gt), (o, ot) = baselines(members, conflicts, history, preference)
    row["greedy"], row["greedy_seconds"] = judge.judge(g), gt
    row["two_opt"], row["two_opt_seconds"] = judge.judge(o), ot
    if n <= exact_up_to:
        e, et = exact(members, conflicts, history, preference)
        row["exact"], row["exact_seconds"] = judge.judge(e), et
    if n <= whole_up_to:
        w, wt = whole(members, conflicts, history, preference)
        row["whole"], row["whole_seconds"] = judge.judge(w), wt
    return row


def spread(row: dict, key: str) -> str:
    low, high = row.get(f"{key}_range", (row[key], row[key]))
    return f"{row[key]:.2f} s [{low:.2f}-{high:.2f}]"


def render(rows: list[dict]) -> str:
    lines = [
        "| members | pref. | method | runs | time/round: median [min-max] (CPU) "
        "| engine soft | vs exact | vs best known "
        "| greedy (time) | greedy + 2-opt (time) | 16-nearest whole (time) | exact (time) "
        "| conflicts paired "
        "| repeats (engine / best) | unplaced |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        methods = [r["engine"], r["greedy"], r["two_opt"]]
        methods += [r[m] for m in ("exact", "whole") if m in r]
        best = max(m["soft"] for m in methods)
        soft = r["engine"]["soft"]
        vs_exact = f"{100 * soft / r['exact']['soft']:.3f} %" if "exact" in r else "n/a"
        exact = "not run"
        if "exact" in r:
            exact = f"{r['exact']['soft']:,} ({r['exact_seconds']:.1f} s)"
        whole = "not run"
        if "whole" in r:
            whole = f"{r['whole']['soft']:,} ({r['whole_seconds']:.1f} s)"
        lines.append(
            f"| {r['n']:,} | {r['preference']} | {r['method']} | {r.get('runs', 1)} "
            f"| {spread(r, 'seconds')} ({spread(r, 'cpu')}) "
            f"| {soft:,} | {vs_exact} | {100 * soft / best:.3f} % "
            f"| {r['greedy']['soft']:,} ({r['greedy_seconds']:.1f} s) "
            f"| {r['two_opt']['soft']:,} ({r['two_opt_seconds']:.1f} s) | {whole} | {exact} "
            f"| {r['engine']['conflicts']} | {r['engine']['repeats']} / "
            f"{min(m['repeats'] for m in methods)} | {r['engine']['unplaced']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,20000")
    parser.add_argument("--preferences", default="none")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--exact-up-to", type=int, default=2000)
    parser.add_argument("--whole-up-to", type=int, default=5000)
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{machine}, numpy {np.__version__}, rustworkx {rx.__version__}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for pref in args.preferences.split(","):
        for n in [int(s) for s in args.sizes.split(",")]:
            row = run(n, args.runs, pref, args.exact_up_to, args.whole_up_to)
            print(row, flush=True)
            rows.append(row)
    print(render(rows))


if __name__ == "__main__":
    main()
