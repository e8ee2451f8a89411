"""Erasure is complete: after `/peer forget-me` nothing names or identifies the person.

Quinn (id ``U7Q9ZK``, display name ``Quinnella Zephyrine``) uses everything, including
what puts her name into *other people's* records and queued messages: a buddy invitation
already delivered to bob, a buddy nudge about her still queued for bob, a don't-pair
entry alice declared about her, her own don't-pair list, a check-in note with a canary,
facilitator audit entries naming her. After she erases her data, the name, the id and
the note canary are searched in every column of every table, in the database file, its
``-wal`` and ``-shm`` files and a backup taken afterwards: 0 hits. The figures go to
docs/privacy.md.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from bot.agreements.service import AgreementService
from bot.audit.log import record
from bot.core.model import Action, Actor, Invocation, Message, Target, plain_text
from bot.core.outbox import redact_mentions
from bot.pairing.participants import PairingMembers
from bot.store.tools import backup
from tests.support.world import WS, World, answer_buttons, buttons, text_of

QUINN = "U7Q9ZK"
NAME = "Quinnella Zephyrine"
NOTE = "note-canary-51c0ffee"
NEEDLES = (QUINN, NAME, "Quinnella", NOTE)


@pytest.fixture
def world(tmp_path):
    return quinns_world(tmp_path)


def quinns_world(tmp_path) -> World:
    """Four members, a facilitator and Quinn, who has consented and joined the Circle."""
    w = World.checkins(tmp_path, config={"groups": [
        {"name": "Circle", "facilitators": ["fran"], "checkins": {"free_text": True}}]})
    for name in ("alice", "bob", "carol", "dan"):
        w.add(name)
    w.add("fran", facilitator=True)
    members = w.ctx.members
    actor = Actor(WS, QUINN, NAME)
    members.ensure_member(actor)
    members.record_consent(actor)
    members.update_profile(WS, QUINN, timezone="UTC", country="GB", specialty=None)
    members.join_group(WS, w.group.id, QUINN)
    agreements = AgreementService(w.ctx)  # her acceptance is one more canary to erase
    assert agreements.agree(w.group, QUINN, agreements.current(w.group).version) == "agreed"
    return w


async def quinn_replies(world, text):
    return await world.core.handle_invocation(
        Invocation(actor=Actor(WS, QUINN, NAME), command="peer", text=text))


async def quinn(world, text):
    return text_of(await quinn_replies(world, text))


async def quinn_press(world, value):
    return await world.core.handle_action(Action(actor=Actor(WS, QUINN, NAME), value=value))


async def use_everything(world) -> None:
    """Put Quinn into her own rows and into other people's, sent and queued."""
    assert "asked bob privately" in await quinn(world, "checkin buddy @bob two-low")
    await world.drain()  # the invitation naming her is now a *sent* row to bob
    invite = world.messenger.to("bob")[-1]
    assert NAME in plain_text(invite)
    await world.press("bob", buttons(invite)["Yes, I'll be their buddy"])
    await world.wait(timedelta(hours=1, minutes=1))  # Monday's prompt
    for _ in range(2):
        prompt = world.messenger.to(QUINN)[-1]
        await quinn_press(world, answer_buttons(prompt)[("burnout", "5")])
        if _ == 0:
            await quinn(world, f"checkin note {NOTE}")
            await world.wait(timedelta(days=3))  # Thursday's prompt
    nudge = world.db.execute(
        "SELECT status, payload FROM outbox WHERE kind = 'checkin-buddy' AND target_key ="
        " 'user:bob' ORDER BY id DESC LIMIT 1").fetchone()
    assert nudge[0] == "pending" and NAME in nudge[1], "no nudge naming her is queued"
    note = world.db.execute("SELECT count(*) FROM checkin_prompts WHERE note = ?",
                            [NOTE]).fetchone()[0]
    assert note == 1, "the note canary was not stored"
    assert "in for debrief pairing" in await quinn(world, "pair join")
    await quinn(world, "pair avoid @bob")
    await world.say("alice", f"pair avoid @{QUINN}")
    record(world.ctx, "fran", "role.set", f"{QUINN} -> member", workspace_id=WS, subject=QUINN)


async def forget(world) -> str:
    card = await quinn_replies(world, "forget-me")
    value = buttons(card[0].message)["Erase everything"]
    return text_of(await quinn_press(world, value))


def hits_in_tables(db) -> list[tuple[str, str, str]]:
    found = []
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        for row in db.execute(f"SELECT * FROM [{table}]"):
            for column, value in zip(columns, row, strict=True):
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                if isinstance(text, str):
                    found += [(table, column, n) for n in NEEDLES if n in text]
    return found


def hits_in_files(*paths: Path) -> dict[str, int]:
    counts = {}
    for path in paths:
        data = path.read_bytes() if path.exists() else b""
        counts[path.name] = sum(data.count(n.encode()) for n in NEEDLES)
    return counts


def files(world) -> list[Path]:
    base = world.settings.bot.database
    return [Path(base + suffix) for suffix in ("", "-wal", "-shm")]


async def test_before_erasure_the_canaries_are_everywhere(world):
    await use_everything(world)
    tables = {t for t, _, _ in hits_in_tables(world.db)}
    assert {"members", "outbox", "checkin_prompts", "pairing_conflicts",
            "checkin_buddies", "audit_log"} <= tables


async def test_after_erasure_no_table_file_or_backup_names_her(world, tmp_path):
    await use_everything(world)
    assert "erased" in await forget(world)
    assert hits_in_tables(world.db) == []
    copy = tmp_path / "after.sqlite"
    backup(world.settings.bot.database, copy, io.StringIO())
    assert hits_in_files(*files(world), copy) == {
        "peerbot.sqlite": 0, "peerbot.sqlite-wal": 0, "peerbot.sqlite-shm": 0,
        "after.sqlite": 0}
    world.db.close()
    assert sum(hits_in_files(*files(world)).values()) == 0


async def test_queued_messages_about_her_are_withdrawn_not_sent(world):
    await use_everything(world)
    before = len(world.messenger.to("bob"))
    await forget(world)
    await world.drain()
    later = world.messenger.to("bob")[before:]
    assert [m for m in later if "nudge" in plain_text(m).lower()] == []
    statuses = world.db.execute(
        "SELECT status FROM outbox WHERE target_key = 'user:bob' AND round_key LIKE"
        " 'withdrawn:%'").fetchall()
    assert sorted(s for (s,) in statuses) == ["cancelled", "sent"]


async def test_a_conflict_about_her_still_protects_the_declarer_if_she_returns(world):
    await use_everything(world)
    await forget(world)
    service = PairingMembers(world.db, world.clock)
    assert service.in_conflict(WS, "alice", QUINN)
    assert service.conflict_pairs(WS, {"alice", QUINN, "bob"}) == {frozenset(("alice", QUINN))}
    assert not service.in_conflict(WS, "alice", "bob")
    listing = await world.say("alice", "pair conflicts")
    assert "erased their data" in listing and "erased:" not in listing


async def test_a_short_name_does_not_withdraw_unrelated_messages(world):
    """Whole words only: erasing "Al" leaves a message about "Also" alone."""
    with world.db.atomic():
        world.ctx.outbox.enqueue(WS, "x1", Target(user_id="bob"), Message(fallback="Also fine"))
        world.ctx.outbox.enqueue(WS, "x2", Target(user_id="bob"), Message(fallback="Hi Al!"))
        assert redact_mentions(world.db, WS, "UAL1", ["Al"]) == 1
    kept = world.db.execute("SELECT round_key, status FROM outbox WHERE round_key = 'x1'")
    assert kept.fetchall() == [("x1", "pending")]


async def test_the_pseudonym_key_is_beside_the_database_never_in_it(world):
    await use_everything(world)
    await forget(world)
    key_file = Path(world.settings.bot.database + ".key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    world.db.close()
    for path in files(world):
        data = path.read_bytes() if path.exists() else b""
        assert key.encode() not in data and bytes.fromhex(key) not in data


async def test_privacy_says_exactly_what_erasure_does(world):
    text = await world.say("alice", "privacy")
    for promise in ("Messages to others that mention you", "withdrawn if not yet sent",
                    "one-way scrambled code", "`[erased]`", "Backups taken earlier",
                    "if one is restored, peerbot erases you from it again"):
        assert promise in text, promise
