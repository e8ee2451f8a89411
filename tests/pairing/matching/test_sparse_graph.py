"""Matching: the fast k-nearest graph keeps its promises.

Each fast path is checked against a plain reference: pair facts found by one gather against
a binary search, week masks by integer arithmetic against
half-hour-by-half-hour zoneinfo, and the k-nearest graph solved whole against the
exact optimum of the full graph on an instance as hard as the benchmark's (own hours
and zone per member, conflicts on 1 % of all pairs, 12 rounds of history).
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import rustworkx as rx

from bot.pairing.matching import bridges, fast, keys
from bot.pairing.matching.score import SLOTS_PER_WEEK, Scorer, weekly_mask
from bot.pairing.matching.solver import Candidate, MatchConfig, match

ZONES = ["Pacific/Honolulu", "America/Los_Angeles", "America/St_Johns", "America/Santiago",
         "Europe/London", "Europe/Berlin", "Africa/Casablanca", "Asia/Tehran", "Asia/Kolkata",
         "Asia/Kathmandu", "Asia/Tokyo", "Australia/Lord_Howe", "Australia/Sydney",
         "Pacific/Chatham", "Pacific/Auckland"]


def hard(n, seed):
    """As bench/bench_matching.py: own hours and zone, 1 % of pairs in conflict, 12 rounds."""
    rng = random.Random(seed)
    ids = [f"U{i:04d}" for i in range(n)]
    members = []
    for m in ids:
        start = rng.randrange(12, 25) / 2
        members.append(Candidate(m, tz=rng.choice(ZONES), work_start=start,
                                 work_end=start + rng.randrange(12, 21) / 2,
                                 specialty=rng.choice(["a", "b", None])))
    conflicts = set()
    while len(conflicts) < n * (n - 1) // 200:
        a, b = rng.sample(ids, 2)
        conflicts.add(frozenset((a, b)))
    history = []
    for _ in range(12):
        order = rng.sample(ids, n)
        history.append([tuple(order[i : i + 2]) for i in range(0, n - 1, 2)])
    return members, conflicts, history


@pytest.mark.parametrize("n", [400, 401])
def test_sparse_graph_stays_within_0_05_percent_of_the_exact_optimum(n):
    members, conflicts, history = hard(n, seed=n)
    exact = match(members, conflicts, history, MatchConfig(seed=3, exact_limit=n))
    sparse = match(members, conflicts, history, MatchConfig(seed=3, exact_limit=0))
    assert (exact.method, sparse.method) == ("exact", "sparse")
    assert "densified" not in sparse.stats  # the graph let the exact solver pair everyone
    assert sparse.parts.grouped == exact.parts.grouped == n
    for tier in ("fairness_cost", "extra_turns", "repeats"):
        assert getattr(sparse.parts, tier) == getattr(exact.parts, tier), tier
    assert sparse.parts.pressure <= exact.parts.pressure
    assert sparse.parts.soft >= 0.9995 * exact.parts.soft


def test_each_member_gets_k_distinct_candidates():
    members, conflicts, history = hard(300, seed=1)
    scorer = Scorer(members, conflicts, history, MatchConfig(seed=2))
    vec = fast.Vectors(scorer)
    u, v, _ = fast.knn_edges(vec, np.arange(300), 10, 32)
    assert len(set(zip(u.tolist(), v.tolist(), strict=True))) == len(u)
    assert (u < v).all()
    degree = np.bincount(np.concatenate([u, v]), minlength=300)
    assert degree.min() >= 10  # a neighbour in both clock orders counts once


def test_islands_of_odd_size_are_joined_so_everyone_is_paired():
    """151 night-shift colleagues in Auckland and 249 day workers in London: each
    group's best candidates are in the group, so the graph fell into odd islands."""
    members = [Candidate(f"a{i:03d}", tz="Pacific/Auckland") for i in range(151)]
    members += [Candidate(f"b{i:03d}", tz="Europe/London", work_start=9 + (i % 4) / 2)
                for i in range(249)]
    scorer = Scorer(members, (), [], MatchConfig(seed=1))
    vec = fast.Vectors(scorer)
    u, v, _ = fast.knn_edges(vec, np.arange(400), 10, 32)
    assert bridges.islands(400, u, v).max() == 0  # one island
    sparse = match(members, config=MatchConfig(seed=1, exact_limit=0))
    exact = match(members, config=MatchConfig(seed=1, exact_limit=400))
    assert "densified" not in sparse.stats
    assert sparse.score == exact.score


def test_no_bridge_crosses_a_conflict():
    members = [Candidate(f"a{i}", tz="Pacific/Auckland") for i in range(5)]
    members += [Candidate(f"b{i}", tz="Europe/London") for i in range(9)]
    conflicts = {frozenset((f"a{i}", f"b{j}")) for i in range(5) for j in range(9)}
    result = match(members, conflicts, config=MatchConfig(seed=1, exact_limit=0))
    assert not any({g[0][0], g[-1][0]} == {"a", "b"} for g in result.groups)
    assert len(result.unmatched) <= 1


def reference_facts(met_keys, conflict_keys, query):
    at = np.minimum(np.searchsorted(met_keys, query), max(len(met_keys) - 1, 0))
    met = np.where((met_keys[at] == query) if len(met_keys) else False, at, -1)
    hit = np.isin(query, conflict_keys)
    return met, hit


@pytest.mark.parametrize("dense", [True, False])
@pytest.mark.parametrize("sizes", [(0, 0), (1, 0), (0, 1), (3000, 5000), (40000, 10)])
def test_pair_facts_agree_with_a_binary_search(monkeypatch, dense, sizes):
    if not dense:
        monkeypatch.setattr(keys, "DENSE_PAIRS", 0)
    rng = np.random.default_rng(sum(sizes) + dense)
    n = 2000
    met_keys = np.unique(rng.integers(0, n * n, sizes[0]))
    conflict_keys = np.unique(rng.integers(0, n * n, sizes[1]))
    query = np.concatenate([rng.integers(0, n * n, 20000), met_keys, conflict_keys,
                            met_keys + 1, np.array([0, n * n - 1])])
    met, conflict = keys.PairFacts(n, met_keys, conflict_keys).lookup(query)
    want_met, want_conflict = reference_facts(met_keys, conflict_keys, query)
    assert (met == want_met).all()
    assert (conflict == want_conflict).all()


def test_table_and_binary_search_facts_give_the_same_groups(monkeypatch):
    members, conflicts, history = hard(300, seed=4)
    cfg = MatchConfig(seed=7, exact_limit=0)
    dense = match(members, conflicts, history, cfg)
    monkeypatch.setattr(keys, "DENSE_PAIRS", 0)
    searched = match(members, conflicts, history, cfg)
    assert (dense.groups, dense.score) == (searched.groups, searched.score)


def reference_mask(c: Candidate, week_of: date) -> int:
    """Every worked half-hour placed on the UTC week one by one, by zoneinfo."""
    utc = ZoneInfo("UTC")
    monday = datetime.combine(week_of - timedelta(days=week_of.weekday()), time(), utc)
    steps = int(((c.work_end - c.work_start) % 24 or 24) * 2)
    mask = 0
    for day in range(-1, 8):
        local_day = (monday + timedelta(days=day)).date()
        if local_day.weekday() not in c.workdays:
            continue
        start = datetime.combine(local_day, time(), ZoneInfo(c.tz)) + timedelta(hours=c.work_start)
        for step in range(steps):
            slot = (start + timedelta(minutes=30 * step) - monday).total_seconds() // 1800
            if 0 <= slot < SLOTS_PER_WEEK:
                mask |= 1 << int(slot)
    return mask


def test_week_masks_match_zoneinfo_half_hour_by_half_hour_across_clock_changes():
    rng = random.Random(8)
    weeks = [date(2026, 3, 9), date(2026, 3, 30), date(2026, 4, 6), date(2026, 9, 28),
             date(2026, 10, 5), date(2026, 10, 26), date(2026, 11, 2), date(2026, 1, 5)]
    cache: dict = {}
    for trial in range(3000):
        start = rng.choice([rng.randrange(48) / 2, round(rng.random() * 24, 2), 23.5, 0.0])
        c = Candidate("m", tz=rng.choice(ZONES), work_start=start,
                      work_end=rng.choice([(start + rng.randrange(1, 49) / 2) % 24, start]),
                      workdays=tuple(sorted(rng.sample(range(7), rng.randrange(1, 8)))))
        week = rng.choice(weeks) + timedelta(days=rng.randrange(7))
        want = reference_mask(c, week)
        assert weekly_mask(c, week) == want, (trial, c, week)
        assert weekly_mask(c, week, cache) == want, (trial, c, week)


def test_islands_agree_with_rustworkx_components():
    rng = np.random.default_rng(3)
    for trial in range(30):
        count = int(rng.integers(1, 400))
        edges = int(rng.integers(0, count + 1))
        u, v = rng.integers(0, count, edges), rng.integers(0, count, edges)
        label = bridges.islands(count, u, v)
        graph = rx.PyGraph()
        graph.add_nodes_from(range(count))
        graph.add_edges_from_no_data(list(zip(u.tolist(), v.tolist(), strict=True)))
        want = {frozenset(part) for part in rx.connected_components(graph)}
        got = {frozenset(np.flatnonzero(label == i).tolist()) for i in range(label.max() + 1)}
        assert got == want, trial
        sizes = np.bincount(label)
        assert sizes[0] == sizes.max() and (np.diff(sizes) <= 0).all(), trial
