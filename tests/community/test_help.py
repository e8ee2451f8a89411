"""`/peer help`: by task, crisis first; facilitator and admin sections only for them."""

from __future__ import annotations

from bot.community import help as help_module
from bot.core import action_ids
from bot.core.model import Buttons, Role
from bot.runtime import build_router
from tests.support.world import WS, World


async def test_a_member_sees_tasks_with_crisis_first(tmp_path):
    world = World(tmp_path)
    world.add("alice")
    out = await world.say("alice", "help")
    order = [t for t in ("Right now", "Check-ins", "Debrief pairing", "Your group",
                         "Your data") if f"*{t}*" in out]
    assert order == ["Right now", "Check-ins", "Debrief pairing", "Your group", "Your data"]
    assert out.index("*Right now*") < out.index("`/peer crisis") < out.index("*Check-ins*")
    assert out.index("`/peer pair now`") < out.index("*Check-ins*")
    assert "For facilitators" not in out and "For admins" not in out
    assert "/peer admin role" not in out and "/peer crisis post" not in out


async def test_a_facilitator_also_sees_facilitator_commands(tmp_path):
    world = World(tmp_path)
    world.add("fran", facilitator=True)
    out = await world.say("fran", "help")
    assert "*For facilitators*" in out and "`/peer admin members`" in out
    assert out.index("*For facilitators*") < out.index("`/peer crisis post")
    assert "For admins" not in out


async def test_an_admin_sees_every_section(tmp_path):
    world = World(tmp_path)
    world.add("fran", facilitator=True)
    world.ctx.members.set_role(WS, "fran", Role.ADMIN)
    out = await world.say("fran", "help")
    assert "*For admins*" in out and "`/peer admin role @someone member|facilitator|admin`" in out
    assert "`/peer admin audit [count] [action prefix]`" in out


async def test_every_command_a_person_may_run_is_listed_exactly_once(tmp_path):
    world = World(tmp_path)
    world.add("fran", facilitator=True)
    world.ctx.members.set_role(WS, "fran", Role.ADMIN)
    [answer] = await world.command("fran", "help")
    out = answer.message.text()
    for button in [b for block in answer.message.blocks if isinstance(block, Buttons)
                   for b in block.buttons if " more: " in b.label]:
        out += "\n" + await world.tap("fran", button.value)  # a section's "more" page
    for spec in build_router().commands():
        if spec.path == ("help",):
            continue
        shown = f"`{world.ctx.slash(spec.usage)}`"
        assert out.count(shown) == 1, spec.path


async def test_help_needs_no_consent_and_names_the_crisis_command(tmp_path):
    world = World(tmp_path)
    out = await world.say("newcomer", "help")
    assert "Welcome to peerbot" not in out
    assert "not a crisis service" in out and "`/peer crisis` lists lines" in out


async def test_a_long_section_shows_fifteen_lines_and_a_more_button(tmp_path, monkeypatch):
    monkeypatch.setattr(help_module, "MAX_LINES", 3)
    world = World(tmp_path)
    world.add("alice")
    [answer] = await world.command("alice", "help")
    buttons = [b for block in answer.message.blocks if isinstance(block, Buttons)
               for b in block.buttons]
    checkins = next(b for b in buttons if b.label.endswith("more: Check-ins"))
    shown = answer.message.text()
    out = await world.tap("alice", checkins.value)
    assert "*Check-ins* (continued)" in out
    hidden = [line for line in out.splitlines() if line.startswith("`/peer checkin")]
    assert hidden and not any(line in shown for line in hidden)


async def test_a_stale_or_forged_more_button_shows_the_whole_help(tmp_path):
    world = World(tmp_path)
    world.add("alice")
    out = await world.tap("alice", action_ids.encode(help_module.MORE, "99"))
    assert "That list has changed" in out and "*Right now*" in out
    for forged in ("³", "-1", "1e9"):  # the core or help refuses; nothing breaks
        out = await world.tap("alice", action_ids.encode(help_module.MORE, forged))
        assert "no longer valid" in out or "That list has changed" in out
