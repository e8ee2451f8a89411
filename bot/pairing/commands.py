"""`/peer pair ...`: opt in, private conflicts, history, skip, on-demand; facilitator rounds.

Thin: resolve the group, call a pairing service, turn its outcome into words. Every
reply is private. A declared conflict is confirmed only to the person who declared it.
"""

from __future__ import annotations

from bot.core.errors import UsageError
from bot.core.model import Context, Reply, Role, Section, reply
from bot.core.router import Request, Router
from bot.core.timeparse import parse_days, parse_time_range
from bot.pairing import messages as texts
from bot.pairing import views
from bot.pairing.history import history_blocks, label_of
from bot.pairing.midround import Change, MidRound, withdraw_from_pairing
from bot.pairing.model import RoundStatus
from bot.pairing.now import NowResult, NowService
from bot.pairing.participants import DEFAULT_HOURS
from bot.pairing.replies import (
    INVALID,
    int_arg,
    pairing_members,
    prepare_round,
    run_round,
    skip_text,
)
from bot.pairing.rounds import RoundService
from bot.privacy.pseudonym import is_pseudonym

# ---- member commands ---------------------------------------------------------------------


def status(request: Request) -> Reply:
    if request.args:
        near = request.router.suggestions(["pair", *request.args])
        hint = " or ".join(f"`{request.ctx.slash(p)}`" for p in near)
        raise UsageError(
            f"I don't know `{request.ctx.slash('pair ' + request.args[0][:30])}`."
            + (f" Did you mean {hint}?" if hint else "")
        )
    blocks = views.status_blocks(request.ctx, request.member)
    return reply(*blocks, Context(f"`{request.ctx.slash('help')}` lists the pair commands."))


def join(request: Request) -> Reply:
    group = request.group()
    new = pairing_members(request).join(request.workspace_id, group.id, request.user_id)
    first = "You're in" if new else "You were already in"
    ctx = request.ctx
    return reply(
        Section(
            f"{first} for debrief pairing in *{group.name}*: "
            f"{views.next_round_text(ctx, group, request.zone)}."
        ),
        Context(
            f"Private controls: `{ctx.slash('pair avoid @someone')}` (never paired, never told), "
            f"`{ctx.slash('pair skip')}`, `{ctx.slash('pair hours')}`, `{ctx.slash('pair leave')}`."
        ),
    )


def leave(request: Request) -> Reply:
    group = request.group()
    ctx = request.ctx
    was_in, outcome = withdraw_from_pairing(ctx, request.workspace_id, group.id, request.user_id)
    if not was_in:
        return reply(Section(f"You weren't taking part in pairing in *{group.name}*."))
    text = f"You've left debrief pairing in *{group.name}*. You won't be matched or asked again."
    if outcome is not None and outcome.code is Change.STEPPED_OUT and outcome.names:
        text += (
            f" {texts.names(list(outcome.names))} will hear that you can't make this "
            "round (no reason given) and can join another pair."
        )
    return reply(Section(text), Context(f"Come back any time with `{ctx.slash('pair join')}`."))


def _named_member(request: Request):
    if len(request.args) != 1:
        raise UsageError("Name one member, e.g. @sam.")
    token = request.args[0]
    other = request.ctx.members.resolve_mention(request.workspace_id, token)
    if other is None:
        raise UsageError(
            f"I don't know a member called “{token[:40]}” in this workspace. Check the spelling "
            "(or pick them from the @-list). Nothing was changed."
        )
    if other.user_id == request.user_id:
        raise UsageError("That's you. Nothing was changed.")
    return other


def avoid(request: Request) -> Reply:
    other = _named_member(request)
    new = pairing_members(request).avoid(request.workspace_id, request.user_id, other.user_id)
    blocks: list = [
        Section(
            f"{'Done' if new else 'Already on your list'}: you and {other.label} will never be "
            "paired. This is private: they are not told, and facilitators don't see it."
        )
    ]
    running = MidRound(request.ctx).round_paired_with(request.workspace_id, request.user_id,
                                                      other.user_id)
    if running is not None:
        blocks.append(Section(
            f"You're paired with {other.label} in the current round. Step out of it? They'll "
            "only hear that you can't make it, never why."
        ))
        blocks.append(texts.step_out_button(running))
    return reply(*blocks)


def unavoid(request: Request) -> Reply:
    other = _named_member(request)
    removed = pairing_members(request).unavoid(request.workspace_id, request.user_id, other.user_id)
    if not removed:
        return reply(Section(f"{other.label} wasn't on your don't-pair list. Nothing changed."))
    return reply(Section(f"Removed {other.label} from your private don't-pair list."))


def conflicts(request: Request) -> Reply:
    ids = pairing_members(request).declared_by(request.workspace_id, request.user_id)
    if not ids:
        return reply(Section(
            f"Your don't-pair list is empty. `{request.ctx.slash('pair avoid @someone')}` adds "
            "someone privately."
        ))
    labels = ["someone who has since erased their data (you are still never paired)"
              if is_pseudonym(u) else label_of(request.ctx, request.workspace_id, u)
              for u in ids]
    return reply(
        Section("*Your private don't-pair list*\n" + "\n".join(f"• {name}" for name in labels)),
        Context("Only you see this list; nobody on it is ever told."),
    )


def history(request: Request) -> Reply:
    return reply(*history_blocks(request.ctx, request.member))


def skip(request: Request) -> Reply:
    group = request.group()
    ctx = request.ctx
    if not pairing_members(request).is_opted_in(request.workspace_id, group.id, request.user_id):
        return reply(Section(f"You're not taking part in pairing in *{group.name}*, so there's "
                             "nothing to skip."))
    outcome = MidRound(ctx).skip(request.workspace_id, group.id, request.user_id)
    return reply(Section(skip_text(group, outcome)))


def unskip(request: Request) -> Reply:
    """`/peer pair unskip`: back in for the coming round, until it starts."""
    group = request.group()
    if not pairing_members(request).is_opted_in(request.workspace_id, group.id, request.user_id):
        return reply(Section(f"You're not taking part in pairing in *{group.name}*, so there's "
                             "no skip to undo."))
    outcome = MidRound(request.ctx).unskip(request.workspace_id, group.id, request.user_id)
    return reply(Section(skip_text(group, outcome)))


def hours(request: Request) -> Reply:
    """`/peer pair hours [09:00-17:00 [days] | default]`: show or set the on-demand window."""
    people = pairing_members(request)
    ctx = request.ctx
    ws, user = request.workspace_id, request.user_id
    if request.args and request.args[0].lower() in ("default", "reset"):
        people.reset_hours(ws, user)
    elif request.args:
        start, end = parse_time_range(request.args[0])
        days = parse_days(" ".join(request.args[1:])) if len(request.args) > 1 else None
        people.set_hours(ws, user, start, end, days or people.hours(ws, user).days)
    current = people.hours(ws, user)
    zone = request.zone
    note = " (the default)" if current.is_default else ""
    if current.overnight:
        note += ", overnight: each shift ends the next morning"
    return reply(
        Section(f"Your working hours for `{ctx.slash('pair now')}` requests: {current.text} "
                f"{zone}, {current.days_text}{note}."),
        Context(f"Change with `{ctx.slash('pair hours 09:00-17:00 mon-fri')}`; "
                f"`{ctx.slash('pair hours default')}` goes back to {DEFAULT_HOURS.text} "
                f"on weekdays."),
    )


def now(request: Request) -> Reply:
    """`/peer pair now` (and the check-ins' button): say who would be asked, send nothing.

    The requester then taps "Ask with my name" or "Ask anonymously" (``now_ask``).
    """
    ctx = request.ctx
    service = NowService(ctx)
    if service.is_waiting(request.member):
        return reply(Section("You've already asked; I'll tell you the moment someone says "
                             "yes."))
    outcome = service.ready(request.member)
    if outcome.code is NowResult.READY:
        return Reply(texts.now_confirm(outcome.count, request.member.label, _minutes(request)))
    return _not_asked(request, outcome)


def now_ask(request: Request) -> Reply:
    """The confirm card's buttons: ask now, with the requester's name (1) or without (0)."""
    choice = int_arg(request)
    if choice not in (0, 1):
        return reply(Section(INVALID))
    named = choice == 1
    outcome = NowService(request.ctx).request(request.member, named=named)
    if outcome.code is NowResult.ASKED:
        return _asked(request, outcome.count, named)
    return _not_asked(request, outcome)


def _not_asked(request: Request, outcome) -> Reply:
    command = request.ctx.command_name
    match outcome.code:
        case NowResult.NOBODY_OPTED_IN:
            return Reply(texts.now_nobody_opted_in(command))
        case NowResult.NOBODY:
            return Reply(texts.now_nobody_available(command))
        case NowResult.BUSY:
            return reply(Section("You've already asked; I'll tell you the moment someone says "
                                 "yes."))
    raise ValueError(f"no words for a pair-now request with outcome {outcome.code!r}")


def _minutes(request: Request) -> int:
    timeout = NowService(request.ctx).timeout(request.workspace_id, request.user_id)
    return int(timeout.total_seconds() // 60)


def _asked(request: Request, count: int, named: bool = True) -> Reply:
    ctx = request.ctx
    people = "1 colleague" if count == 1 else f"{count} colleagues"
    how = "with your name" if named else "anonymously (your name goes only to whoever says yes)"
    return reply(
        Section(
            f"I've asked {people} who are free now, {how}. The first to say yes will be "
            f"connected with you; you'll hear within {_minutes(request)} minutes either way."
        ),
        Context(f"If things feel heavy right now, `{ctx.slash('crisis')}` lists crisis lines."),
    )


# ---- facilitator commands ------------------------------------------------------------------


def preview(request: Request) -> Reply:
    group = request.facilitated_group()
    service = RoundService(request.ctx)
    current = service.open_round(request.workspace_id, group.id)
    if current is not None and current.status is RoundStatus.ACTIVE:
        return reply(Section(views.busy_text(request.ctx, group, current, request.zone)))
    plan = service.plan(request.workspace_id, group, current, facts=False)  # never prepared
    if len(plan.participants) < 2:
        return reply(Section(views.too_few_text(request.ctx, plan)))
    return reply(*views.preview_blocks(request.ctx, service, plan))


def home(request: Request) -> list:
    return views.status_blocks(request.ctx, request.member)


def welcome_line(request: Request) -> str:
    """How pairing works, for a new member's welcome (nothing about anyone else)."""
    slash = request.ctx.slash
    return (f"Debrief pairing is opt-in (`{slash('pair join')}`): each round pairs you with a "
            f"colleague from your group; `{slash('pair avoid @someone')}` privately keeps "
            "you apart from anyone.")


def register(router: Router) -> None:
    def cmd(phrase, handler, summary, usage="", **kw) -> None:
        router.command(phrase, handler, summary=summary, usage=usage or phrase, **kw)

    cmd("pair", status, "whether you're in pairing, your next round, your last partner")
    cmd("pair join", join, "opt in to debrief pairing")
    cmd("pair leave", leave, "opt out (a partner in a running round is told kindly)")
    cmd("pair avoid", avoid, "never be paired with someone (private; they are never told)",
        "pair avoid @someone")
    cmd("pair unavoid", unavoid, "remove someone from your don't-pair list",
        "pair unavoid @someone")
    cmd("pair conflicts", conflicts, "your private don't-pair list")
    cmd("pair history", history, "your past partners")
    cmd("pair skip", skip, "sit out the coming round (you stay in for the next)")
    cmd("pair unskip", unskip, "undo a skip, until the round starts")
    cmd("pair hours", hours, "your working hours for on-demand requests",
        "pair hours [09:00-17:00 [mon-fri] | default]")
    cmd("pair now", now, "find a peer for a debrief right now")
    cmd("pair preview", preview, "the coming round in counts, only to you (never who with whom)",
        role=Role.FACILITATOR)
    cmd("pair round", run_round, "run a pairing round now", role=Role.FACILITATOR,
        prepare=prepare_round)
    router.action("pair.now", now)  # the check-ins' "Find a debrief partner now" button
    router.action("pair.nowask", now_ask)  # the confirm card: with my name / anonymously
