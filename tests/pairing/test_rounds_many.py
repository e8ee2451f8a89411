"""Many rounds through the service: conflicts never paired, nobody dropped, the trio rotates."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.pairing.followup import FollowUps
from bot.pairing.rounds import RoundService
from tests.support.world import WS, World

NAMES = [f"m{i:02d}" for i in range(11)]


async def test_eight_rounds_keep_every_promise(tmp_path):
    w = World.pairing(tmp_path, pairing={"recent_rounds": 3})
    rng = random.Random(7)
    await w.join(*NAMES)
    for _ in range(6):
        a, b = rng.sample(NAMES, 2)
        await w.say(a, f"pair avoid @{b}")
    conflicts = w.ctx.db.execute("SELECT user_id, other_id FROM pairing_conflicts").fetchall()
    banned = {frozenset(c) for c in conflicts}
    service = RoundService(w.ctx)
    trio_last: set[str] = set()
    for _ in range(8):
        _, plan = service.start(WS, w.group, started_by="fran")
        placed = [u for g in plan.proposal.groups for u in g]
        assert sorted(placed + list(plan.proposal.unpaired)) == NAMES
        for group in plan.proposal.groups:
            assert not any(frozenset((a, b)) in banned for a in group for b in group if a < b)
        trio = {u for g in plan.proposal.groups if len(g) == 3 for u in g}
        assert not (trio & trio_last)  # nobody in the trio twice in a row
        trio_last = trio
        w.clock.advance(timedelta(days=5))
        for round_ in FollowUps(w.ctx).due(w.clock.now()):
            FollowUps(w.ctx).send(round_)
