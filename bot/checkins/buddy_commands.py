"""`/peer checkin buddy ...` and the buddy's accept/decline buttons.

Replies go only to the person acting; who is whose buddy never appears anywhere else.
"""

from __future__ import annotations

from bot.checkins.buddy import BuddyService, Response, Trigger
from bot.core.errors import UsageError, UserError
from bot.core.model import Reply, Section, reply
from bot.core.receipts import TARGET_TTL
from bot.core.router import Request


def buddy(request: Request) -> Reply:
    ctx = request.ctx
    service = BuddyService(ctx.db, ctx.clock, ctx.settings)
    if not request.args:
        link = service.link_of(request.workspace_id, request.user_id)
        if link is None:
            example = ctx.slash("checkin buddy @someone two-low")
            return reply(Section(f"You have no check-on-me buddy. `{example}` asks one."))
        who = ctx.members.get(request.workspace_id, link.buddy_id)
        name = who.label if who else link.buddy_id
        return reply(Section(f"Your buddy: {name} ({link.status}); trigger: {link.trigger}. "
                             "Only the two of you know."))
    if request.args[0].lower() == "off":
        removed = service.remove(request.workspace_id, request.user_id)
        return reply(Section("Your buddy link is removed; nobody is told." if removed
                             else "You had no buddy set."))
    target = ctx.members.resolve_mention(request.workspace_id, request.args[0])
    if target is None:
        raise UsageError(f"I don't know a member called {request.args[0][:40]} here.")
    if target.user_id == request.user_id:
        raise UsageError("Your buddy has to be someone else.")
    trigger = _trigger(request.args[1] if len(request.args) > 1 else Trigger.TWO_LOW)
    _limit(request, target.user_id, target.label)
    service.ask(request.workspace_id, request.user_id, request.member.label, target.user_id,
                trigger)
    return reply(Section(
        f"I've asked {target.label} privately. If they accept, they'll get a gentle nudge to "
        f"reach out after {_meaning(trigger)}, with no scores and no content. Nobody else "
        f"learns who your buddy is. `{ctx.slash('checkin buddy off')}` ends it any time."))


INVITES_PER_HOUR = 3


def _limit(request: Request, target: str, label: str) -> None:
    """One invitation to the same person an hour, three an hour in all: an invitation
    is a message to someone else, and nobody may use peerbot to flood a colleague."""
    receipts, ws, me = request.ctx.receipts, request.workspace_id, request.user_id
    if not receipts.claim(ws, "dm", "buddy", me, target, ttl=TARGET_TTL):
        raise UserError(f"You asked {label} less than an hour ago; I won't message them "
                        "again so soon. Nothing was sent.")
    if not receipts.claim_slot(ws, "dm", "buddy-any", me, slots=INVITES_PER_HOUR,
                               ttl=TARGET_TTL):
        raise UserError(f"You've sent {INVITES_PER_HOUR} buddy invitations in the last hour; "
                        "please wait before asking someone else. Nothing was sent.")


def _trigger(word: str) -> Trigger:
    try:
        return Trigger(word.lower())
    except ValueError:
        raise UsageError(f"The trigger is one of: {', '.join(Trigger)}.") from None


def _meaning(trigger: Trigger) -> str:
    match trigger:
        case Trigger.TWO_LOW:
            return "two check-ins in a row at the burned-out end"
        case Trigger.TWO_MISSED:
            return "two missed check-ins in a row"


def _buddy_response(request: Request, accept: bool) -> Reply:
    if len(request.action_args) != 1:
        return reply(Section("That button is no longer valid. Nothing was changed."))
    member_id = request.action_args[0]
    outcome = BuddyService(request.ctx.db, request.ctx.clock, request.ctx.settings).respond(
        request.workspace_id, request.user_id, member_id, accept, request.member.label)
    member = request.ctx.members.get(request.workspace_id, member_id)
    name = member.label if member else "they"
    match outcome:
        case Response.ACCEPTED:
            text = (f"Thank you. You'll get a gentle private nudge if {name} might like to "
                    "hear from you. You never see their answers.")
        case Response.DECLINED:
            text = f"That's fine. {name} will only hear that you're not available."
        case Response.STALE:
            text = "That request is no longer open. Nothing was changed."
    return reply(Section(text))


def buddy_yes(request: Request) -> Reply:
    return _buddy_response(request, True)


def buddy_no(request: Request) -> Reply:
    return _buddy_response(request, False)
