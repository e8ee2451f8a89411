"""kill -9 at random points of a real check-in fan-out and a real pairing round.

A worker process runs what the runtime runs after a start: recover the in-flight
outbox rows, run the topic's job (the check-in tick; the pairing tick, which runs a
pending round whose time has come), and drain. It SIGKILLs itself at a random step,
where a step is *any SQL statement* (via ``sqlite3``'s trace callback: inside the
round's transaction, between enqueue and commit, in claim, in mark-sent) or either
side of a platform call. The test restarts it until it finishes, then compares the
fake platform's log with the outbox:

- every message the round created was delivered (0 lost),
- with ``find_delivered`` (the platform searched for the exact message): none twice;
  without it, repeats stay within the in-flight window (``concurrency`` per crash),
- the check-in round opened one prompt per member; the pairing round committed once.

``pairing-steps`` is the pairing round with its introductions queued two slots per
unit of work (bot.pairing.writing), so kills land between and inside those steps too:
the restart's tick resumes them, none lost or doubled.

Figures: ``python tests/test_faults_rounds.py report checkins 30`` (and ``pairing``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.paths import REPO

NOW = datetime(2026, 1, 5, 9, 5, tzinfo=UTC)  # Monday, just after the 09:00 check-ins
MEMBERS = 12
CONCURRENCY = 4
WS = "W"


# ---- the worker ------------------------------------------------------------------------


class Killer:
    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.steps = 0

    def step(self, *_: object) -> None:
        self.steps += 1
        if self.steps == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


class PlatformLog:
    """Delivered = a JSON line (target, text), fsynced before the send returns."""

    def __init__(self, path: Path, killer: Killer, db, probe: bool) -> None:
        self.path, self.killer, self.db = path, killer, db
        if probe:
            self.find_delivered = self._find

    async def send(self, workspace_id, target, message) -> str:
        self.killer.step()
        line = json.dumps({"target": target.key(), "text": message.text()})
        with self.path.open("a") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.killer.step()
        return "ref"

    async def _find(self, workspace_id, target, round_key) -> str | None:
        from bot.core.serialize import message_from_json

        row = self.db.execute(
            "SELECT payload FROM outbox WHERE workspace_id = ? AND round_key = ?"
            " AND target_key = ?", [workspace_id, round_key, target.key()]).fetchone()
        wanted = json.dumps({"target": target.key(), "text": message_from_json(row[0]).text()})
        lines = self.path.read_text().splitlines() if self.path.exists() else []
        return "found" if wanted in lines else None


def context(db_path: str):
    from bot.core.clock import ManualClock
    from bot.core.config import parse_config
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = parse_config({
        "bot": {"database": db_path},
        "delivery": {"concurrency": CONCURRENCY},
        "groups": [{"name": "Circle", "pairing": {"heads_up_hours": 1}}],
    })
    return assemble(settings, open_database(db_path), ManualClock(NOW), "console")


def setup(db_path: str, scenario: str) -> None:
    from bot.core.members import MemberService
    from bot.core.model import Actor, Invocation
    from bot.pairing.rounds import RoundService

    asm = context(db_path)
    ctx = asm.ctx
    ctx.clock.set(NOW - timedelta(days=3))
    asm.core.prepare_workspace(WS)
    group = ctx.members.group_by_name(WS, "Circle")
    for n in range(MEMBERS):
        who = Actor(WS, f"u{n:02d}", f"u{n:02d}")
        ctx.members.ensure_member(who)
        MemberService(ctx.db, ctx.clock).record_consent(who)
        ctx.members.join_group(WS, group.id, who.user_id)
        ctx.members.set_hold(WS, group.id, who.user_id, None)  # as after agreeing
        if scenario.startswith("pairing"):
            asyncio.run(asm.core.handle_invocation(Invocation(who, "peer", "pair join")))
    if scenario.startswith("pairing"):  # the heads-up job ran an hour before: round pending
        ctx.clock.set(NOW - timedelta(hours=1))
        RoundService(ctx).announce(WS, group, NOW, notify=False)
    ctx.db.execute("DELETE FROM outbox")  # only the round under test is counted
    ctx.db.commit()


def run(db_path: str, log_path: str, scenario: str, kill_at: int, probe: bool) -> None:
    from bot.runtime import deliverer_for

    killer = Killer(kill_at)
    asm = context(db_path)
    ctx = asm.ctx
    ctx.db.conn.set_trace_callback(killer.step)
    deliverer = deliverer_for(ctx, PlatformLog(Path(log_path), killer, ctx.db, probe))

    async def main() -> None:
        await deliverer.recover_in_flight()
        if scenario == "checkins":
            from bot.checkins.jobs import tick

            tick(ctx)
        else:
            from bot.pairing import writing
            from bot.pairing.jobs import _tick

            if scenario == "pairing-steps":  # introductions queued 2 slots per unit
                writing.SLOTS_PER_STEP = 2
            _tick(ctx)
        await deliverer.drain_until_idle(max_wait=5)

    asyncio.run(main())
    print(killer.steps)


# ---- the parent ------------------------------------------------------------------------


def worker(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, __file__, "worker", str(tmp / "bot.sqlite"), str(tmp / "platform.log"),
         *args],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120,
    )


def steps_of_a_clean_run(tmp: Path, scenario: str) -> int:
    scratch = tmp / "scratch"
    scratch.mkdir()
    for f in tmp.glob("bot.sqlite*"):
        shutil.copy(f, scratch / f.name)
    done = worker(scratch, scenario, "0", "1")
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def outcome(tmp: Path, scenario: str) -> dict[str, int]:
    from bot.core.serialize import message_from_json
    from bot.store.db import open_database

    db = open_database(tmp / "bot.sqlite")
    lines = (tmp / "platform.log").read_text().splitlines()
    delivered = Counter(lines)
    rows = db.execute("SELECT target_key, payload, status FROM outbox").fetchall()
    expected = Counter(json.dumps({"target": t, "text": message_from_json(p).text()})
                       for t, p, _ in rows)
    result = {
        "messages": len(rows),
        "lost": sum(1 for key in expected if delivered[key] == 0)
        + sum(1 for *_, status in rows if status != "sent"),
        "duplicated": sum(max(delivered[key] - n, 0) for key, n in expected.items()),
        "unexpected": sum(1 for key in delivered if key not in expected),
    }
    if scenario == "checkins":
        result["rounds_ok"] = int(
            db.execute("SELECT count(*) FROM checkin_prompts").fetchone()[0] == MEMBERS
            and len(rows) == MEMBERS)
    else:
        statuses = [r[0] for r in db.execute("SELECT status FROM pairing_rounds").fetchall()]
        placed = db.execute("SELECT count(*) FROM pairing_round_members").fetchone()[0]
        result["rounds_ok"] = int(statuses == ["active"] and placed == MEMBERS)
    db.close()
    return result


def crash_and_recover(tmp: Path, scenario: str, seed: int, crashes: int, probe: bool):
    from bot.store.db import open_database

    open_database(tmp / "bot.sqlite").close()
    setup(str(tmp / "bot.sqlite"), scenario)
    total = steps_of_a_clean_run(tmp, scenario)
    rng, kills = random.Random(seed), 0
    for _ in range(crashes):
        done = worker(tmp, scenario, str(rng.randint(1, total)), "1" if probe else "0")
        if done.returncode == -signal.SIGKILL:
            kills += 1
        else:
            assert done.returncode == 0, done.stderr
    done = worker(tmp, scenario, "0", "1" if probe else "0")
    assert done.returncode == 0, done.stderr
    return outcome(tmp, scenario) | {"kills": kills, "steps": total}


@pytest.mark.parametrize("scenario", ["checkins", "pairing", "pairing-steps"])
@pytest.mark.parametrize("seed", range(2))
def test_kill_9_mid_round_with_probe_is_exactly_once(tmp_path, scenario, seed):
    result = crash_and_recover(tmp_path, scenario, seed, 3, probe=True)
    assert result["kills"] >= 1
    assert result["rounds_ok"] == 1, result
    assert (result["lost"], result["duplicated"], result["unexpected"]) == (0, 0, 0), result


@pytest.mark.parametrize("scenario", ["checkins", "pairing"])
def test_kill_9_mid_round_without_probe_repeats_only_in_flight(tmp_path, scenario):
    result = crash_and_recover(tmp_path, scenario, 11, 3, probe=False)
    assert result["rounds_ok"] == 1, result
    assert result["lost"] == 0 and result["unexpected"] == 0, result
    assert result["duplicated"] <= result["kills"] * CONCURRENCY, result


def report(scenario: str, trials: int) -> None:
    import tempfile

    for probe in (True, False):
        totals: Counter = Counter()
        for seed in range(trials):
            with tempfile.TemporaryDirectory() as tmp:
                totals.update(crash_and_recover(Path(tmp), scenario, seed, 3, probe))
        totals["trials"] = trials
        print(f"{scenario} probe={probe}: {dict(totals)}")


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    db_arg, log_arg, scenario_arg, kill_arg, probe_arg = sys.argv[2:7]
    run(db_arg, log_arg, scenario_arg, int(kill_arg), probe_arg == "1")
elif __name__ == "__main__" and sys.argv[1:2] == ["report"]:
    report(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 30)
