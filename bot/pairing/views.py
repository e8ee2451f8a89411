"""Read-only pairing views: the member's status (home section), the preview, busy replies.

Thin builders over the pairing services; nothing here writes. Every time shown is in
the reader's zone (AppContext.local_time). The preview is for facilitators and never
mentions declared conflicts: someone left unpaired for that reason appears as having
"no compatible partner available".
"""

from __future__ import annotations

from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.members import Group, Member
from bot.core.model import Block, Button, Buttons, ButtonStyle, Context, Header, Section
from bot.core.schedules import parse_schedule
from bot.pairing.history import last_partner
from bot.pairing.model import Round, RoundStatus
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import Plan, RoundService

MAX_UNMET_LINES = 15
MAX_UNMET_NAMES = 8


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


def preview_blocks(ctx: AppContext, service: RoundService, plan: Plan) -> list:
    group = plan.group
    proposal = plan.proposal
    skipping = f" ({len(plan.skipped)} skipping this round)" if plan.skipped else ""
    lines = [
        f"• {' + '.join(plan.labels[u] for u in g)}: {plan.why(g)}" for g in proposal.groups
    ]
    lines += [
        f"• {plan.labels.get(u, u)} would not be paired: {r.to_facilitator}; "
        "they'd be told, and come first next round"
        for u, r in proposal.unpaired.items()
    ]
    blocks: list = [
        Header(f"Preview: {group.name}"),
        Section(f"{len(plan.participants)} taking part{skipping}. Proposed:\n" + "\n".join(lines)),
        unmet_block(service, plan),
        Buttons((Button("Start this round", action_ids.encode("pair.round", group.id),
                        ButtonStyle.PRIMARY),)),
        Context(
            "Only you see this preview; nothing has been sent. Declared conflicts are private "
            "and never shown, here or anywhere."
        ),
    ]
    return blocks


def unmet_block(service: RoundService, plan: Plan) -> Section:
    shown, total = service.not_yet_met_summary(plan, MAX_UNMET_LINES, MAX_UNMET_NAMES)
    lines = []
    for user, first, count in shown:
        names = [plan.labels.get(o, o) for o in first]
        more = f" and {count - len(names)} more" if count > len(names) else ""
        lines.append(f"• {plan.labels.get(user, user)}: {', '.join(names)}{more}")
    if not lines:
        return Section("*Not yet met*\nEveryone taking part has met everyone else at least once.")
    extra = total - len(lines)
    shown_lines = lines + ([f"…and {extra} more people"] if extra > 0 else [])
    return Section("*Not yet met* (in this group's rounds)\n" + "\n".join(shown_lines))
