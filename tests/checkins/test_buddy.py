"""The check-on-me buddy: asked with consent, nudged without content, known to nobody else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins.buddy import BuddyService, LinkStatus, Response, Trigger
from bot.core.model import Buttons, plain_text
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # prompts mon, thu at 09:00 UTC


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    for name in ("alice", "bob", "carol"):
        w.add(name)
    w.add("fran", facilitator=True)
    return w


def buttons(msg):
    return [b for blk in msg.blocks if isinstance(blk, Buttons) for b in blk.buttons]


async def ask_and_accept(world, trigger):
    out = text_of(await world.command("alice", f"checkin buddy @bob {trigger}"))
    assert "I've asked bob privately" in out
    await world.drain()
    invite = world.messenger.to("bob")[-1]
    assert "alice would like you to be" in plain_text(invite)
    yes = buttons(invite)[0]
    assert "Thank you" in text_of(await world.press("bob", yes.value))


async def answer_latest(world, user, burnout):
    value = answer_buttons(world.messenger.to(user)[-1])[("burnout", str(burnout))]
    await world.press(user, value)


def nudges(world, user="bob"):
    return [m for m in world.messenger.to(user) if m.fallback.startswith("A gentle nudge to")]


async def test_two_low_answers_in_a_row_nudge_the_buddy_only_without_content(world):
    await ask_and_accept(world, "two-low")
    await world.wait(timedelta(hours=1, minutes=1))
    await answer_latest(world, "alice", 5)
    await world.drain()
    assert nudges(world) == []
    await world.wait(timedelta(days=3))  # Thursday's prompt
    await answer_latest(world, "alice", 4)
    await answer_latest(world, "alice", 5)  # a change does not nudge twice
    await world.drain()
    [nudge] = nudges(world)
    text = plain_text(nudge)
    assert "alice" in text and "5" not in text and "burn" not in text.lower()
    assert all("gentle nudge" not in plain_text(m) or t.user_id == "bob"
               for t, m in world.messenger.sent if "alice" in plain_text(m))
    assert nudges(world, "carol") == [] and nudges(world, "fran") == []


async def test_two_missed_checkins_nudge_the_buddy(world):
    await ask_and_accept(world, "two-missed")
    await world.wait(timedelta(days=4, hours=14))  # Monday's and Thursday's prompts close
    assert len(nudges(world)) == 1


async def test_a_declined_buddy_is_never_nudged_and_the_member_is_told_gently(world):
    await world.command("alice", "checkin buddy @bob two-missed")
    await world.drain()
    no = buttons(world.messenger.to("bob")[-1])[1]
    assert "That's fine" in text_of(await world.press("bob", no.value))
    await world.drain()
    assert "isn't able to be your check-on-me buddy" in plain_text(world.messenger.to("alice")[-1])
    await world.wait(timedelta(days=5))
    assert nudges(world) == []


async def test_someone_else_cannot_answer_the_invitation(world):
    await world.command("alice", "checkin buddy @bob")
    await world.drain()
    yes = buttons(world.messenger.to("bob")[-1])[0]
    assert "no longer open" in text_of(await world.press("carol", yes.value))
    assert world.db.execute("SELECT status FROM checkin_buddies").fetchone()[0] == "pending"


async def test_buddy_commands_validate_and_off_removes(world):
    assert "someone else" in text_of(await world.command("alice", "checkin buddy @alice"))
    assert "I don't know" in text_of(await world.command("alice", "checkin buddy @zed"))
    assert "trigger is one of" in text_of(await world.command("alice", "checkin buddy @bob x"))
    await world.command("alice", "checkin buddy @bob")
    assert "bob (pending)" in text_of(await world.command("alice", "checkin buddy"))
    assert "removed" in text_of(await world.command("alice", "checkin buddy off"))
    assert world.db.execute("SELECT count(*) FROM checkin_buddies").fetchone()[0] == 0


async def test_facilitator_views_never_name_buddies(world):
    await ask_and_accept(world, "two-low")
    for command in ("admin members", "pulse", "admin checkins"):
        assert "buddy" not in text_of(await world.command("fran", command)).lower()


def test_answers_are_outcomes_and_links_are_stored_as_before(world):
    service = BuddyService(world.db, world.clock, world.settings)
    service.ask(WS, "alice", "alice", "bob", Trigger.TWO_MISSED)
    assert service.respond(WS, "carol", "alice", True, "carol") is Response.STALE
    assert service.respond(WS, "bob", "alice", True, "bob") is Response.ACCEPTED
    link = service.link_of(WS, "alice")
    assert (link.status, link.trigger) == (LinkStatus.ACTIVE, Trigger.TWO_MISSED)
    stored = world.db.execute("SELECT status, trigger FROM checkin_buddies").fetchone()
    assert stored == ("active", "two-missed")
    assert service.respond(WS, "bob", "alice", False, "bob") is Response.DECLINED
    assert service.respond(WS, "bob", "alice", True, "bob") is Response.STALE


async def test_the_trigger_is_read_in_any_case(world):
    out = text_of(await world.command("alice", "checkin buddy @bob Two-Missed"))
    assert "after two missed check-ins in a row" in out
    assert "trigger: two-missed" in text_of(await world.command("alice", "checkin buddy"))
