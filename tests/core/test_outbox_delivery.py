"""The one delivery path: idempotent enqueue, rate limits, undeliverable users, revoked tokens."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Section, Target, message
from bot.core.ports import RateLimited, TransientDeliveryError, Undeliverable, WorkspaceUnavailable


class ScriptedMessenger:
    """Fails the first sends as scripted, then succeeds; records every attempt."""

    def __init__(self, script=None):
        self.script = list(script or [])
        self.attempts: list[str] = []
        self.delivered: list[str] = []

    async def send(self, workspace_id, target, msg):
        self.attempts.append(target.key())
        if self.script:
            error = self.script.pop(0)
            if error is not None:
                raise error
        self.delivered.append(target.key())
        return f"ref-{len(self.delivered)}"


@pytest.fixture
def parts(assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "console")
    return ctx


def deliverer(ctx, messenger, **kwargs):
    async def no_sleep(seconds):
        ctx.clock.advance(timedelta(seconds=seconds))

    return Deliverer(ctx.outbox, ctx.members, messenger, ctx.clock, sleep=no_sleep, **kwargs)


def enqueue(ctx, user, round_key="r1"):
    with ctx.db.atomic():
        return ctx.outbox.enqueue("W", round_key, Target(user_id=user), message(Section("hi")))


def test_enqueue_is_idempotent_per_round_and_target(parts):
    assert enqueue(parts, "u1") is True
    assert enqueue(parts, "u1") is False
    assert enqueue(parts, "u1", "r2") is True
    assert parts.outbox.status_counts("W") == {"pending": 2}


def test_enqueue_rolls_back_with_its_round(parts):
    with pytest.raises(RuntimeError), parts.db.atomic():
        parts.outbox.enqueue("W", "r1", Target(user_id="u1"), message(Section("x")))
        raise RuntimeError("crash before the round commits")
    assert parts.outbox.status_counts("W") == {}


async def test_drain_sends_each_once(parts):
    for user in ("u1", "u2", "u3"):
        enqueue(parts, user)
    messenger = ScriptedMessenger()
    stats = await deliverer(parts, messenger).drain_once()
    assert stats.sent == 3
    assert sorted(messenger.delivered) == ["user:u1", "user:u2", "user:u3"]
    assert await deliverer(parts, messenger).drain_once() == type(stats)()


async def test_rate_limit_waits_and_loses_nothing(parts):
    enqueue(parts, "u1")
    messenger = ScriptedMessenger([RateLimited(30), RateLimited(30)])
    stats = await deliverer(parts, messenger).drain_until_idle()
    assert messenger.delivered == ["user:u1"]
    assert stats.rate_limited == 2
    row = parts.db.execute("SELECT status, attempts FROM outbox").fetchone()
    assert row == ("sent", 1)  # waiting for the platform is not a failed attempt


async def test_undeliverable_member_is_marked_and_not_retried(parts):
    parts.members.ensure_member(type("A", (), {"workspace_id": "W", "user_id": "u1",
                                               "display_name": "u1"})())
    enqueue(parts, "u1")
    messenger = ScriptedMessenger([Undeliverable("cannot_dm_bot")])
    stats = await deliverer(parts, messenger).drain_until_idle()
    assert stats.undeliverable == 1 and messenger.attempts == ["user:u1"]
    assert parts.members.get("W", "u1").undeliverable_reason == "cannot_dm_bot"


async def test_revoked_token_stops_the_workspace_and_keeps_rows(parts, caplog):
    for user in ("u1", "u2"):
        enqueue(parts, user)
    messenger = ScriptedMessenger([WorkspaceUnavailable("token_revoked")] * 5)
    with caplog.at_level(logging.ERROR):
        await deliverer(parts, messenger, concurrency=1).drain_once()
    assert parts.outbox.status_counts("W") == {"pending": 2}
    assert sum("sending stopped" in r.message for r in caplog.records) == 1
    assert parts.outbox.claim_due() == []  # paused until the operator fixes it


async def test_transient_errors_back_off_then_give_up(parts):
    enqueue(parts, "u1")
    messenger = ScriptedMessenger([TransientDeliveryError("502")] * 10)
    stats = await deliverer(parts, messenger, max_attempts=3).drain_until_idle(max_wait=10**6)
    assert stats.retried == 2 and stats.failed == 1
    assert parts.outbox.status_counts("W") == {"failed": 1}


async def test_in_flight_rows_are_recovered_after_a_crash(parts):
    enqueue(parts, "u1")
    enqueue(parts, "u2")
    claimed = parts.outbox.claim_due()  # the process dies right after claiming
    assert len(claimed) == 2

    class Probe(ScriptedMessenger):
        async def find_delivered(self, workspace_id, target, round_key):
            return "ref-old" if target.user_id == "u1" else None

    messenger = Probe()
    d = deliverer(parts, messenger)
    assert await d.recover_in_flight() == 2
    await d.drain_once()
    assert messenger.delivered == ["user:u2"]  # u1 was already delivered before the crash
    assert parts.outbox.status_counts("W") == {"sent": 2}


def test_cancel_pending_matches_prefixes_literally_and_spares_in_flight_rows(parts):
    from bot.core.outbox import cancel_pending

    for key in ("nudge:U_1:w1", "nudge:UX1:w1", "nudge:U_1:w2"):
        enqueue(parts, "u1", key)
    parts.outbox.claim_due(1)  # nudge:U_1:w1 is being sent right now
    assert cancel_pending(parts.db, "W", round_prefixes=["nudge:U_1:"]) == 1  # only w2
    statuses = dict(parts.db.execute("SELECT round_key, status FROM outbox").fetchall())
    assert statuses == {"nudge:U_1:w1": "sending", "nudge:UX1:w1": "pending",
                        "nudge:U_1:w2": "cancelled"}  # '_' is not a wildcard


def test_cancel_pending_filters_combine(parts):
    from bot.core.outbox import cancel_pending

    enqueue(parts, "u1", "r1")
    enqueue(parts, "u2", "r1")
    enqueue(parts, "u1", "r2")
    assert cancel_pending(parts.db, "W", round_keys=["r1"], user_id="u1") == 1
    assert cancel_pending(parts.db, "W", round_keys=["r1"], target=Target(user_id="u2")) == 1
    assert parts.outbox.status_counts("W") == {"cancelled": 2, "pending": 1}


def test_cancel_pending_rolls_back_with_the_callers_transaction(parts):
    from bot.core.outbox import cancel_pending

    enqueue(parts, "u1")
    with pytest.raises(RuntimeError), parts.db.atomic():
        assert cancel_pending(parts.db, "W", round_keys=["r1"]) == 1
        raise RuntimeError("the change that caused the withdrawal failed")
    assert parts.outbox.status_counts("W") == {"pending": 1}


def test_erasure_discards_what_names_the_member_and_nothing_that_only_looks_alike(parts):
    """DMs to them and group conversations naming them go; an id that merely contains
    theirs, or matches it as a LIKE pattern would ('a_b' against 'axb'), stays."""
    from bot.core.outbox import discard_for_member

    with parts.db.atomic():
        for key, target, kind in [
            ("r1", Target(user_id="a_b"), "checkin"),
            ("r2", Target(user_ids=("a_b", "zoe")), "pairing.intro"),
            ("r3", Target(user_ids=("axb", "zoe")), "pairing.intro"),
            ("r4", Target(user_id="a_bc"), "checkin"),
            ("r5", Target(user_ids=("xa_b", "zoe")), "pairing.intro"),
        ]:
            parts.outbox.enqueue("W", key, target, message(Section("hi")), kind=kind)
    assert discard_for_member(parts.db, "W", "a_b", kind_prefix="pairing.") == 1  # r2 only
    assert discard_for_member(parts.db, "W", "a_b") == 1  # then r1
    left = [r[0] for r in parts.db.execute("SELECT round_key FROM outbox ORDER BY id")]
    assert left == ["r3", "r4", "r5"]
