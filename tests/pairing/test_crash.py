"""kill -9 around a pairing round: no half round before the commit, each intro once after it.

A worker process builds a group of five, then either dies inside the round's transaction
(after its intros were enqueued, before COMMIT) or commits the round and dies in the
drainer's in-flight window (after the platform accepted an intro, before the outbox row
was marked sent). The platform is a file of delivered messages.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.support.paths import REPO


class FilePlatform:
    """Delivered = a line in a file; ``find_delivered`` lets recovery ask what went out."""

    def __init__(self, path: Path, die_after_first: bool) -> None:
        self.path = path
        self.die_after_first = die_after_first

    async def send(self, workspace_id, target, message) -> str:
        with self.path.open("a") as fh:
            fh.write(f"{target.key()}\n")
            fh.flush()
            os.fsync(fh.fileno())
        if self.die_after_first:
            os.kill(os.getpid(), signal.SIGKILL)
        return f"ref-{target.key()}"

    async def find_delivered(self, workspace_id, target, round_key) -> str | None:
        if self.path.exists() and target.key() in self.path.read_text().splitlines():
            return f"ref-{target.key()}"
        return None


async def worker(directory: Path, mode: str) -> None:
    from bot.pairing.rounds import RoundService
    from tests.support.world import WS, World

    w = World.pairing(directory)
    if mode in ("before", "after"):
        await w.join("alice", "bob", "carol", "dan", "erin")
    if mode == "before":
        original = RoundService._enqueue_intros

        def enqueue_then_die(self, round_, plan):
            original(self, round_, plan)
            os.kill(os.getpid(), signal.SIGKILL)

        RoundService._enqueue_intros = enqueue_then_die
    if mode in ("before", "after"):
        RoundService(w.ctx).start(WS, w.group, started_by="fran")
    platform = FilePlatform(directory / "delivered.txt", die_after_first=mode == "after")
    w.deliverer.messenger = platform
    await w.deliverer.recover_in_flight()
    await w.deliverer.drain_once()


def run_worker(directory: Path, mode: str) -> int:
    return subprocess.run(
        [sys.executable, __file__, str(directory), mode], cwd=REPO, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ).returncode


def counts(db_path: Path, sql: str) -> int:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_kill_before_commit_leaves_no_round_and_no_message(tmp_path):
    assert run_worker(tmp_path, "before") == -signal.SIGKILL
    db = tmp_path / "peerbot.sqlite"
    assert counts(db, "SELECT count(*) FROM pairing_optins") == 5  # committed earlier
    assert counts(db, "SELECT count(*) FROM pairing_rounds") == 0
    assert counts(db, "SELECT count(*) FROM pairing_round_members") == 0
    assert counts(db, "SELECT count(*) FROM outbox") == 0


def test_kill_in_flight_after_commit_sends_each_intro_exactly_once(tmp_path):
    assert run_worker(tmp_path, "after") == -signal.SIGKILL
    db = tmp_path / "peerbot.sqlite"
    # Both intros were claimed (the in-flight window); the platform had accepted one.
    assert counts(db, "SELECT count(*) FROM outbox WHERE status = 'sending'") == 2
    assert len((tmp_path / "delivered.txt").read_text().splitlines()) == 1
    assert run_worker(tmp_path, "resume") == 0
    delivered = Counter((tmp_path / "delivered.txt").read_text().splitlines())
    assert sorted(delivered.values()) == [1, 1]  # a pair and a trio, each exactly once
    assert counts(db, "SELECT count(*) FROM outbox WHERE status = 'sent'") == 2
    assert counts(db, "SELECT count(*) FROM pairing_rounds WHERE status = 'active'") == 1


if __name__ == "__main__":
    asyncio.run(worker(Path(sys.argv[1]), sys.argv[2]))
