"""Every benchmark in bench/ still runs, at a toy size.

The figures in docs/benchmarks.md are only worth their commands: a benchmark that no
longer runs (an agreement now holds members back, a fake's helper changed its return
value) silently stops backing its figure. This runs each command the docs give, shrunk,
and checks it measured what it says. No timing is asserted here: speed belongs to the
benchmarks themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (command after `python`, a line the output must contain to show it measured something)
RUNS = [
    (["bench/bench_pairing_round.py", "40"], "conflicts_paired"),
    (["bench/bench_matching.py", "--sizes", "60", "--runs", "1"], "| 60 |"),
    (["bench/bench_tick.py", "--members", "60", "--runs", "1"], "opened by the first tick: 60"),
    (["bench/bench_fanout.py", "--members", "40", "--rate", "50"], "open_round_seconds"),
    (["bench/bench_discord_fanout.py", "--members", "20", "--rate", "50"],
     "every member exactly once: True"),
    (["bench/bench_fanout_http.py", "--platform", "slack", "--members", "20", "--runs", "1"],
     "lost 0, doubled 0"),
    (["bench/bench_fanout_http.py", "--platform", "discord", "--members", "20", "--runs", "1"],
     "lost 0, doubled 0"),
    (["bench/bench_send_floor.py", "--platform", "slack", "--messages", "60", "--runs", "1"],
     "every message exactly once: 1 of 1 runs; left unsettled 0; 429s 0"),
    (["bench/bench_send_floor.py", "--platform", "discord", "--messages", "60", "--runs", "1",
      "--settle", "inline"], "every message exactly once: 1 of 1 runs; left unsettled 0; 429s 0"),
    (["bench/bench_ack_pairing.py", "--members", "30", "--rate", "5"], "ack: p50"),
    (["bench/bench_ack.py", "--members", "30", "--seconds", "2", "--rate", "5"],
     "ack whole window"),
    (["bench/bench_monitoring.py", "--rows", "500", "--runs", "1"], "/metrics: 500 outbox rows"),
    (["bench/bench_charts.py", "--runs", "1"], "pulse: first draw"),
    (["bench/bench_tap_edit.py", "--taps", "2", "--runs", "1"], "tap -> edit, median"),
]


@pytest.mark.parametrize(("command", "expected"), RUNS, ids=[" ".join(c[:1] + c[1:3])
                                                             for c, _ in RUNS])
def test_benchmark_runs_at_a_toy_size(command: list[str], expected: str,
                                      tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=_clean_env(tmp_path))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert expected in output, output[-3000:]


def test_every_benchmark_is_run_here() -> None:
    """A new benchmark joins this list, so it cannot rot unseen either."""
    run = {command[0] for command, _ in RUNS}
    slow_on_purpose = {"bench/bench_pulse_attacks.py"}  # its attacks run in tests/checkins
    helpers = {"bench/fake_platforms.py"}  # started by the fan-out and ack benchmarks
    present = {f"bench/{p.name}" for p in (ROOT / "bench").glob("*.py")}
    assert present - helpers - slow_on_purpose == run


def _clean_env(tmp_path: Path) -> dict[str, str]:
    """No tokens or PEERBOT_* settings from the caller's shell reach the benchmark."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PEERBOT_", "SLACK_", "DISCORD_"))}
    env["TMPDIR"] = str(tmp_path)
    return env
