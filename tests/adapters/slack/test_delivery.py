"""The outbox drained through the Slack messenger: sent refs, undeliverable, rate limits."""

from __future__ import annotations

from datetime import timedelta

from bot.core.delivery import Deliverer
from bot.core.model import Actor, Section, Target, message
from tests.support.slack_fake.api import Fault

WS = "T0PEER"


def _deliverer(slack) -> Deliverer:
    ctx = slack.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    return Deliverer(ctx.outbox, ctx.members, slack.adapter.messenger, ctx.clock, sleep=advance)


def _enqueue(slack, *users: str) -> None:
    ctx = slack.assembly.ctx
    ctx.members.ensure_workspace(WS, "slack")
    with ctx.db.atomic():
        for user in users:
            ctx.outbox.enqueue(WS, "r1", Target(user_id=user), message(Section(f"hi {user}")))


def _statuses(slack) -> dict[str, str]:
    rows = slack.assembly.ctx.db.execute("SELECT user_id, status FROM outbox").fetchall()
    return dict(rows)


async def test_outbox_rows_are_sent_once_with_slack_refs(slack, fake_api):
    _enqueue(slack, "U1", "U2")
    stats = await _deliverer(slack).drain_until_idle()
    assert stats.sent == 2
    assert _statuses(slack) == {"U1": "sent", "U2": "sent"}
    refs = [r[0] for r in slack.assembly.ctx.db.execute("SELECT platform_ref FROM outbox")]
    assert sorted(r.split(":")[0] for r in refs) == ["DU1", "DU2"]
    assert all(r.split(":")[1].startswith("1767600000.") for r in refs)
    assert len(fake_api.bodies("chat.postMessage")) == 2


async def test_user_not_found_marks_the_member_undeliverable(slack, fake_api):
    _enqueue(slack, "U1")
    slack.assembly.ctx.members.ensure_member(Actor(WS, "U1"))
    fake_api.fail("conversations.open", Fault(error="user_not_found"))
    stats = await _deliverer(slack).drain_until_idle()
    assert stats.undeliverable == 1
    assert _statuses(slack) == {"U1": "undeliverable"}
    member = slack.assembly.ctx.members.get(WS, "U1")
    assert member.undeliverable_reason == "user_not_found"


async def test_a_storm_of_429s_drops_nothing(slack, fake_api):
    _enqueue(slack, "U1", "U2", "U3")
    fake_api.fail("chat.postMessage", Fault(status=429, retry_after=0), times=6)
    stats = await _deliverer(slack).drain_until_idle()
    assert stats.sent == 3
    assert set(_statuses(slack).values()) == {"sent"}


async def test_revoked_token_pauses_the_workspace_and_keeps_rows_pending(slack, fake_api):
    _enqueue(slack, "U1", "U2")
    fake_api.fail("conversations.open", Fault(error="token_revoked"), times=None)
    await _deliverer(slack).drain_once()
    assert set(_statuses(slack).values()) == {"pending"}
    reason = slack.assembly.ctx.db.execute(
        "SELECT disabled_reason FROM workspaces WHERE id = ?", [WS]
    ).fetchone()[0]
    assert reason == "token_revoked"
