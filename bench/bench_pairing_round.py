"""End-to-end pairing round through the service: SQLite file, matching, intros in the outbox.

Measures what a facilitator waits for after `/peer pair round` (plan + commit + enqueue)
and what `/peer pair preview` costs, with 12 rounds of history and 1% of members
declaring a conflict. The matching engine's own figures are in bench/bench_matching.py.

    .venv/bin/python bench/bench_pairing_round.py 100 500 2000
    .venv/bin/python bench/bench_pairing_round.py --preview 10000 [KEEP_DIR]

``--preview N`` builds the N-member group with 12 rounds of history, then measures
`/peer pair preview` (plan, the preview's blocks with the not-yet-met summary) in a
fresh process on that database file: wall time and that process's peak RSS.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.agreements.service import AgreementService
from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.members import MemberService
from bot.core.model import Actor
from bot.pairing.followup import FollowUps
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import RoundService
from bot.runtime import assemble
from bot.store.db import open_database

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/Los_Angeles", "Europe/Berlin"]
SPECIALTIES = ["trauma", "addiction", "grief", "child and family", None]


def context(directory: Path):
    settings = parse_config({"bot": {"database": str(directory / "bench.sqlite")},
                             "groups": [{"name": "Circle", "pairing": {"follow_up_days": 1}}]})
    clock = ManualClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    db = open_database(settings.bot.database)
    return assemble(settings, db, clock, "console").ctx, clock


def world(directory: Path, size: int, seed: int = 1):
    ctx, clock = context(directory)
    ctx.members.ensure_workspace("W", "console")
    group = ctx.members.ensure_group("W", "Circle")
    db = ctx.db
    people = PairingMembers(db, clock)
    rng = random.Random(seed)
    users = [f"u{i:05d}" for i in range(size)]
    agreements = AgreementService(ctx)
    version = agreements.current(group).version
    for user in users:
        actor = Actor("W", user, user)
        ctx.members.ensure_member(actor)
        MemberService(db, clock).record_consent(actor)
        ctx.members.update_profile("W", user, timezone=rng.choice(ZONES),
                                   specialty=rng.choice(SPECIALTIES))
        people.join("W", group.id, user)
        agreements.agree(group, user, version)  # members wait on the group's agreement
    for user in rng.sample(users, max(1, size // 100)):
        people.avoid("W", user, rng.choice([u for u in users if u != user]))
    return ctx, clock, group


def main(sizes: list[int]) -> None:
    print("members  history  preview_s  round_s  groups  conflicts_paired")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            ctx, clock, group = world(Path(tmp), size)
            service = RoundService(ctx)
            history(ctx, clock, group)
            started = time.perf_counter()
            plan = service.plan("W", group)
            preview = time.perf_counter() - started
            started = time.perf_counter()
            _, plan = service.start("W", group, started_by="bench")
            took = time.perf_counter() - started
            bad = sum(1 for g in plan.proposal.groups for a in g for b in g
                      if a < b and frozenset((a, b)) in plan.inputs.conflicts)
            print(f"{size:7d}  {12:7d}  {preview:9.2f}  {took:7.2f}  "
                  f"{len(plan.proposal.groups):6d}  {bad:16d}")
            ctx.db.close()


def history(ctx, clock, group) -> None:
    service = RoundService(ctx)
    for _ in range(12):
        service.start("W", group, started_by="bench")
        clock.advance(timedelta(days=1, hours=1))
        for round_ in FollowUps(ctx).due(clock.now()):
            FollowUps(ctx).send(round_)


def preview(size: int, keep: str | None = None) -> None:
    """Build the group, then measure the preview in a fresh process (its own peak RSS).

    With a ``keep`` directory the database is built there once and reused.
    """
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(keep or tmp)
        if not (where / "bench.sqlite").exists():
            where.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            ctx, clock, group = world(where, size)
            history(ctx, clock, group)
            ctx.db.close()
            print(f"built {size} members and 12 rounds in {time.perf_counter() - started:.0f} s")
        for _ in range(3):
            subprocess.run([sys.executable, __file__, "--measure-preview", str(where)],
                           check=True)


def high_water_mib() -> float:
    """This process's peak RSS (VmHWM; ru_maxrss would carry the parent's over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_preview(directory: Path) -> None:
    from bot.pairing.views import preview_blocks

    ctx, _ = context(directory)
    group = ctx.members.ensure_group("W", "Circle")
    service = RoundService(ctx)
    base = high_water_mib()
    print(f"peak RSS after imports and opening the database: {base:.0f} MiB")
    started = time.perf_counter()
    plan = service.plan("W", group, facts=False)  # as the command does (bot.pairing.commands)
    blocks = preview_blocks(ctx, service, plan)
    took = time.perf_counter() - started
    peak = high_water_mib()
    print(f"preview of {len(plan.participants)} members: {took:.2f} s, peak RSS {peak:.0f} MiB "
          f"(of which {base:.0f} MiB before the preview), {len(blocks)} blocks, "
          f"method {plan.proposal.method}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--preview"]:
        preview(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
    elif sys.argv[1:2] == ["--measure-preview"]:
        measure_preview(Path(sys.argv[2]))
    else:
        main([int(a) for a in sys.argv[1:]] or [100, 500])
