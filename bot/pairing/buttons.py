"""The pairing buttons: skip, step out, re-pair, "Did you meet?", on-demand offers, crisis card.

Button state lives in the action id (``pair.<verb>|<round or request id>[:answer]``), so
every button keeps working after a restart; a stale or forged id gets a calm reply.
"""

from __future__ import annotations

from bot.core.model import Confirm, Message, Reply, Role, Section, reply
from bot.core.router import Request, Router
from bot.pairing import messages as texts
from bot.pairing.followup import FollowUps
from bot.pairing.midround import Change, MidRound, Outcome
from bot.pairing.model import Met
from bot.pairing.now import NowOutcome, NowResult, NowService
from bot.pairing.replies import (
    INVALID,
    int_arg,
    prepare_round,
    private_reply,
    run_round,
    skip_text,
)
from bot.pairing.rounds import RoundService


def round_action(request: Request) -> Reply:
    group = _group_of(request)
    if group is None:
        return reply(Section(INVALID))
    return run_round(request, group)


def round_confirm(request: Request) -> Confirm | None:
    """"Start the round in <group>?" where the platform has no dialog (bot.core.confirming)."""
    group = _group_of(request)
    return texts.start_round_confirm(group.name) if group is not None else None


def stepout_confirm(request: Request) -> Confirm:
    return texts.STEP_OUT_CONFIRM


def prepare_round_action(request: Request):
    group = _group_of(request)
    return prepare_round(request, group) if group is not None else None


def _group_of(request: Request):
    group_id = int_arg(request)
    return request.ctx.members.group(request.workspace_id, group_id) if group_id else None


# ---- buttons -----------------------------------------------------------------------------


def _round_of(request: Request):
    round_id = int_arg(request)
    return RoundService(request.ctx).get(request.workspace_id, round_id) if round_id else None


def skip_action(request: Request) -> Reply:
    round_ = _round_of(request)
    if round_ is None:
        return reply(Section(INVALID))
    outcome = MidRound(request.ctx).skip_from_heads_up(round_, request.user_id)
    group = request.ctx.members.group(request.workspace_id, round_.group_id)
    if outcome.code is Change.STALE:
        place = MidRound(request.ctx).place(round_.id, request.user_id)
        in_round = place is not None and place.state.in_round
        step_out = texts.step_out_button(round_.id)
        return private_reply(Section(skip_text(group, outcome)), *([step_out] if in_round else []))
    return private_reply(Section(skip_text(group, outcome)), replace=True)


def stepout_action(request: Request) -> Reply:
    round_ = _round_of(request)
    if round_ is None:
        return reply(Section(INVALID))
    outcome = MidRound(request.ctx).step_out(round_, request.user_id)
    if outcome.code is not Change.STEPPED_OUT:
        return reply(Section("You're not in that round any more. Nothing was changed."))
    group = request.ctx.members.group(request.workspace_id, round_.group_id)
    return private_reply(Section(skip_text(group, outcome)), replace=True)


def repair_action(request: Request) -> Reply:
    round_ = _round_of(request)
    if round_ is None:
        return reply(Section(INVALID))
    outcome = MidRound(request.ctx).repair(round_, request.user_id)
    return private_reply(Section(repair_text(outcome)), replace=True)


def repair_text(outcome: Outcome) -> str:
    names = texts.names(list(outcome.names))
    match outcome.code:
        case Change.PAIRED:
            return f"You're now paired with {names}; you'll find each other in a new conversation."
        case Change.JOINED:
            return f"You've joined {names} as a trio; the introduction is on its way."
        case Change.NO_MATCH:
            return ("Sorry, nobody else could be matched this round. You'll be among the first "
                    "next round.")
        case Change.OVER:
            return "This round is already over; you'll be among the first next round."
        case Change.NOTHING | Change.NOT_OPTED_IN:
            return "Nothing to change: you're already sorted for this round."
    raise ValueError(f"no words for a re-pair with outcome {outcome.code!r}")


def sitout_action(request: Request) -> Reply:
    round_ = _round_of(request)
    if round_ is None:
        return reply(Section(INVALID))
    MidRound(request.ctx).sit_out(round_, request.user_id)
    text = "Okay, you'll sit this one out and be among the first next round."
    return private_reply(Section(text), replace=True)


def met_action(request: Request) -> Reply:
    round_id = int_arg(request)
    try:
        answer = Met(request.action_args[1])
    except (IndexError, ValueError):  # a forged or truncated button
        return reply(Section(INVALID))
    if round_id is None or not FollowUps(request.ctx).answer(
        request.workspace_id, round_id, request.user_id, answer
    ):
        return reply(Section(INVALID))
    return private_reply(Section(answer.thanks), replace=True)


def accept_action(request: Request) -> Reply:
    request_id = int_arg(request)
    if request_id is None:
        return reply(Section(INVALID))
    outcome = NowService(request.ctx).accept(request.workspace_id, request_id, request.user_id)
    return private_reply(Section(accept_text(outcome)), replace=True)


def accept_text(outcome: NowOutcome) -> str:
    match outcome.code:
        case NowResult.CONNECTED:
            return (f"Thank you. You're connected with {outcome.partner}; look for the new "
                    "conversation.")
        case NowResult.TAKEN:
            return "Thank you: someone else has already been connected. Nothing more needed."
        case NowResult.CLOSED:
            return "This request has closed. Thank you for offering."
        case NowResult.NOT_OFFERED:
            return INVALID
    raise ValueError(f"no words for accepting with outcome {outcome.code!r}")


def decline_action(request: Request) -> Reply:
    request_id = int_arg(request)
    if request_id is not None:
        NowService(request.ctx).decline(request.workspace_id, request_id, request.user_id)
    return private_reply(Section("No problem. Thanks for letting us know."), replace=True)


def crisis_action(request: Request) -> Reply:
    country = request.ctx.members.local_country(request.member)
    card: Message = request.ctx.crisis.card(country, command=request.ctx.command_name)
    return Reply(card)


def register(router: Router) -> None:
    router.action("pair.round", round_action, role=Role.FACILITATOR,
                  prepare=prepare_round_action, confirm=round_confirm)
    router.action("pair.skip", skip_action)
    router.action("pair.stepout", stepout_action, confirm=stepout_confirm)
    router.action("pair.repair", repair_action)
    router.action("pair.sitout", sitout_action)
    router.action("pair.met", met_action)
    router.action("pair.accept", accept_action)
    router.action("pair.decline", decline_action)
    router.action("pair.crisis", crisis_action, needs_consent=False)
