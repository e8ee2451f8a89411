"""A curious facilitator cannot infer a declared conflict from what they see (issue 12 B).

The facilitator records every preview and every round reply over many rounds. If the
views in a group where one pair declared a conflict equal the views where another pair
did (every choice of pair), and where nobody did, nothing they saw singles out a pair.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

from tests.support.world import World

SIX = ("p1", "p2", "p3", "p4", "p5", "p6")  # all in UTC, same hours: only conflicts differ
ROUNDS = 6


async def facilitator_sees(tmp_path, people, conflict=None, rounds=ROUNDS) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1})
    await w.join(*people)
    if conflict:
        assert "private" in await w.say(conflict[0], f"pair avoid @{conflict[1]}")
    seen = []
    for _ in range(rounds):
        seen.append(await w.say("fran", "pair preview"))
        seen.append(await w.say("fran", "pair round"))
        await w.wait(timedelta(days=1, hours=1))  # the follow-up closes the round
    w.db.close()
    return seen


async def test_every_conflict_pair_and_none_look_the_same_over_many_rounds(tmp_path):
    baseline = await facilitator_sees(tmp_path / "none", SIX)
    assert any("Proposed: 3 pair(s)" in view for view in baseline)
    for a, b in combinations(SIX, 2):
        seen = await facilitator_sees(tmp_path / f"{a}-{b}", SIX, (a, b))
        assert seen == baseline, (a, b)


async def test_no_view_names_anyone_taking_part(tmp_path):
    five = ("alice", "bob", "carol", "dan", "erin")
    seen = await facilitator_sees(tmp_path, five, ("alice", "bob"), rounds=4)
    for view in seen:
        for name in five:
            assert name not in view
        assert "Not yet met" not in view and "constraints" not in view


async def test_three_taking_part_a_conflict_shows_nothing_an_unlucky_draw_would_not(tmp_path):
    """Three people and no trio would betray a conflict, so small pools show no shape."""
    three = ("p1", "p2", "p3")
    baseline = await facilitator_sees(tmp_path / "none", three, rounds=3)
    for a, b in combinations(three, 2):
        assert await facilitator_sees(tmp_path / f"{a}-{b}", three, (a, b), rounds=3) == baseline
    assert "proposal is not shown" in baseline[0]


async def test_a_pool_of_two_that_cannot_pair_names_no_one_and_no_reason(tmp_path):
    """The one case a view differs (documented in docs/privacy.md): no round can run."""
    seen = await facilitator_sees(tmp_path, ("p1", "p2"), ("p1", "p2"), rounds=1)
    for view in seen:
        assert "p1" not in view and "p2" not in view
        assert "conflict" not in view.lower().split("declared conflicts")[0]
