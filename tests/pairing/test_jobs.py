"""The pairing jobs own their units of work: each step commits alone, a failing one alone."""

from __future__ import annotations

from datetime import timedelta

from bot.pairing.followup import FollowUps
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import RoundService
from tests.support.world import WS, World


async def two_rounds_due(w: World) -> tuple[int, int]:
    """Circle and Ring each run a round; their follow-ups fall due a minute apart."""
    ring = w.ctx.members.ensure_group(WS, "Ring")
    await w.join("alice", "bob", "carol", "dan")
    for user in ("carol", "dan"):
        await w.say(user, "pair leave")
        PairingMembers(w.db, w.clock).join(WS, ring.id, user)
        w.ctx.members.set_hold(WS, ring.id, user, None)  # as after agreeing
    circle_round, _ = RoundService(w.ctx).start(WS, w.group, started_by="fran")
    w.clock.advance(timedelta(minutes=1))
    ring_round, _ = RoundService(w.ctx).start(WS, ring, started_by="fran")
    return circle_round.id, ring_round.id


def status(w: World, round_id: int) -> str:
    return w.db.execute("SELECT status FROM pairing_rounds WHERE id = ?", [round_id]).fetchone()[0]


async def test_a_failing_follow_up_is_rolled_back_alone_and_the_next_still_goes_out(
        tmp_path, monkeypatch):
    w = World.pairing(tmp_path)  # both groups: the default follow-up after 4 days
    circle, ring = await two_rounds_due(w)
    original = FollowUps.send

    def send_then_fail_for_circle(self, round_):
        queued = original(self, round_)  # its writes happen, then the step fails
        if round_.id == circle:
            raise RuntimeError("boom")
        return queued

    monkeypatch.setattr(FollowUps, "send", send_then_fail_for_circle)
    await w.wait(timedelta(days=4, minutes=5))
    assert status(w, circle) == "active"  # rolled back: tried again on the next tick
    assert status(w, ring) == "closed"
    assert len(w.outbox("pairing.followup")) == 2  # carol's and dan's, none of Circle's
    monkeypatch.setattr(FollowUps, "send", original)
    await w.wait(timedelta(minutes=5))
    assert status(w, circle) == "closed" and len(w.outbox("pairing.followup")) == 4


async def test_the_tick_commits_each_step_without_a_transaction_left_open(tmp_path):
    w = World.pairing(tmp_path)  # both groups: the default follow-up after 4 days
    await two_rounds_due(w)
    await w.wait(timedelta(days=4, minutes=5))
    assert not w.db.conn.in_transaction
    assert [s for (s,) in w.db.execute("SELECT status FROM pairing_rounds")] == ["closed"] * 2
