"""`/peer admin role` and `/peer admin members`: admins grant roles, facilitators list."""

from __future__ import annotations

from bot.audit.log import AuditService
from bot.core.model import Invocation, Role
from bot.demo import seed_demo


async def run(assembly, actor, text):
    replies = await assembly.core.handle_invocation(Invocation(actor=actor, command="peer",
                                                               text=text))
    return "\n".join(r.message.text() for r in replies)


def roles(assembly) -> dict[str, Role]:
    return {m.user_id: m.role for m in assembly.ctx.members.all("console")}


def facilitators(assembly) -> list[str]:
    return assembly.ctx.members.facilitators("console", 1)


async def test_admin_grants_facilitator_who_then_may(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("fran"), "admin role carol facilitator")
    assert "carol is now a facilitator" in out
    assert assembly.ctx.members.role_of(actor("carol")) == Role.FACILITATOR
    assert "6 member(s)" in await run(assembly, actor("carol"), "admin members")


async def test_admin_members_marks_facilitators(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("fran"), "admin members")
    assert "*Circle*: 6 member(s)" in out and "• fran (facilitator)" in out
    assert "• alice\n" in out


async def test_unknown_member_mention_gets_a_clear_reply(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("fran"), "admin role <@UNOBODY> facilitator")
    assert "I don't know a member called <@UNOBODY>" in out


async def test_admin_role_on_an_unknown_member_changes_nothing(assembly, actor):
    seed_demo(assembly.core, "console")
    before = (roles(assembly), facilitators(assembly))
    out = await run(assembly, actor("fran"), "admin role nobody facilitator")
    assert "I don't know a member called nobody here." in out
    assert "Usage: `/peer admin role @someone" in out
    assert (roles(assembly), facilitators(assembly)) == before
    assert AuditService(assembly.ctx.db, assembly.ctx.clock).recent("console") == []


async def test_an_admin_cannot_demote_themselves(assembly, actor):
    seed_demo(assembly.core, "console")
    out = await run(assembly, actor("fran"), "admin role fran member")
    assert "You can't remove your own admin role" in out and "Usage:" not in out
    assert roles(assembly)["fran"] == Role.ADMIN
