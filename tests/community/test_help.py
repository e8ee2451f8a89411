"""`/peer help`: the commands a person may run, grouped by role, and never more."""

from __future__ import annotations

from bot.core.model import Role
from tests.support.world import WS, World


async def test_a_member_sees_only_the_commands_for_everyone(tmp_path):
    world = World(tmp_path)
    world.add("alice")
    out = await world.say("alice", "help")
    assert "*For everyone*" in out and "`/peer profile" in out and "`/peer group join" in out
    assert "For facilitators" not in out and "For admins" not in out
    assert "/peer admin role" not in out


async def test_a_facilitator_also_sees_facilitator_commands(tmp_path):
    world = World(tmp_path)
    world.add("fran", facilitator=True)
    out = await world.say("fran", "help")
    assert "*For facilitators*" in out and "`/peer admin members`" in out
    assert "For admins" not in out


async def test_an_admin_sees_every_section(tmp_path):
    world = World(tmp_path)
    world.add("fran", facilitator=True)
    world.ctx.members.set_role(WS, "fran", Role.ADMIN)
    out = await world.say("fran", "help")
    assert "*For admins*" in out and "`/peer admin role @someone member|facilitator|admin`" in out
    assert "`/peer admin audit [count] [action prefix]`" in out


async def test_help_needs_no_consent_and_names_the_crisis_command(tmp_path):
    world = World(tmp_path)
    out = await world.say("newcomer", "help")
    assert "Before we start" not in out
    assert "not a crisis service" in out and "`/peer crisis` lists lines" in out
