"""The minute job: each step its own unit of work, and a quiet memo that never acts late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins import jobs
from bot.checkins.schedule import ScheduleStore
from bot.store.db import open_database
from tests.support.world import WS, World

MONDAY_9 = datetime(2026, 1, 5, 9, 1, tzinfo=UTC)  # just after the 09:00 prompts
TWO_GROUPS = {"groups": [{"name": "Circle"}, {"name": "Night"}]}


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, MONDAY_9 - timedelta(days=1), TWO_GROUPS)
    w.add("alice")
    w.add("bob")
    night = w.ctx.members.group_by_name(WS, "Night")
    w.ctx.members.leave_group(WS, w.group.id, "bob")
    w.ctx.members.join_group(WS, night.id, "bob")
    w.ctx.members.set_hold(WS, night.id, "bob", None)  # as after agreeing
    w.clock.set(MONDAY_9)
    return w


def failing_for(group_name, monkeypatch):
    real = jobs.open_due

    def open_then_fail(ctx, group, now, *due):
        opened = real(ctx, group, now, *due)
        if group.name == group_name:
            raise RuntimeError("boom")  # after its writes: they must be rolled back
        return opened

    monkeypatch.setattr(jobs, "open_due", open_then_fail)


def test_a_failing_group_neither_undoes_nor_blocks_the_others(world, monkeypatch):
    failing_for("Circle", monkeypatch)
    result = jobs.tick(world.ctx)
    assert (result.opened, result.failed) == (1, [f"open group {world.group.id}"])
    assert [r[0] for r in world.prompts()] == ["bob"]
    assert world.outbox() == [("user:bob", "checkin", "pending")]


def test_after_a_failed_step_the_next_tick_tries_again(world, monkeypatch):
    ticker = jobs.Ticker()
    failing_for("Circle", monkeypatch)
    assert ticker(world.ctx).failed
    monkeypatch.undo()
    world.clock.advance(timedelta(minutes=1))
    assert ticker(world.ctx).opened == 1
    assert sorted(r[0] for r in world.prompts()) == ["alice", "bob"]


def test_a_quiet_tick_does_nothing_until_something_changes(world):
    ticker = jobs.Ticker()
    assert ticker(world.ctx).opened == 2
    world.clock.advance(timedelta(minutes=1))
    assert ticker(world.ctx) == jobs.TickResult()
    ScheduleStore(world.db, world.clock).set_pref(WS, "alice", time="09:30")  # a write
    world.clock.advance(timedelta(minutes=1))
    assert ticker(world.ctx).opened == 0  # a full tick, with nothing new to do


def test_a_commit_by_another_connection_after_the_steps_is_not_hidden(world, monkeypatch):
    """Each step commits on its own, so another connection can commit in between."""
    world.clock.set(MONDAY_9 - timedelta(minutes=15))  # 08:46: nothing due yet
    other = open_database(world.settings.bot.database)
    real = jobs.next_event

    def next_event_after_someone_else_commits(ctx, now):
        # the groups were looked at already: alice moves her time to 08:30 (just past)
        ScheduleStore(other, world.clock).set_pref(WS, "alice", time="08:30")
        return real(ctx, now)

    ticker = jobs.Ticker()
    monkeypatch.setattr(jobs, "next_event", next_event_after_someone_else_commits)
    assert ticker(world.ctx).opened == 0
    monkeypatch.undo()
    world.clock.advance(timedelta(minutes=1))
    assert ticker(world.ctx).opened == 1  # the memo must not hide alice's 08:30 prompt
    assert [r[0] for r in world.prompts()] == ["alice"]
    other.close()


def test_a_large_group_opens_in_steps_each_committed_on_its_own(world, monkeypatch):
    """Each step releases the write lock, so commands interleave with a big round."""
    monkeypatch.setattr(jobs, "OPEN_CHUNK", 1)
    commits: list[int] = []
    real = jobs.open_due

    def counting(ctx, group, now, *due):
        assert ctx.db.conn.in_transaction  # inside its own unit of work
        commits.append(len(due[0]) if due else -1)
        return real(ctx, group, now, *due)

    monkeypatch.setattr(jobs, "open_due", counting)
    world.clock.set(MONDAY_9 - timedelta(days=1))
    world.add("carol")  # Circle now has two due members: two steps for one group
    world.clock.set(MONDAY_9)
    result = jobs.tick(world.ctx)
    assert result.opened == len(commits) == 3 and set(commits) == {1}
    again = jobs.tick(world.ctx)  # idempotent: nothing opens twice
    assert again.opened == 0
