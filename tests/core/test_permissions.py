"""Roles are checked in the core: a refused command changes nothing.

The commands that grant roles are tested in tests/community/test_roles.py.
"""

from __future__ import annotations

from bot.core.model import Invocation, Role
from bot.demo import seed_demo


async def run(assembly, actor, text):
    replies = await assembly.core.handle_invocation(Invocation(actor=actor, command="peer",
                                                               text=text))
    return "\n".join(r.message.text() for r in replies)


async def test_member_running_an_admin_command_is_refused_politely(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("bob"), "admin role alice admin")
    assert "is for admins" in out and "Nothing was changed" in out
    assert assembly.ctx.members.get("console", "alice").role == Role.MEMBER


async def test_member_cannot_run_facilitator_commands(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("carol"), "admin members")
    assert "is for facilitators" in out


async def test_platform_vouched_role_counts(assembly, actor):
    seed_demo(assembly.core, "console")
    vouched = actor("dan", platform_roles=frozenset({Role.FACILITATOR}))
    assert "6 member(s)" in await run(assembly, vouched, "admin members")


async def test_config_facilitators_and_admins_are_applied(make_settings, clock, actor):
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings(
        {"bot": {"admins": ["U9"]}, "groups": [{"name": "Tuesday", "facilitators": ["U7"]}]}
    )
    asm = assemble(settings, open_database(settings.bot.database), clock, "slack")
    await run(asm, actor("U7", "T1"), "help")
    await run(asm, actor("U9", "T1"), "help")
    assert asm.ctx.members.role_of(actor("U7", "T1")) == Role.FACILITATOR
    assert asm.ctx.members.role_of(actor("U9", "T1")) == Role.ADMIN
    assert asm.ctx.members.role_of(actor("U8", "T1")) == Role.MEMBER


async def test_platform_vouched_facilitator_runs_group_commands(assembly, actor):
    seed_demo(assembly.core, "console")
    vouched = actor("dan", platform_roles=frozenset({Role.FACILITATOR}))
    assert "is for facilitators" not in await run(assembly, vouched, "pulse")
    assert "only facilitators" not in await run(assembly, vouched, "pair preview")
    plain = actor("erin")
    assert "is for facilitators" in await run(assembly, plain, "pulse")


async def test_a_repeated_command_writes_nothing(make_settings, clock, actor):
    """Enrolment runs on every event; a durable write each time would fsync per click."""
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings(
        {"bot": {"admins": ["U9"]}, "groups": [{"name": "Tuesday", "facilitators": ["U9"]}]}
    )
    asm = assemble(settings, open_database(settings.bot.database), clock, "slack")
    await run(asm, actor("U9", "T1"), "help")
    before = asm.ctx.db.conn.total_changes
    await run(asm, actor("U9", "T1"), "help")
    assert asm.ctx.db.conn.total_changes == before
    assert asm.ctx.members.role_of(actor("U9", "T1")) == Role.ADMIN
