"""`/peer crisis post [country]`: a facilitator shares the crisis card with their group.

Unlike a member's own crisis request (never stored, never logged: bot/crisis/commands.py),
posting the card to a channel is a facilitator action like running a round, so it is
audited: who, which group, which country. The card is for the group's country (the
group's ``country`` setting, else the workspace default) unless the facilitator names
one; a name that is no country is refused and nothing is posted. A member who is not a
facilitator typing `/crisis post ...` gets their own crisis lines, never a refusal.
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.countries import require_country
from bot.core.errors import GroupChoiceError
from bot.core.members import Group
from bot.core.model import Context, Message, Reply, Role, Visibility
from bot.core.router import Request, Router
from bot.crisis.commands import country_code, show


def _workspace_country(request: Request) -> str:
    return request.ctx.members.workspace_defaults(request.workspace_id)[1]


def _group(request: Request) -> Group | None:
    """The group posted for, which the person must facilitate. A workspace-wide
    facilitator (a platform role, an admin) outside any group posts for no group."""
    try:
        group = request.group()
    except GroupChoiceError:
        actor = request.actor
        wide = {Role.FACILITATOR, Role.ADMIN} & set(actor.platform_roles)
        if not wide and request.member.role < Role.ADMIN:
            raise
        return None
    return request.facilitated_group(group)


def group_country(request: Request, group_name: str) -> str:
    """The group's ``country`` setting, else the workspace default."""
    return request.ctx.settings.group(group_name).country or _workspace_country(request)


def post(request: Request) -> Reply:
    """`/peer crisis post [country]`: a facilitator shares the card with their group's
    channel; the group's country unless they name one. Audited (who, group, country)."""
    if request.role < Role.FACILITATOR:
        # `/crisis post traumatic stress` from a member is a crisis request, not a refusal:
        # they get their own lines, their words are not echoed.
        if request.args:
            request.args = ["post", *request.args]
            return show(request)
        own = show(request)
        note = Context(f"Sharing this card with a channel (`{request.ctx.slash('crisis post')}`)"
                       " is for facilitators; these are your own lines, only you see them.")
        return Reply(message=Message(blocks=(*own.message.blocks, note)),
                     visibility=Visibility.PRIVATE)
    group = _group(request)
    text = " ".join(request.args)
    if text:  # a name that is no country is refused (a UserError): nothing is posted
        code = country_code(request, text) or require_country(text).code
    elif group is not None:
        code = group_country(request, group.name)
    else:
        code = _workspace_country(request)
    card = request.ctx.crisis.card(code, command=request.ctx.command_name)
    where = group.name if group is not None else "(no group)"
    record(request.ctx, request, "crisis.post", f"{where}: {code}")
    return Reply(message=card, visibility=Visibility.CHANNEL)


def register(router: Router) -> None:
    router.command(
        "crisis post",
        post,
        summary="(facilitators) post the crisis-lines card for your group's country",
        usage="crisis post [country code]",
        needs_consent=False,
    )
