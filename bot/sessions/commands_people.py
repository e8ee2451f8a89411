"""Members' session commands and buttons: RSVP, step down, swap, the agenda, the calendar
file. Each refusal is a UserError before anything is written (the dispatcher rolls back)."""

from __future__ import annotations

from bot.core.errors import UsageError, UserError
from bot.core.members import Group
from bot.core.model import Context, Message, Reply, Section, message, reply
from bot.core.router import Request
from bot.sessions import announce, messages
from bot.sessions.agenda import Agenda
from bot.sessions.calendar import attachment_for
from bot.sessions.commands import pick_meeting
from bot.sessions.model import ANSWERS, Meeting
from bot.sessions.people import People, Swapped
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions

WORDS = {"going": "going", "yes": "going", "maybe": "maybe", "not": "not", "no": "not",
         "not-going": "not", "notgoing": "not"}


def _member_group(request: Request) -> Group:
    group = request.group()
    if request.user_id not in request.ctx.members.holds(group.workspace_id, group.id):
        raise UserError(f"You're not a member of *{group.name}*. Nothing was changed.")
    return group


def _from_button(request: Request) -> tuple[Group, Meeting]:
    try:
        meeting_id = int(request.action_args[0])
    except (IndexError, ValueError):
        raise UserError("That button is no longer valid. Nothing was changed.") from None
    meeting = Sessions(request.ctx).meeting(request.workspace_id, meeting_id)
    group = request.ctx.members.group(request.workspace_id, meeting.group_id) if meeting else None
    if meeting is None or group is None:
        raise UserError("That session no longer exists. Nothing was changed.")
    if request.user_id not in request.ctx.members.holds(group.workspace_id, group.id):
        raise UserError(f"You're not a member of *{group.name}*. Nothing was changed.")
    return group, meeting


def _rsvp_reply(request: Request, group: Group, meeting: Meeting, answer: str) -> Message:
    counts = People(request.ctx).counts(meeting.id)
    return message(Section(
        f"Noted: *{messages.ANSWER_WORDS[answer]}* to *{group.name}*'s session on "
        f"{request.local_time(meeting.starts_at)}. Going: {counts['going']} · maybe: "
        f"{counts['maybe']} · not going: {counts['not']}."),
        Context("Change your answer any time." + (
            " Your role there passes to the next in line." if answer == "not" else "")))


def rsvp(request: Request) -> Reply:
    group = _member_group(request)
    meeting, rest = pick_meeting(request, group, request.args)
    answer = WORDS.get(" ".join(rest).lower().replace("not going", "not"))
    if answer not in ANSWERS:
        raise UsageError("Answer `going`, `maybe` or `not`. Nothing was changed.")
    People(request.ctx).rsvp(group, meeting, request.user_id, answer)
    return Reply(_rsvp_reply(request, group, meeting, answer))


def on_rsvp(request: Request) -> Reply:
    group, meeting = _from_button(request)
    answer = request.action_args[1] if len(request.action_args) > 1 else ""
    if answer not in ANSWERS:
        raise UserError("That button is no longer valid. Nothing was changed.")
    People(request.ctx).rsvp(group, meeting, request.user_id, answer)
    return Reply(_rsvp_reply(request, group, meeting, answer))


def _stepped(request: Request, group: Group, meeting: Meeting, role: str) -> Reply:
    holder = Planner(request.ctx).assignments(meeting.id).get(role)
    nxt = messages.name(request.ctx, group.workspace_id, holder.user_id if holder else None)
    return reply(Section(
        f"Done: you stepped down as *{role}* for the session on "
        f"{request.local_time(meeting.starts_at)}. Next in line, asked now: {nxt}."),
        Context("You can still come: RSVP as usual."))


def step_down(request: Request) -> Reply:
    group = _member_group(request)
    meeting, _ = pick_meeting(request, group, request.args)
    role = People(request.ctx).step_down(group, meeting, request.user_id)
    return _stepped(request, group, meeting, role)


def on_step_down(request: Request) -> Reply:
    group, meeting = _from_button(request)
    role = People(request.ctx).step_down(group, meeting, request.user_id)
    return _stepped(request, group, meeting, role)


def on_keep(request: Request) -> Reply:
    group, meeting = _from_button(request)
    role = Planner(request.ctx).role_of(meeting.id, request.user_id)
    if role is None:
        raise UserError("You no longer have a role in that session. Nothing was changed.")
    return reply(Section(f"Thank you: you're *{role}* at *{group.name}*'s session on "
                         f"{request.local_time(meeting.starts_at)}."))


def swap(request: Request) -> Reply:
    ctx = request.ctx
    group = _member_group(request)
    meeting, rest = pick_meeting(request, group, request.args)
    if len(rest) != 1:
        raise UsageError("Swap with whom? `session swap @someone` (add `#<session>` for a "
                         "later one). Nothing was changed.")
    other = ctx.members.resolve_mention(request.workspace_id, rest[0])
    if other is None or other.user_id not in ctx.members.holds(group.workspace_id, group.id):
        raise UserError(f"“{rest[0][:40]}” isn't a member of *{group.name}*. "
                        "Nothing was changed.")
    People(ctx).ask_swap(group, meeting, request.user_id, other.user_id)
    return reply(Section(f"Asked {other.label} to swap your role at the session on "
                         f"{request.local_time(meeting.starts_at)}; they accept with one tap. "
                         "You keep the role until they do."))


def _swap_from(request: Request) -> tuple[int, tuple]:
    try:
        swap_id = int(request.action_args[0])
    except (IndexError, ValueError):
        raise UserError("That button is no longer valid. Nothing was changed.") from None
    found = People(request.ctx).swap(swap_id, request.workspace_id)
    if found is None or found[3] != request.user_id:
        raise UserError("That swap request isn't yours. Nothing was changed.")
    if found[4] != "asked":
        raise UserError("That swap request was already answered. Nothing was changed.")
    return swap_id, found


def on_swap_accept(request: Request) -> Reply:
    ctx = request.ctx
    swap_id, (meeting_id, role, from_user, to_user, _) = _swap_from(request)
    sessions, people = Sessions(ctx), People(ctx)
    meeting = sessions.meeting(request.workspace_id, meeting_id)
    group = ctx.members.group(request.workspace_id, meeting.group_id) if meeting else None
    if meeting is None or group is None \
            or Planner(ctx).role_of(meeting.id, from_user) != role:
        people.settle_swap(swap_id, "stale")
        return reply(Section("That swap no longer fits: the role changed hands since. "
                             "Nothing else was changed."))
    outcome = people.accept_swap(group, meeting, role, from_user, to_user)
    people.settle_swap(swap_id, "accepted")
    when = messages.when(ctx, meeting, from_user)
    told = {Swapped.EXCHANGED: "you traded roles in that session",
            Swapped.TRADED: "you take their next turn in a later session (see the roster)",
            Swapped.TAKEN: "they had no turn coming, so they simply took it"}[outcome]
    announce.tell(ctx, meeting, f"swapped:{swap_id}", from_user,
                  f"{messages.name(ctx, group.workspace_id, to_user)} accepted your swap for "
                  f"the *{role}* role on {when}: {told}.", "session.swap.done")
    return Reply(message(Section(f"Swapped: you're *{role}* at *{group.name}*'s session on "
                                 f"{request.local_time(meeting.starts_at)}.\n"
                                 + messages.prep_guide(ctx, role))), replace_original=True)


def on_swap_decline(request: Request) -> Reply:
    ctx = request.ctx
    swap_id, (meeting_id, role, from_user, _, _) = _swap_from(request)
    people = People(ctx)
    people.settle_swap(swap_id, "declined")
    meeting = Sessions(ctx).meeting(request.workspace_id, meeting_id)
    if meeting is not None:
        announce.tell(ctx, meeting, f"swapno:{swap_id}", from_user,
                      f"{messages.name(ctx, request.workspace_id, request.user_id)} can't "
                      f"swap the *{role}* role this time; you keep it. Try someone else, or "
                      f"step down (`{ctx.slash('session stepdown')}`).", "session.swap.done")
    return Reply(message(Section("No problem: declined. Nothing else changed.")),
                 replace_original=True)


def agenda_add(request: Request) -> Reply:
    group = _member_group(request)
    meeting, rest = pick_meeting(request, group, request.args)
    number = Agenda(request.ctx).add(meeting, request.user_id, " ".join(rest))
    return reply(Section(f"Added as item {number} to the agenda of *{group.name}*'s session on "
                         f"{request.local_time(meeting.starts_at)}."))


def agenda_order(request: Request) -> Reply:
    ctx = request.ctx
    group = _member_group(request)
    meeting, rest = pick_meeting(request, group, request.args)
    lead = Planner(ctx).assignments(meeting.id).get(Sessions(ctx).roles(group)[0])
    if (lead is None or lead.user_id != request.user_id) \
            and not ctx.members.facilitates(request.actor, group.id):
        raise UserError("The discussion lead of that session (or a facilitator) orders its "
                        "agenda. Nothing was changed.")
    try:
        numbers = [int(w.strip(",")) for w in rest]
    except ValueError:
        raise UsageError("Give the item numbers in the new order: `session agenda order 3 1 2`."
                         " Nothing was changed.") from None
    items = Agenda(ctx).order(meeting, numbers)
    return reply(Section("New order:\n" + "\n".join(f"{i}. {item.text}"
                                                   for i, item in enumerate(items, 1))))


def agenda_remove(request: Request) -> Reply:
    ctx = request.ctx
    group = _member_group(request)
    meeting, rest = pick_meeting(request, group, request.args)
    if len(rest) != 1 or not rest[0].isdigit():
        raise UsageError("Which item? `session agenda remove 2`. Nothing was changed.")
    agenda = Agenda(ctx)
    items = agenda.items(meeting.id)
    number = int(rest[0])
    item = items[number - 1] if 1 <= number <= len(items) else None
    lead = Planner(ctx).assignments(meeting.id).get(Sessions(ctx).roles(group)[0])
    allowed = (item is None or item.user_id == request.user_id
               or (lead is not None and lead.user_id == request.user_id)
               or ctx.members.facilitates(request.actor, group.id))
    if not allowed:
        raise UserError("Whoever added an item, the session's discussion lead or a "
                        "facilitator removes it. Nothing was changed.")
    gone = agenda.remove(meeting, number)
    return reply(Section(f"Removed item {number} (“{gone.text[:60]}”) from the agenda."))


def calendar(request: Request) -> Reply:
    group = _member_group(request)
    meeting, _ = pick_meeting(request, group, request.args)
    return Reply(message(
        Section(f"*{group.name}*'s session on {request.local_time(meeting.starts_at)}: open "
                "the attached file to add it to your calendar. If the session moves or is "
                "cancelled, you get an updated file."),
        attachment=attachment_for(request.ctx, meeting, group.name)))
