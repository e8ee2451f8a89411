"""What the pairing commands and buttons share: reading a request, starting a round, skip words.

Both ``commands`` (typed) and ``buttons`` (pressed) import this module and neither
imports the other, so a button that does what a command does (start the previewed
round, skip a round) reuses the very same handler and wording.
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.members import Group
from bot.core.model import Reply, Section, message, reply
from bot.core.router import Request
from bot.pairing import messages as texts
from bot.pairing import views
from bot.pairing.midround import Change, Outcome
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import Plan, RoundBusy, RoundService, TooFew
from bot.pairing.scheduled import prepared_plan
from bot.pairing.writing import RoundWriter

INVALID = "That button is no longer valid. Nothing was changed."


def pairing_members(request: Request) -> PairingMembers:
    return PairingMembers(request.ctx.db, request.ctx.clock)


def private_reply(*blocks, replace: bool = False) -> Reply:
    return Reply(message(*blocks), replace_original=replace)


def int_arg(request: Request, index: int = 0) -> int | None:
    """The button's ``index``-th argument as a number, or None when missing or forged."""
    try:
        return int(request.action_args[index])
    except (IndexError, ValueError):
        return None


def prepare_round(request: Request, group: Group | None = None) -> Plan | None:
    """The matching of `/peer pair round`, before its unit of work: run on the slow
    lane outside any transaction (bot.core.router ``prepare``), so no write lock is held
    while a large group is matched; :func:`run_round` uses it if nothing changed since."""
    return prepared_plan(request.ctx, request.facilitated_group(group))


def run_round(request: Request, group: Group | None = None) -> Reply:
    """`/peer pair round`, and the preview's "Start this round" button."""
    group = request.facilitated_group(group)
    ctx = request.ctx
    prepared = request.prepared if isinstance(request.prepared, Plan) else None
    try:
        round_, plan = RoundService(ctx).start(request.workspace_id, group, steps=True,
                                                started_by=request.user_id, prepared=prepared)
    except RoundBusy as busy:
        return reply(Section(views.busy_text(ctx, group, busy.current, request.zone)))
    except TooFew as few:
        return reply(Section(views.too_few_text(ctx, few.plan)))
    record(ctx, request, "pair.round", f"group {group.name}: round {round_.id}")
    # The introductions are queued in short units of their own once this one commits,
    # before this reply goes out (bot.pairing.writing); a restart mid-way resumes them.
    request.after_commit(lambda: RoundWriter(ctx).finish(round_.id))
    unpaired = len(plan.proposal.unpaired)
    follow_up = round_.follow_up_at
    follow_up_text = request.local_time(follow_up) if follow_up else "later"
    if len(plan.participants) < views.MIN_SHAPE:  # counts could point at a conflict
        done = ("everyone who could be placed was introduced in their own conversation; "
                "anyone who couldn't was told why privately.")
    else:
        done = (f"{views.shape_text(plan)} introduced in their own conversations."
                + (f" {unpaired} not paired, each told privately." if unpaired else ""))
    return reply(
        Section(
            f"Round started in *{group.name}*: {done}"
            f" The \"Did you meet?\" follow-up goes out {follow_up_text}."
        )
    )


def skip_text(group: Group, outcome: Outcome) -> str:
    """What skipping (or stepping out) did, for the member who asked."""
    match outcome.code:
        case Change.SKIPPED:
            return f"You'll sit out the coming round in *{group.name}*; you stay in for the next."
        case Change.SKIP_NEXT:
            return f"You'll sit out the next round in *{group.name}*; you stay in after that."
        case Change.STEPPED_OUT:
            return f"You've stepped out of this round in *{group.name}*." + (
                f" {texts.names(list(outcome.names))} will hear you can't make it (no reason "
                "given) and can join another pair." if outcome.names else "")
        case Change.OVER:
            return "That round is already over. Nothing was changed."
        case Change.STALE:
            return (f"That round in *{group.name}* has already started, so this button no "
                    "longer skips it. Nothing was changed. To leave the running round, use "
                    "the button below; your partner is told kindly.")
        case Change.UNSKIPPED:
            return f"You're back in for the coming round in *{group.name}*."
        case Change.STARTED:
            return (f"The round you skipped in *{group.name}* has already started, so the "
                    "skip can't be undone; you'll be in the next one.")
        case Change.NOTHING:
            return f"You weren't skipping a round in *{group.name}*. Nothing was changed."
    raise ValueError(f"no words for skipping with outcome {outcome.code!r}")
