"""Facilitator rounds: preview only to them, commit with intros, every guard a clear reply."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.pairing.rounds import RoundBusy, RoundService
from bot.store.db import open_database
from tests.support.world import WS, World, buttons, text

FIVE = ("alice", "bob", "carol", "dan", "erin")


async def test_preview_shows_the_round_in_counts_only(tmp_path):
    """Who is with whom, and who has not met whom, would over rounds single out a conflict."""
    w = World.pairing(tmp_path)
    await w.join(*FIVE)
    replies = await w.command("fran", "pair preview")
    out = replies[0].message.text()
    assert "Preview: Circle" in out and "5 taking part. Proposed: 1 pair(s) and 1 trio." in out
    for name in FIVE:
        assert name not in out
    assert "Not yet met" not in out
    assert "Start this round" in buttons(replies[0].message)
    assert w.outbox() == []
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (0,)


async def test_non_facilitator_is_refused_and_nothing_changes(tmp_path):
    w = World.pairing(tmp_path)
    await w.join(*FIVE)
    for phrase in ("pair preview", "pair round"):
        assert "is for facilitators" in await w.say("alice", phrase)
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (0,)


async def test_fewer_than_two_is_a_clear_reply(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice")
    for phrase in ("pair preview", "pair round"):
        out = await w.say("fran", phrase)
        assert "at least two people" in out and "only 1 can take part" in out
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (0,)
    assert w.outbox() == []


async def test_round_introduces_each_group_in_one_conversation(tmp_path):
    w = World.pairing(tmp_path)
    await w.join(*FIVE)
    out = await w.say("fran", "pair round")
    assert "Round started in *Circle*: 1 pair(s) and 1 trio" in out
    await w.drain()
    groups = sorted(w.messenger.groups())
    assert sorted(len(g) for g in groups) == [2, 3]
    assert sorted(u for g in groups for u in g) == sorted(FIVE)
    intro = text(w.messenger.sent[0][1])
    assert "Check-in" in intro and "What happened" in intro and "What it stirred" in intro
    assert "What helps" in intro and "Closing" in intro and "25-minute" in intro
    assert "no client-identifying information" in intro


async def test_declared_conflicts_are_never_paired(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan")
    await w.say("alice", "pair avoid @bob")
    await w.say("carol", "pair avoid @dan")
    await w.say("alice", "pair avoid @carol")
    await w.say("fran", "pair round")
    await w.drain()
    assert sorted(w.messenger.groups()) == [("alice", "dan"), ("bob", "carol")]


async def test_someone_not_paired_is_told_why_without_naming_a_conflict(tmp_path):
    # A scheduled round nobody can be paired in is cancelled; each is told why.
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 0, "timezone": "UTC"})
    await w.join("alice", "bob")
    await w.say("alice", "pair avoid @bob")
    await w.wait(timedelta(hours=3))
    assert w.db.execute("SELECT status FROM pairing_rounds").fetchall() == [("cancelled",)]
    to_alice = text(w.messenger.to("alice")[-1])
    to_bob = text(w.messenger.to("bob")[-1])
    assert "your private don't-pair list" in to_alice
    assert "don't-pair" not in to_bob and "conflict" not in to_bob
    assert "nobody available this round could be matched with you" in to_bob


async def test_two_rounds_of_one_group_cannot_run_at_once(tmp_path):
    w = World.pairing(tmp_path)
    await w.join(*FIVE)
    await w.say("fran", "pair round")
    out = await w.say("fran", "pair round")
    assert "still running" in out and "follow-up goes out" in out
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (1,)
    assert len(w.outbox("pairing.intro")) == 2


async def test_the_guard_is_in_the_database_across_connections(tmp_path):
    w = World.pairing(tmp_path)
    await w.join(*FIVE)
    other = open_database(w.settings.bot.database)
    try:
        RoundService(w.ctx).start(WS, w.group, started_by="fran")
        with pytest.raises(sqlite3.IntegrityError):
            other.execute(
                "INSERT INTO pairing_rounds (workspace_id, group_id, round_key, kind, status,"
                " seed, created_at) VALUES (?, ?, 'x', 'manual', 'pending', 0, 'now')",
                [WS, w.group.id],
            )
        other.conn.rollback()
        w.ctx.db = other  # a second process trying through the service
        with pytest.raises(RoundBusy):
            RoundService(w.ctx).start(WS, w.group, started_by="fran")
    finally:
        other.close()


async def test_preview_button_starts_the_round(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    preview = (await w.command("fran", "pair preview"))[0]
    start = buttons(preview.message)["Start this round"]
    assert "is for facilitators" in await w.tap("alice", start)
    assert "Round started" in await w.tap("fran", start)


async def test_recent_partners_are_avoided_next_round(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1})
    await w.join("alice", "bob", "carol", "dan")
    await w.say("fran", "pair round")
    await w.drain()
    first = set(w.messenger.groups())
    await w.wait(timedelta(days=1, hours=1))
    await w.say("fran", "pair round")
    await w.drain()
    second = set(w.messenger.groups()) - first
    assert len(second) == 2 and not (second & first)


async def test_status_names_the_last_partner(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    assert "Last partner: bob" in await w.say("alice", "pair")
    assert "with bob" in await w.say("alice", "pair history")
