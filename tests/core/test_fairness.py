"""Properties of the fair delivery order (bot.core.fairness, Outbox.claim_due).

Rows are queued in random orders by random flows and classes, then claimed one at a
time and marked sent, as the drain loop does; the claim order must put every class
before the next, let backlogged flows take turns (a late flow is not stuck behind an
early one's backlog, and a flood delays only its own flow) and never hold two sends to
one recipient.
"""

from __future__ import annotations

import functools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.clock import ManualClock
from bot.core.fairness import BULK, NORMAL, URGENT, class_of, flow_scope
from bot.core.model import Message, Target
from bot.core.outbox import Outbox, conversation
from bot.store.db import open_database

WS = "W1"


@functools.cache
def _db():
    db = open_database(":memory:")
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES (?, 'x', 'n')", [WS])
    return db


def _outbox() -> Outbox:
    db = _db()
    db.execute("DELETE FROM outbox")
    return Outbox(db, ManualClock())


def _queue(outbox: Outbox, flow: str, n: int, *, klass: int = NORMAL, to: str = "") -> None:
    with flow_scope(flow):
        for i in range(n):
            outbox.enqueue(WS, f"{flow}:{i}", Target(user_id=to or f"{flow}-{i}"),
                           Message(fallback="x"), priority=klass)


def _claim_all(outbox: Outbox, *, between=None) -> list:
    """Claim one row at a time and mark it sent; ``between(k)`` runs after k claims."""
    order = []
    while True:
        if between is not None:
            between(len(order))
        claimed = outbox.claim_due(1)
        if not claimed:
            return order
        outbox.mark_sent(claimed[0], "ref")
        order.append(claimed[0])


flows = st.lists(st.tuples(st.sampled_from([URGENT, NORMAL, BULK]), st.integers(1, 12)),
                 min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(flows)
def test_every_class_goes_before_the_next(spec):
    outbox = _outbox()
    for n, (klass, size) in enumerate(spec):
        _queue(outbox, f"f{n}", size, klass=klass)
    with outbox.db.conn:
        order = _claim_all(outbox)
    classes = [outbox.db.execute("SELECT priority FROM outbox WHERE id = ?", [i.id]).fetchone()[0]
               for i in order]
    assert classes == sorted(classes)
    assert len(order) == sum(size for _, size in spec)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=2, max_size=5))
def test_backlogged_flows_take_turns(sizes):
    outbox = _outbox()
    for n, size in enumerate(sizes):
        _queue(outbox, f"f{n}", size)
    order = _claim_all(outbox)
    served: Counter[str] = Counter()
    left = {f"f{n}": size for n, size in enumerate(sizes)}
    for item in order:
        flow = item.round_key.split(":")[0]
        served[flow] += 1
        left[flow] -= 1
        waiting = [f for f in left if left[f] > 0 or f == flow]
        counts = [served[f] for f in waiting]
        assert max(counts) - min(counts) <= 1, (served, left)


@settings(max_examples=60, deadline=None)
@given(big=st.integers(20, 200), head_start=st.integers(0, 19), late=st.integers(1, 15))
def test_a_late_flow_is_not_stuck_behind_an_early_backlog(big, head_start, late):
    """A fan-out of ``big`` rows has sent ``head_start`` when a member queues ``late``
    rows (a flood of their own): from then on they alternate, so the member's k-th
    row goes within 2k claims, not after the fan-out's remaining rows."""
    outbox = _outbox()
    _queue(outbox, "fanout", big, klass=BULK)

    def arrive(k: int) -> None:
        if k == head_start:
            _queue(outbox, "member", late, klass=BULK)

    order = _claim_all(outbox, between=arrive)
    after = [i.round_key.split(":")[0] for i in order[head_start:]]
    positions = [n for n, flow in enumerate(after) if flow == "member"]
    assert len(positions) == late
    assert all(pos <= 2 * k + 1 for k, pos in enumerate(positions)), positions


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=30),
       st.integers(1, 8), st.sets(st.sampled_from(["a", "b", "c", "d"])))
def test_never_two_sends_to_one_recipient(recipients, limit, busy):
    outbox = _outbox()
    with flow_scope("f"):
        for n, who in enumerate(recipients):
            outbox.enqueue(WS, f"r{n}", Target(user_id=who), Message(fallback="x"))
    busy_keys = [conversation(WS, f"user:{who}") for who in sorted(busy)]
    claimed = outbox.claim_due(limit, busy=busy_keys)
    targets = [i.target.user_id for i in claimed]
    assert len(targets) == len(set(targets))
    assert not set(targets) & busy
    assert len(claimed) == min(limit, len(set(recipients) - busy))


def test_an_urgent_reply_goes_before_a_queued_round():
    outbox = _outbox()
    _queue(outbox, "job-1", 500, klass=class_of("checkin"))
    with flow_scope("member:W1:U1"):
        outbox.enqueue(WS, "reply:1", Target(user_id="U1"), Message(fallback="crisis lines"),
                       kind="reply")
    assert outbox.claim_due(1)[0].round_key == "reply:1"


def test_kinds_have_classes():
    assert class_of("reply") == URGENT and class_of("checkin-buddy") == URGENT
    assert class_of("checkin") == BULK and class_of("pairing.intro") == NORMAL


async def test_the_drain_loop_holds_one_send_per_recipient(assembly):
    """Concurrency 4, and a member with 20 messages queued among 40 others: never two
    sends to them at once (a per-conversation 429 then holds one slot, not four)."""
    import asyncio

    from bot.core.delivery import Deliverer

    ctx = assembly.ctx
    ctx.members.ensure_workspace(WS, "slack")
    with ctx.db.atomic():
        _queue(ctx.outbox, "flood", 20, to="busy")
        _queue(ctx.outbox, "round", 40)

    class Platform:
        def __init__(self):
            self.now: Counter[str] = Counter()
            self.most = 0
            self.sent = 0

        async def send(self, workspace_id, target, msg):
            self.now[target.user_id] += 1
            self.most = max(self.most, self.now[target.user_id])
            await asyncio.sleep(0.001)
            self.now[target.user_id] -= 1
            self.sent += 1
            if self.sent == 60:
                deliverer.stop()
            return "ref"

    platform = Platform()
    deliverer = Deliverer(ctx.outbox, ctx.members, platform, ctx.clock, concurrency=4)
    await asyncio.wait_for(deliverer.run(poll_seconds=0.01), 30)
    assert platform.sent == 60 and platform.most == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from([NORMAL, BULK])),
                min_size=1, max_size=25))
def test_each_recipient_gets_their_messages_in_the_order_queued(rows):
    """Fair across recipients, never reordered within one conversation (urgent excepted):
    a "round cancelled" must not arrive before the "round announced" queued before it."""
    outbox = _outbox()
    for n, (who, klass) in enumerate(rows):
        with flow_scope(f"flow-{n % 3}"):
            outbox.enqueue(WS, f"r{n:03d}", Target(user_id=who), Message(fallback="x"),
                           priority=klass)
    order = _claim_all(outbox)
    for who in "abc":
        mine = [i.round_key for i in order if i.target.user_id == who]
        assert mine == sorted(mine)
    assert len(order) == len(rows)
