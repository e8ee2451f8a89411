"""Read-only pairing views: the member's status (home section), the preview, busy replies.

Thin builders over the pairing services; nothing here writes. Every time shown is in
the reader's zone (AppContext.local_time). The preview is for facilitators and shows a
round in counts only, so a declared conflict and an unlucky draw look the same
(docs/privacy.md, rule B).
"""

from __future__ import annotations

from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.members import Group, Member
from bot.core.model import Block, Button, Buttons, ButtonStyle, Context, Header, Section
from bot.core.schedules import parse_schedule
from bot.pairing.history import last_partner
from bot.pairing.messages import start_round_confirm
from bot.pairing.model import Round, RoundStatus
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import Plan, RoundService

# Below this many taking part, even a round's counts could point at a declared conflict
# (three people and no trio means two of them conflict), so previews show none.
MIN_SHAPE = 4


def next_round_text(ctx: AppContext, group: Group, tz: str) -> str:
    """"next round <when>" in zone ``tz``, or "a round is running now" (no capital)."""
    service = RoundService(ctx)
    current = service.open_round(group.workspace_id, group.id)
    if current is not None and current.status is RoundStatus.PENDING and current.scheduled_for:
        return "next round " + ctx.local_time(current.scheduled_for, tz)
    if current is not None:
        return "a round is running now"
    cfg = ctx.settings.group(group.name).pairing
    try:
        trigger = parse_schedule(cfg.schedule, cfg.timezone or ctx.settings.bot.default_timezone)
    except ValueError:
        trigger = None
    nxt = trigger.get_next_fire_time(None, ctx.clock.now()) if trigger else None
    return "next round " + (ctx.local_time(nxt, tz) if nxt else "when a facilitator starts one")


def busy_text(ctx: AppContext, group: Group, current: Round | None, tz: str) -> str:
    """Why a new round of ``group`` cannot start, with times in the reader's zone."""
    if current is None:
        return f"A round for *{group.name}* was just started by someone else."
    if current.status is RoundStatus.ACTIVE and current.follow_up_at:
        return (
            f"A round for *{group.name}* is still running: its members were introduced and "
            f"its follow-up goes out {ctx.local_time(current.follow_up_at, tz)}. A new round can "
            "start after that."
        )
    return (
        f"A round for *{group.name}* is already coming up "
        f"({ctx.local_time(current.scheduled_for or current.created_at, tz)}); "
        f"`{ctx.slash('pair round')}` runs that one now."
    )


def too_few_text(ctx: AppContext, plan: Plan) -> str:
    count = len(plan.participants)
    skipping = f" ({len(plan.skipped)} skipping this round)" if plan.skipped else ""
    if count >= 2:  # worded so as to name no one and no reason (conflicts are private)
        return (
            f"No pair can be formed among the {count} people taking part in "
            f"*{plan.group.name}* now{skipping}, so nothing was started and nothing blocks "
            "the next round. It can run once more people take part."
        )
    return (
        f"A round needs at least two people, and only {count} can take part in "
        f"*{plan.group.name}* now{skipping}. Nothing was started. Members opt in with "
        f"`{ctx.slash('pair join')}`."
    )


def status_blocks(ctx: AppContext, member: Member) -> list[Block]:
    """The pairing part of the home view: opted in?, next round, last partner."""
    workspace_id, user_id = member.workspace_id, member.user_id
    people = PairingMembers(ctx.db, ctx.clock)
    opted = set(people.opted_in_groups(workspace_id, user_id))
    tz = ctx.members.local_timezone(member)
    lines = []
    for group in ctx.members.groups_of(workspace_id, user_id):
        if group.id in opted:
            lines.append(f"• {group.name}: opted in; {next_round_text(ctx, group, tz)}")
        else:
            lines.append(f"• {group.name}: not taking part (`{ctx.slash('pair join')}`)")
    partner = last_partner(ctx, member)
    if partner:
        lines.append(f"Last partner: {partner}")
    if not lines:
        lines.append(f"Join a peer group first: `{ctx.slash('group list')}`.")
    return [Section("*Debrief pairing*\n" + "\n".join(lines))]


def shape_text(plan: Plan) -> str:
    """"2 pair(s) and 1 trio": the shape of a round, with no names."""
    sizes = [len(g) for g in plan.proposal.groups]
    trios = sizes.count(3)
    return " and ".join([f"{sizes.count(2)} pair(s)"] + ([f"{trios} trio"] if trios else []))


def preview_blocks(ctx: AppContext, service: RoundService, plan: Plan) -> list:
    """The facilitator's preview: the round's shape in counts, never who is with whom.

    Who is grouped with whom is not shown, nor who would be left out, nor who has not
    met whom, nor even how many would meet for the first time: over many rounds each of
    these singles out, or tells apart, a pair that never meets, and that pair is most
    likely a declared conflict (tests/pairing/test_conflict_privacy.py). Unpaired
    people are counted under one reason that conflicts share with every other cause.
    Below ``MIN_SHAPE`` people even the counts could point at a conflict (three people
    and no trio), so none are shown.
    """
    group = plan.group
    proposal = plan.proposal
    count = len(plan.participants)
    skipping = f" ({len(plan.skipped)} skipping this round)" if plan.skipped else ""
    if count < MIN_SHAPE:
        body = (f"{count} taking part{skipping}. With fewer than {MIN_SHAPE} people the "
                "proposal is not shown, as it could point at someone's private preferences. "
                "Everyone who can be placed will be introduced; anyone who can't is told why "
                "privately and comes first next round.")
    else:
        body = f"{count} taking part{skipping}. Proposed: {shape_text(plan)}."
        if proposal.unpaired:
            body += (f"\n{len(proposal.unpaired)} would not be paired this round: not everyone "
                     "could be placed. They'd be told privately, and come first next round.")
    return [
        Header(f"Preview: {group.name}"),
        Section(body),
        Buttons((Button("Start this round", action_ids.encode("pair.round", group.id),
                        ButtonStyle.PRIMARY, confirm=start_round_confirm(group.name)),)),
        Context(
            "Only you see this preview; nothing has been sent. Pairs favour people who haven't "
            "met lately, shared working hours and the group's specialty setting. Who is paired "
            "with whom, who has not met whom, and declared conflicts are never shown, here or "
            "anywhere."
        ),
    ]
