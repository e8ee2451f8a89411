"""`/peer group ...`: which peer groups exist and which you belong to."""

from __future__ import annotations

from bot.agreements.commands import joined_card
from bot.core.errors import UsageError
from bot.core.model import Context, Message, Reply, Section, reply
from bot.core.router import Request, Router
from bot.pairing.midround import withdraw_from_pairing


def list_groups(request: Request) -> Reply:
    members = request.ctx.members
    mine = {g.id for g in members.groups_of(request.workspace_id, request.user_id)}
    groups = members.groups(request.workspace_id)
    if not groups:
        return reply(Section("There are no peer groups in this workspace yet."))
    lines = [f"• {g.name}{' (you are a member)' if g.id in mine else ''}" for g in groups]
    example = next((g.name for g in groups if g.id not in mine), groups[0].name)
    return reply(Section("*Peer groups*\n" + "\n".join(lines)),
                 Context(f"Join one with `{request.ctx.slash(f'group join {example}')}` "
                         "(names of several words need no quotes)."))


def join(request: Request) -> Reply:
    name = " ".join(request.args) or request.group_name
    members = request.ctx.members
    group = request.group(name)
    members.join_group(request.workspace_id, group.id, request.user_id)
    if members.holds(request.workspace_id, group.id).get(request.user_id) is None:
        return reply(Section(f"You're part of *{group.name}*."))
    # Until they agree, the group's prompts, rounds and sessions don't reach them.
    card = joined_card(request, group)
    return Reply(Message(blocks=(Section(
        f"You're now part of *{group.name}*. First, its agreement: every member agrees "
        "to it before the group's check-ins, pairing rounds and sessions reach them."),
        *card.blocks), fallback=card.fallback))


def leave(request: Request) -> Reply:
    name = " ".join(request.args) or request.group_name
    if not name:
        raise UsageError("Which group do you want to leave?")
    members = request.ctx.members
    group = request.group(name)
    # A partner in a running pairing round is told kindly, as with `pair leave`. Both
    # changes are in the command's one unit of work (the dispatcher commits it).
    withdraw_from_pairing(request.ctx, request.workspace_id, group.id, request.user_id)
    members.leave_group(request.workspace_id, group.id, request.user_id)
    return reply(Section(f"You've left *{group.name}*. Your own history stays yours to see."))


def register(router: Router) -> None:
    router.command("group list", list_groups, summary="the peer groups here", usage="group list")
    router.command("group join", join, summary="join a peer group", usage="group join <name>")
    router.command("group leave", leave, summary="leave a peer group", usage="group leave <name>")
