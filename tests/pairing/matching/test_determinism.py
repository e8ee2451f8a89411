"""Matching: the same inputs and seed give the same groups, in any process."""

import os
import subprocess
import sys

from bot.pairing.matching.solver import Candidate, MatchConfig, match
from tests.support.paths import REPO

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
SCRIPT = """
from bot.pairing.matching.solver import Candidate, MatchConfig, match
from tests.support.paths import REPO
members = [Candidate(f"m{i}", tz=["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"][i % 4])
           for i in range(41)]
conflicts = {frozenset((f"m{i}", f"m{i + 1}")) for i in range(0, 40, 3)}
for limit in (300, 0):
    print(match(members, conflicts, config=MatchConfig(seed=5, exact_limit=limit)).groups)
"""


def members(n):
    return [Candidate(f"m{i}", tz=ZONES[i % 4]) for i in range(n)]


def test_same_seed_same_groups():
    first = match(members(41), config=MatchConfig(seed=3))
    again = match(list(reversed(members(41))), config=MatchConfig(seed=3))
    assert first.groups == again.groups
    assert first.score == again.score


def test_different_seeds_break_ties_differently():
    results = {tuple(match(members(20), config=MatchConfig(seed=s)).groups) for s in range(6)}
    assert len(results) > 1


def test_sparse_path_is_deterministic_too():
    cfg = MatchConfig(seed=9, exact_limit=0, candidates_per_member=3)
    assert match(members(64), config=cfg).groups == match(members(64), config=cfg).groups


def test_windows_path_is_deterministic_too():
    cfg = MatchConfig(seed=9, exact_limit=0, sparse_limit=0, window_size=10)
    assert match(members(65), config=cfg).groups == match(members(65), config=cfg).groups


def test_same_groups_across_processes_and_hash_seeds():
    root = REPO
    outputs = set()
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
