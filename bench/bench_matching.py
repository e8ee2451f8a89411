"""Benchmark of the pairing engine: time per round, score against the exact optimum,
conflicts paired, avoidable repeats and peak memory, at 100 to 20,000 members.

Run: ``.venv/bin/python bench/bench_matching.py [--sizes 100,1000,2000,20000] [--write]``
``--write`` replaces the "## Pairing" section of docs/benchmarks.md (and nothing else).

Synthetic data, seeded: members spread over twelve time zones with varied working
hours and six specialties (plus unknown); 12 past rounds of random pairs (a trio when
odd), whose trio members start this round flagged "in a trio last time"; declared
conflicts on 1% of all possible pairs (each member conflicts with about 1% of the
others, far more than real groups declare).

Exact optimum: the maximum-weight maximum-cardinality matching of the same score on
the full graph (every conflict-free pair): networkx at 100 members (an independent
implementation), rustworkx at 1,000 and 2,000. At 20,000 the full graph (200 million
edges) is out of reach; the engine's blocked result is compared with one sparse graph
of all 20,000 members solved whole, and with an upper bound (every member paired
with a favourite, never-met partner).
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import random
import re
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import rustworkx as rx  # noqa: E402

from bot.pairing.matching.graph import full_edges, pair_up, solve  # noqa: E402
from bot.pairing.matching.score import NEVER_MET_POINTS, Scorer  # noqa: E402
from bot.pairing.matching.solver import Candidate, MatchConfig, match  # noqa: E402

ZONES = [
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]
SPECIALTIES = ["trauma", "child", "addiction", "couples", "grief", "eating", None]
ROUNDS = 12


def population(n: int, seed: int = 7):
    """Members, conflicts (1% of pairs) and 12 rounds of history, all seeded."""
    rng = random.Random(seed * 1_000_003 + n)
    ids = [f"U{i:06d}" for i in range(n)]
    history: list[list[tuple[str, ...]]] = []
    for _ in range(ROUNDS):
        order = ids[:]
        rng.shuffle(order)
        groups = [tuple(order[i : i + 2]) for i in range(0, n - n % 2, 2)]
        if n % 2:
            groups[-1] = (*groups[-1], order[-1])
        history.append(groups)
    last_trio = {m for g in history[0] for m in g if len(g) == 3}
    members = []
    for m in ids:
        start = rng.choice([7, 8, 8.5, 9, 9, 10])
        members.append(
            Candidate(
                m,
                tz=rng.choice(ZONES),
                work_start=start,
                work_end=start + rng.choice([6, 8, 8, 9]),
                specialty=rng.choice(SPECIALTIES),
                left_out_or_trio_last=m in last_trio,
                times_in_trio=rng.choice([0, 0, 0, 1]),
            )
        )
    target = n * (n - 1) // 200
    conflicts: set[frozenset[str]] = set()
    while len(conflicts) < target:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            conflicts.add(frozenset((ids[a], ids[b])))
    return members, conflicts, history


def check(groups, conflicts, history, k):
    """Conflicts inside groups and pairs inside groups who met in the last k rounds."""
    recent = {frozenset((a, b)) for r in history[:k] for g in r for a in g for b in g if a != b}
    paired = repeats = 0
    for g in groups:
        for i, a in enumerate(g):
            for b in g[i + 1 :]:
                paired += frozenset((a, b)) in conflicts
                repeats += frozenset((a, b)) in recent
    return paired, repeats


def exact_networkx(scorer: Scorer) -> tuple[int, float]:
    nodes = list(range(len(scorer.ids)))
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(
        (a, b, scorer.edge_weight(a, b)) for a, b in full_edges(scorer, nodes)
    )
    t = time.perf_counter()
    pairs = [tuple(sorted(p)) for p in nx.max_weight_matching(graph, maxcardinality=True)]
    took = time.perf_counter() - t
    return _score(scorer, nodes, pairs), took, _repeats(scorer, pairs)


def exact_rustworkx(scorer: Scorer) -> tuple[int, float]:
    nodes = list(range(len(scorer.ids)))
    t = time.perf_counter()
    pairs = solve(scorer, nodes, full_edges(scorer, nodes))
    return _score(scorer, nodes, pairs), time.perf_counter() - t, _repeats(scorer, pairs)


def sparse_whole(scorer: Scorer) -> tuple[int, float]:
    """One sparse graph of everyone, no blocks (the engine's method below block_size)."""
    nodes = list(range(len(scorer.ids)))
    whole = replace(scorer.config, block_size=len(nodes) + 1, exact_limit=0)
    scorer.config = whole
    t = time.perf_counter()
    pairs, _ = pair_up(scorer, nodes, {})
    return _score(scorer, nodes, pairs), time.perf_counter() - t, _repeats(scorer, pairs)


def upper_bound(scorer: Scorer) -> int:
    """Soft score if every member had a favourite (best class, never met) partner."""
    reps: dict[tuple[int, str], int] = {}
    for m in range(len(scorer.ids)):
        reps.setdefault((scorer.mask[m], scorer.spec[m]), m)
    total = 0
    for m in range(len(scorer.ids)):
        total += max(scorer.class_soft(m, r) for r in reps.values()) + NEVER_MET_POINTS
    return total // 2


def _repeats(scorer: Scorer, pairs) -> int:
    return sum(scorer.is_repeat(a, b) for a, b in pairs)


def _score(scorer: Scorer, nodes, pairs) -> int:
    matched = {m for p in pairs for m in p}
    return scorer.score(list(pairs), [m for m in nodes if m not in matched])


def run(n: int, repeat: int, reference: bool, preference: str) -> dict:
    members, conflicts, history = population(n)
    cfg = MatchConfig(seed=11, specialty_preference=preference)
    t = time.perf_counter()
    Scorer(members, conflicts, history, cfg)
    indexing = time.perf_counter() - t
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = match(members, conflicts, history, cfg)
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    match(members, conflicts, history, cfg)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    paired, repeats = check(result.groups, conflicts, history, cfg.recent_rounds)
    row = {
        "n": n,
        "preference": preference,
        "method": result.method,
        "seconds": statistics.median(times),
        "indexing_seconds": indexing,
        "runs": repeat,
        "peak_mib": peak / 2**20,
        "conflicts": len(conflicts),
        "conflicts_paired": paired,
        "repeats": repeats,
        "score": result.score,
        "soft": result.parts.soft,
        "trios": sum(len(g) == 3 for g in result.groups),
        "unmatched": len(result.unmatched),
        "edges": result.stats.get("edges", 0),
    }
    if not reference:
        return row
    scorer = Scorer(members, conflicts, history, cfg)
    if n <= 500:
        row["ref"], row["ref_seconds"], row["ref_repeats"] = exact_networkx(scorer)
        row["ref_kind"] = "exact (networkx, full graph)"
    elif n <= 2000:
        row["ref"], row["ref_seconds"], row["ref_repeats"] = exact_rustworkx(scorer)
        row["ref_kind"] = "exact (rustworkx, full graph)"
    else:
        row["ref"], row["ref_seconds"], row["ref_repeats"] = sparse_whole(scorer)
        row["ref_kind"] = "one sparse graph, no blocks (not exact)"
        row["bound"] = upper_bound(scorer)
    return row


def table(rows: list[dict]) -> str:
    lines = [
        "| members | specialty pref. | method | time/round (of which indexing input) "
        "| peak memory | conflicts declared | conflicts paired | repeats (last 6) "
        "| avoidable repeats | soft score | reference (time) | vs reference |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        ref = r.get("ref")
        if ref is None:
            versus, kind = "", "not run"
            avoidable = "0" if r["repeats"] == 0 else "unknown"
        else:
            kind = f"{r['ref_kind']} ({r['ref_seconds']:.1f} s)"
            diff = r["score"] - ref
            versus = "equal" if diff == 0 else f"soft {diff:+,} ({100 * diff / r['soft']:+.3f}%)"
            avoidable = str(max(0, r["repeats"] - r["ref_repeats"]))
            if "bound" in r:
                gap = r["soft"] - r["bound"]
                versus += f"; upper bound {r['bound']:,} ({100 * gap / r['bound']:+.3f}%)"
        lines.append(
            f"| {r['n']:,} | {r['preference']} | {r['method']} "
            f"| {r['seconds']:.2f} s ({r['indexing_seconds']:.2f} s) | {r['peak_mib']:.0f} MiB "
            f"| {r['conflicts']:,} | {r['conflicts_paired']} | {r['repeats']} | {avoidable} "
            f"| {r['soft']:,} | {kind} | {versus} |"
        )
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    section = "## Pairing\n\n" + text.strip() + "\n"
    pattern = re.compile(r"^## Pairing\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: section + "\n", old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(exist_ok=True)
    path.write_text(new.rstrip("\n") + "\n")


NOTES = """\
What the columns mean:

- **time/round**: wall time of one `match()` call (median of 3 runs up to 2,000 members,
  one run at 20,000), including indexing the input (members, conflicts, history): the
  part in brackets. With 1% of all pairs declared as conflicts, 20,000 members bring
  about 2 million conflict pairs, so indexing is a large share there.
- **peak memory**: tracemalloc peak during a separate `match()` call (Python allocations;
  rustworkx's own Rust allocations are not traced).
- **conflicts paired**: declared conflict pairs found inside any group (must be 0).
- **repeats / avoidable repeats**: pairs inside groups who met in the last 6 rounds, and
  how many more than the reference needed (must be 0; with 12 random rounds of history,
  none are needed at these sizes).
- **soft score**: working-hours overlap, specialty preference and novelty points (the
  lowest tier of the score; all higher tiers were equal to the reference in every row).
- **reference**: up to 2,000 members the exact optimum of the same score on the full
  graph (networkx, an independent implementation, at 100; rustworkx at 1,000 and 2,000).
  At 20,000 the full graph (200 million edges) is out of reach: the reference is one
  sparse graph of all 20,000 members solved whole (no blocks), and an upper bound
  (every member with a favourite, never-met partner) is shown too.

How the engine scales: up to 300 members it solves the full graph (exact); up to 2,000
a sparse graph of each member's 16 best compatible candidates (ranked by reduced value)
plus 3 random edges; above 2,000 it splits members into blocks of at most 2,000 with the
same mix of hours and specialties and solves each. rustworkx's matching is cubic in the
worst case: one sparse graph of 20,000 took minutes, ten blocks of 2,000 take seconds.
With no specialty preference the sparse graph reached the exact optimum at 1,000 and
2,000; with a "same" preference it can fall short by a fraction of a per cent of the soft
score (never in the tiers above it), which is why rounds up to 300 members are solved
exactly. Timings were taken while other jobs shared the 2 cores (load average 4-6), so
an idle machine is faster.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,2000,20000")
    parser.add_argument("--preferences", default="none,same", help="specialty preferences")
    parser.add_argument("--no-reference", action="store_true", help="skip exact/reference runs")
    parser.add_argument(
        "--no-reference-above",
        type=int,
        default=2000,
        help="skip reference runs above this size for preferences after the first",
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--render", metavar="LOG", help="re-render rows printed by an earlier run")
    args = parser.parse_args()
    rows = []
    if args.render:
        lines = Path(args.render).read_text().splitlines()
        rows = [ast.literal_eval(line) for line in lines if line.startswith("{'n'")]
    for i, pref in enumerate([] if args.render else args.preferences.split(",")):
        for n in [int(s) for s in args.sizes.split(",")]:
            reference = not args.no_reference and (i == 0 or n <= args.no_reference_above)
            row = run(n, 3 if n <= 2000 else 1, reference, pref)
            print(row, flush=True)
            rows.append(row)
    out = table(rows)
    print(out)
    if args.write:
        machine = (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        write_section(
            f"Command: `.venv/bin/python bench/bench_matching.py --write` ({machine}, "
            f"rustworkx {rx.__version__}, networkx {nx.__version__}).\n\n{out}\n\n{NOTES}"
        )


if __name__ == "__main__":
    main()
