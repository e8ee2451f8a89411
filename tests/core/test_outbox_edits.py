"""Editing a message already sent, and replying to one, through the one delivery path.

An edit is an outbox row like any other (paced, retried, recovered after a crash); it
refers to the row whose message it changes and uses that row's platform reference.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Section, Target, message
from bot.core.outbox import Outbox
from bot.core.ports import RateLimited, Undeliverable
from tests.support.messenger import RecordingMessenger

ALICE = Target(user_id="alice")


class Flaky(RecordingMessenger):
    """Fails the next edits as scripted."""

    def __init__(self, edit_errors=()):
        super().__init__()
        self.edit_errors = list(edit_errors)
        self.edit_attempts = 0

    async def edit(self, workspace_id, target, ref, msg):
        self.edit_attempts += 1
        if self.edit_errors:
            raise self.edit_errors.pop(0)
        return await super().edit(workspace_id, target, ref, msg)


@pytest.fixture
def ctx(assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "console")
    return ctx


def deliverer(ctx, messenger, outbox=None):
    async def no_sleep(seconds):
        ctx.clock.advance(timedelta(seconds=seconds))

    return Deliverer(outbox or ctx.outbox, ctx.members, messenger, ctx.clock, sleep=no_sleep)


def say(text):
    return message(Section(text))


def queue(ctx, text="v1", key="prompt:1"):
    with ctx.db.atomic():
        return ctx.outbox.enqueue("W", key, ALICE, say(text), kind="checkin")


def edit(ctx, text, key="prompt:1"):
    with ctx.db.atomic():
        return ctx.outbox.enqueue_edit("W", key, ALICE, say(text), kind="checkin")


def texts(msgs):
    return [m.text() for m in msgs]


async def test_an_edit_before_the_send_just_changes_what_is_sent(ctx):
    queue(ctx)
    assert edit(ctx, "v2") is True
    m = RecordingMessenger()
    await deliverer(ctx, m).drain_until_idle()
    assert texts(m.to("alice")) == ["v2"] and m.edits == []


async def test_an_edit_after_the_send_changes_the_delivered_message(ctx):
    queue(ctx)
    m = RecordingMessenger()
    await deliverer(ctx, m).drain_until_idle()
    assert edit(ctx, "v2") and edit(ctx, "v3")  # the newer waiting edit replaces the older
    await deliverer(ctx, m).drain_until_idle()
    assert [(ref, msg.text()) for ref, msg in m.edits] == [("ref-1", "v3")]
    assert edit(ctx, "v4")
    await deliverer(ctx, m).drain_until_idle()
    assert [msg.text() for _, msg in m.edits] == ["v3", "v4"]
    assert len(m.sent) == 1  # never a second message
    assert ctx.outbox.status_counts("W") == {"sent": 3}


async def test_nothing_to_edit_is_said_so(ctx):
    assert edit(ctx, "v2") is False  # never queued
    queue(ctx, key="prompt:2")
    ctx.db.execute("UPDATE outbox SET status = 'cancelled'")
    assert edit(ctx, "v2", key="prompt:2") is False  # withdrawn


async def test_an_edit_waits_for_its_message_still_being_sent(ctx):
    queue(ctx)
    [claimed] = ctx.outbox.claim_due()  # the send is in flight
    assert edit(ctx, "v2")
    m = RecordingMessenger()
    await deliverer(ctx, m).drain_once()
    assert m.edits == []  # not yet: nothing to point at
    ctx.outbox.mark_sent(claimed, "ref-9")
    await deliverer(ctx, m).drain_until_idle()
    assert [(ref, msg.text()) for ref, msg in m.edits] == [("ref-9", "v2")]


async def test_a_lost_message_does_not_make_its_reader_undeliverable(ctx):
    queue(ctx)
    m = Flaky([Undeliverable("message_not_found")])
    await deliverer(ctx, m).drain_until_idle()
    edit(ctx, "v2")
    await deliverer(ctx, m).drain_until_idle()
    assert ctx.outbox.status_counts("W") == {"sent": 1, "undeliverable": 1}
    member = ctx.members.get("W", "alice")
    assert member is None or member.undeliverable_reason is None


async def test_a_rate_limited_edit_waits_and_is_made_once(ctx):
    queue(ctx)
    m = Flaky([RateLimited(3.0)])
    await deliverer(ctx, m).drain_until_idle()
    edit(ctx, "v2")
    await deliverer(ctx, m).drain_until_idle()
    assert m.edit_attempts == 2 and [msg.text() for _, msg in m.edits] == ["v2"]


async def test_an_edit_queued_before_a_crash_is_made_once_after_the_restart(ctx):
    queue(ctx)
    await deliverer(ctx, RecordingMessenger()).drain_until_idle()
    edit(ctx, "v2")
    # the process dies before delivering: a new outbox and deliverer on the same file
    after = RecordingMessenger()
    restarted = deliverer(ctx, after, Outbox(ctx.db, ctx.clock))
    await restarted.recover_in_flight()
    await restarted.drain_until_idle()
    await restarted.drain_until_idle()
    assert [msg.text() for _, msg in after.edits] == ["v2"] and after.sent == []


async def test_an_edit_in_flight_at_a_crash_is_made_again_not_lost(ctx):
    queue(ctx)
    await deliverer(ctx, RecordingMessenger()).drain_until_idle()
    edit(ctx, "v2")
    ctx.outbox.claim_due()  # claimed, then the process died mid-edit
    after = RecordingMessenger()
    restarted = deliverer(ctx, after, Outbox(ctx.db, ctx.clock))
    assert await restarted.recover_in_flight() == 1
    await restarted.drain_until_idle()
    assert [msg.text() for _, msg in after.edits] == ["v2"]
    assert ctx.outbox.status_counts("W") == {"sent": 2}


async def test_a_reply_points_at_the_delivered_message(ctx):
    queue(ctx)
    m = RecordingMessenger()
    await deliverer(ctx, m).drain_until_idle()
    with ctx.db.atomic():
        ctx.outbox.enqueue("W", "remind:1", ALICE, say("still open"), reply_to="prompt:1")
        ctx.outbox.enqueue("W", "remind:2", ALICE, say("no prompt"), reply_to="prompt:404")
    await deliverer(ctx, m).drain_until_idle()
    assert texts(m.to("alice")) == ["v1", "still open", "no prompt"]
    assert m.replies == {1: "ref-1"}  # the second had nothing to point at: a plain send
