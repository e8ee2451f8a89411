"""A round written in steps (bot.pairing.writing): members at once, introductions in units.

Between two steps the round is active and everything else runs: these tests stop a
round after some of its steps and change it the ways members do (step out of a pair or
a trio, ask to join another pair, wait for the follow-up), then let it finish, and
check that nobody gone is introduced and nobody is introduced twice. A prepared match
is used only while the facts it was built from are unchanged (bot.pairing.inputs).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.core.offload import Compute
from bot.pairing.followup import FollowUps
from bot.pairing.rounds import RoundService
from bot.pairing.writing import RoundWriter
from tests.support.world import WS, World, buttons, text


def started(w: World):
    round_, plan = RoundService(w.ctx).start(WS, w.group, started_by="fran", steps=True)
    w.db.conn.commit()
    return round_, plan


def step(w: World, round_id: int) -> bool:
    with w.db.atomic():
        more = RoundWriter(w.ctx, slots_per_step=1).queue_step(round_id)
    w.db.conn.commit()
    return more


def slot_of(w: World, round_id: int, slot: int) -> list[str]:
    return RoundService(w.ctx).slot_members(round_id, slot)


def intros(w: World) -> Counter:
    return Counter(tuple(sorted(t.user_ids)) for t, m in w.messenger.sent
                   if t.user_ids and "paired for a debrief" in text(m))


async def test_steps_introduce_every_slot_once_and_resume_where_they_stopped(tmp_path):
    w = World.pairing(tmp_path)
    people = ["alice", "bob", "carol", "dan", "erin", "gus", "hal", "ivy"]
    await w.join(*people)
    round_, plan = started(w)
    assert len(plan.proposal.groups) == 4
    assert w.outbox("pairing.intro") == []  # only the members so far
    assert w.db.execute("SELECT count(*) FROM pairing_round_members WHERE round_id = ?",
                        [round_.id]).fetchone()[0] == 8
    assert step(w, round_.id) and step(w, round_.id)
    assert len(w.outbox("pairing.intro")) == 2
    assert RoundWriter(w.ctx).unfinished() == [round_.id]
    assert RoundWriter(w.ctx).finish_all(pause=lambda _: None) == 1  # as the tick does
    assert RoundWriter(w.ctx).unfinished() == [] and not step(w, round_.id)
    await w.drain()
    assert sorted(intros(w).values()) == [1, 1, 1, 1]
    assert sorted(u for group in intros(w) for u in group) == sorted(people)


async def test_leaving_a_pair_before_its_introduction_introduces_nobody(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan")
    round_, _ = started(w)
    assert step(w, round_.id)  # slot 0 introduced, slot 1 not yet
    leaver, partner = slot_of(w, round_.id, 1)
    await w.say(leaver, "pair leave")
    assert not step(w, round_.id)
    await w.drain()
    assert len(intros(w)) == 1 and all(leaver not in g and partner not in g for g in intros(w))
    notice = w.messenger.to(partner)[-1]
    assert f"{leaver} can't make this *Circle* round after all" in text(notice)
    assert w.messenger.to(leaver) == [] or all(
        "paired for a debrief" not in text(m) for m in w.messenger.to(leaver))


async def test_leaving_a_trio_before_its_introduction_introduces_the_two_once(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol")
    round_, _ = started(w)
    trio = slot_of(w, round_.id, 0)
    assert len(trio) == 3
    await w.say(trio[2], "pair leave")
    RoundWriter(w.ctx).finish(round_.id, pause=lambda _: None)
    await w.drain()
    assert intros(w) == Counter({tuple(sorted(trio[:2])): 1})


async def test_a_re_pair_joins_only_a_pair_already_introduced(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan", "erin", "gus")
    round_, _ = started(w)
    assert step(w, round_.id)  # slot 0 introduced; slots 1 and 2 not yet
    await w.drain()
    leaver, partner = slot_of(w, round_.id, 0)
    await w.say(leaver, "pair leave")
    await w.drain()
    offer = w.messenger.to(partner)[-1]
    answer = await w.tap(partner, buttons(offer)["Join another pair"])
    assert "joined" not in answer  # slots 1 and 2 are not introduced yet: not joined
    RoundWriter(w.ctx).finish(round_.id, pause=lambda _: None)
    await w.drain()
    later = {g: n for g, n in intros(w).items() if leaver not in g}
    assert sorted(later.values()) == [1, 1] and all(len(g) == 2 for g in later)
    assert all(partner not in g for g in later)


async def test_follow_ups_wait_until_every_introduction_is_queued(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan")
    round_, _ = started(w)
    later = w.clock.now() + timedelta(days=30)
    assert FollowUps(w.ctx).due(later) == []
    RoundWriter(w.ctx).finish(round_.id, pause=lambda _: None)
    assert [r.id for r in FollowUps(w.ctx).due(later)] == [round_.id]


class CountingCompute(Compute):
    def __init__(self) -> None:
        super().__init__(inline=True)
        self.calls = 0

    def run(self, fn, *args):
        self.calls += 1
        return fn(*args)


async def test_a_prepared_match_is_used_only_while_its_facts_are_unchanged(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan", "erin")
    service = RoundService(w.ctx)
    compute = w.ctx.compute = CountingCompute()
    changes = [
        ("nothing", None),
        ("hours", lambda: w.say("alice", "pair hours 10:00-16:00")),
        ("conflict", lambda: w.say("bob", "pair avoid carol")),
        ("skip", lambda: w.say("dan", "pair skip")),
        ("zone", lambda: w.ctx.members.update_profile(WS, "erin", timezone="Asia/Tokyo")),
    ]
    for name, change in changes:
        prepared = service.plan(WS, w.group)
        before = compute.calls
        if change is not None:
            done = change()
            if hasattr(done, "__await__"):
                await done
            w.db.conn.commit()
        again = service.plan(WS, w.group, None, prepared)
        if name == "nothing":
            assert again is prepared and compute.calls == before, name
        else:
            assert again is not prepared and compute.calls == before + 1, name
            assert again.facts != prepared.facts, name


async def test_a_preview_keeps_no_facts_and_is_never_taken_for_a_prepared_match(tmp_path):
    """The preview's plan keeps no facts (they were 3 MB of a 10,000-member preview's
    peak memory); handed in as a prepared match anyway, it is matched again, not used."""
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan")
    service = RoundService(w.ctx)
    compute = w.ctx.compute = CountingCompute()
    preview = service.plan(WS, w.group, facts=False)
    assert preview.facts is None and preview.proposal.groups
    again = service.plan(WS, w.group, None, preview)
    assert again is not preview and compute.calls == 2
    assert again.facts is not None and again.proposal.groups == preview.proposal.groups
