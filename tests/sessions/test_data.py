"""A member's session data: in their export, gone on erasure (through `/peer forget-me`),
and the roster planned again without them; facilitators' changes are audited."""

from __future__ import annotations

import json

from bot.core.model import Actor, plain_text
from tests.support.world import WS, buttons


def export_of(replies) -> dict:
    data = json.loads(next(r.message.attachment.content for r in replies
                           if r.message.attachment))
    return data["sessions"] if "sessions" in data else data["topics"]["sessions"]


async def test_export_then_forget_me_erases_and_replans(world):
    await world.say("fran", "session every week on tue at 18:00 Europe/London")
    await world.say("alice", "session rsvp maybe")
    await world.say("alice", "session agenda add canary-agenda-51c")
    await world.say("alice", "session optout timekeeper")
    await world.say("alice", "session swap @bob")
    mine = export_of(await world.command("alice", "export"))
    assert [r["answer"] for r in mine["rsvps"]] == ["maybe"]
    assert [a["text"] for a in mine["agenda_items"]] == ["canary-agenda-51c"]
    assert [o["role"] for o in mine["opted_out_of"]] == ["timekeeper"]
    assert len(mine["swaps"]) == 1 and mine["swaps"][0]["asked_by_me"] == 1
    assert {r["role"] for r in mine["roles"]} >= {"discussion lead"}

    card = (await world.command("alice", "forget-me"))[0]
    confirm = buttons(card.message)["Erase everything"]
    assert "erased" in await world.tap("alice", confirm)
    for table in ("session_rsvps", "session_agenda", "session_optouts", "session_swaps",
                  "session_declines"):
        assert world.db.execute(f"SELECT count(*) FROM {table} WHERE workspace_id = ? AND"
                                f" {'from_user' if table == 'session_swaps' else 'user_id'}"
                                " = 'alice'", [WS]).fetchone()[0] == 0, table
    assert world.db.execute("SELECT count(*) FROM session_assignments WHERE user_id = 'alice'"
                            ).fetchone()[0] == 0
    roster = await world.say("bob", "session roster")
    assert "alice" not in roster and "_open" not in roster  # planned again without her


async def test_facilitator_changes_are_in_the_audit_log(world):
    await world.say("fran", "session every week on tue at 18:00 Europe/London")
    await world.say("fran", "session roles lead, timekeeper")
    await world.say("fran", "session move #1 to 2026-01-07 at 18:00")
    await world.say("fran", "session cancel #2")
    await world.say("fran", "session stop")
    actions = [r[0] for r in world.db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert [a for a in actions if a.startswith("session.")] == [
        "session.schedule", "session.roles", "session.move", "session.cancel", "session.stop"]


async def test_the_home_view_shows_the_next_session_and_your_role(world):
    await world.say("fran", "session every week on tue at 18:00 Europe/London")
    home = plain_text(await world.core.home(Actor(WS, "alice", "alice")))
    assert "*Next group sessions*\n*Circle*: Tue 06 Jan 18:00 GMT, you're discussion lead" \
        in home


async def test_who_is_coming_is_counts_for_outsiders_and_names_for_members(world):
    await world.say("fran", "session every week on tue at 18:00 Europe/London https://m.example/c")
    await world.say("bob", "session rsvp going")
    actor = Actor(WS, "zed", "zed")
    world.ctx.members.ensure_member(actor)
    world.ctx.members.record_consent(actor)
    outsider = await world.say("zed", "session group:Circle")
    assert "Going: 1 · maybe: 0 · not going: 0" in outsider
    assert "bob" not in outsider and "https://m.example/c" not in outsider
    assert "Names, roles and the agenda are for the group's members." in outsider
    assert "the roster's names are for its members" in await world.say(
        "zed", "session roster group:Circle")
    member = await world.say("carol", "session")
    assert "Going: 1 · maybe: 0 · not going: 0\ngoing: bob" in member
    assert "Where: https://m.example/c" in member
