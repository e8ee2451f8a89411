"""kill -9 in the middle of a fan-out, restart, and count what was lost or sent twice.

A worker process creates a round (its outbox rows in one transaction) and drains it
through a fake platform that appends each delivered message to a file (flushed and
fsynced, like a message the platform has accepted). The worker SIGKILLs itself at a
random step: while enqueueing, just before a platform call, or just after it and
before the outbox row is marked sent (the documented in-flight window). The test
restarts it (recover in-flight rows, re-run the idempotent round job, drain) until it
finishes, then counts deliveries per recipient from the platform's file.

- With ``find_delivered`` (the platform can say whether a message went out): 0 lost,
  0 duplicated.
- Without it: 0 lost; duplicates only for rows caught in flight, at most
  ``concurrency`` per crash.

Figures: ``python tests/test_faults_crash.py report 50`` (see docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.support.paths import REPO

ROUND = "round-2026-01-05"
CONCURRENCY = 4


# ---- the worker (runs in a subprocess) -----------------------------------------------


class Killer:
    """Counts steps and SIGKILLs this process at step ``kill_at`` (0: never)."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


class PlatformFile:
    """A fake platform: a delivered message is a line in a file, durable once written."""

    def __init__(self, path: Path, killer: Killer, probe: bool, delay: float) -> None:
        self.path = path
        self.killer = killer
        self.delay = delay
        if probe:
            self.find_delivered = self._find

    async def send(self, workspace_id, target, message) -> str:
        self.killer.step()  # crash before the platform call
        await asyncio.sleep(self.delay)
        line = f"{workspace_id}|{target.key()}|{message.text()}\n"
        with self.path.open("a") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        self.killer.step()  # crash after the platform accepted it, before mark_sent
        return f"ref-{target.key()}"

    async def _find(self, workspace_id, target, round_key) -> str | None:
        if not self.path.exists():
            return None
        prefix = f"{workspace_id}|{target.key()}|{round_key}"
        lines = self.path.read_text().splitlines()
        return f"ref-{target.key()}" if any(x.startswith(prefix) for x in lines) else None


def worker(db_path: str, log_path: str, members: int, kill_at: int, probe: bool,
           delay: float = 0.0) -> None:
    from bot.core.clock import SystemClock
    from bot.core.config import parse_config
    from bot.core.model import Message, Target
    from bot.runtime import build_context, deliverer_for
    from bot.store.db import open_database, write_transaction

    killer = Killer(kill_at)
    settings = parse_config({"bot": {"database": db_path},
                             "delivery": {"concurrency": CONCURRENCY}})
    ctx = build_context(settings, open_database(db_path), SystemClock())
    ctx.members.ensure_workspace("W", "console")
    # The round job: idempotent, all of a round's messages in one transaction.
    with write_transaction(ctx.db):
        for n in range(members):
            killer.step()
            ctx.outbox.enqueue("W", ROUND, Target(user_id=f"U{n:03d}"),
                               Message(fallback=f"{ROUND} prompt for U{n:03d}"))
    deliverer = deliverer_for(ctx, PlatformFile(Path(log_path), killer, probe, delay))

    async def main() -> None:
        await deliverer.recover_in_flight()
        await deliverer.drain_until_idle(max_wait=5)

    asyncio.run(main())
    print(killer.steps)


# ---- the tests ---------------------------------------------------------------------------


def spawn(tmp: Path, members: int, kill_at: int, probe: bool, delay: float = 0.0):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, __file__, "worker", str(tmp / "bot.sqlite"), str(tmp / "platform.log"),
         str(members), str(kill_at), "1" if probe else "0", str(delay)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def deliveries(tmp: Path) -> Counter:
    path = tmp / "platform.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return Counter(line.split("|")[1] for line in lines)


def crash_and_recover(tmp: Path, rng: random.Random, members: int, crashes: int, probe: bool):
    """Crash ``crashes`` times at random steps, then run to completion; return counts."""
    kills = 0
    for _ in range(crashes):
        proc = spawn(tmp, members, rng.randint(1, members * 3), probe)
        _, err = proc.communicate(timeout=120)
        if proc.returncode == -signal.SIGKILL:
            kills += 1
        else:
            assert proc.returncode == 0, err
    proc = spawn(tmp, members, 0, probe)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    counts = deliveries(tmp)
    lost = sum(1 for n in range(members) if counts[f"user:U{n:03d}"] == 0)
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    return lost, duplicated, kills


@pytest.mark.parametrize("seed", range(4))
def test_kill_9_with_platform_probe_loses_and_duplicates_nothing(tmp_path, seed):
    lost, duplicated, kills = crash_and_recover(tmp_path, random.Random(seed), 20, 3, True)
    assert kills >= 1
    assert (lost, duplicated) == (0, 0)


@pytest.mark.parametrize("seed", range(4))
def test_kill_9_without_probe_duplicates_only_the_in_flight_window(tmp_path, seed):
    lost, duplicated, kills = crash_and_recover(tmp_path, random.Random(seed), 20, 3, False)
    assert lost == 0
    assert duplicated <= kills * CONCURRENCY


def test_kill_9_from_outside_at_random_moments(tmp_path):
    """The parent kills the worker after a random delay, wherever it happens to be."""
    rng = random.Random(7)
    members, kills = 40, 0
    for _ in range(5):
        proc = spawn(tmp_path, members, 0, True, delay=0.002)
        time.sleep(rng.uniform(0.05, 0.6))
        proc.kill()
        proc.communicate(timeout=60)
        kills += proc.returncode == -signal.SIGKILL
    proc = spawn(tmp_path, members, 0, True)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    counts = deliveries(tmp_path)
    assert sorted(counts) == sorted(f"user:U{n:03d}" for n in range(members))
    assert max(counts.values()) == 1


def report(trials: int) -> None:
    """Print the figures for docs/reliability.md (``... test_faults_crash.py report 50``)."""
    import tempfile

    for probe in (True, False):
        totals = Counter()
        for seed in range(trials):
            with tempfile.TemporaryDirectory() as tmp:
                lost, duplicated, kills = crash_and_recover(Path(tmp), random.Random(seed), 20, 3,
                                                            probe)
            totals.update(trials=1, kills=kills, lost=lost, duplicated=duplicated,
                          messages=20)
        print(f"probe={probe}: {dict(totals)}")


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    db, log, n, kill_at, probe, delay = sys.argv[2:8]
    worker(db, log, int(n), int(kill_at), probe == "1", float(delay))
elif __name__ == "__main__" and sys.argv[1:2] == ["report"]:
    report(int(sys.argv[2]) if len(sys.argv) > 2 else 50)
