"""`/peer admin role` and `/peer admin members`: who may facilitate, who is in a group."""

from __future__ import annotations

from bot.audit.log import record
from bot.core.errors import UsageError, UserError
from bot.core.model import Reply, Role, Section, reply
from bot.core.router import ROLE_NAMES, Request, Router

ROLE_WORDS = {name: role for role, name in ROLE_NAMES.items()}


def set_role(request: Request) -> Reply:
    if len(request.args) != 2 or request.args[1].lower() not in ROLE_WORDS:
        raise UsageError("Name a member and a role: member, facilitator or admin.")
    members = request.ctx.members
    target = members.resolve_mention(request.workspace_id, request.args[0])
    if target is None:
        raise UsageError(f"I don't know a member called {request.args[0][:40]} here.")
    role = ROLE_WORDS[request.args[1].lower()]
    if target.user_id == request.user_id and role < Role.ADMIN:
        raise UserError("You can't remove your own admin role; ask another admin.")
    members.set_role(request.workspace_id, target.user_id, role)
    group = request.group()
    members.set_facilitator(request.workspace_id, group.id, target.user_id,
                            role >= Role.FACILITATOR)
    record(request.ctx, request, "role.set", f"{target.user_id} -> {ROLE_NAMES[role]}")
    return reply(Section(f"{target.label} is now a {ROLE_NAMES[role]} in *{group.name}*."))


def list_members(request: Request) -> Reply:
    members = request.ctx.members
    group = request.facilitated_group()  # a facilitator of another group sees nothing here
    facilitators = set(members.facilitators(request.workspace_id, group.id))
    lines = [
        f"• {m.label}{' (facilitator)' if m.user_id in facilitators else ''}"
        f"{' (cannot be messaged)' if m.undeliverable_reason else ''}"
        for m in members.group_members(request.workspace_id, group.id)
    ]
    return reply(Section(f"*{group.name}*: {len(lines)} member(s)\n" + "\n".join(lines)))


def register(router: Router) -> None:
    router.command(
        "admin role",
        set_role,
        role=Role.ADMIN,
        summary="make someone a member, facilitator or admin of a group",
        usage="admin role @someone member|facilitator|admin",
    )
    router.command(
        "admin members",
        list_members,
        role=Role.FACILITATOR,
        summary="who is in the group (no answers, ever)",
        usage="admin members",
    )
