"""The sessions' words, as neutral Messages: the session card, the roster, the asks.

Every time is shown in the reader's zone (``ctx.local_time``); names of who is coming
are only ever put in a message for a member of the group (the caller decides).
"""

from __future__ import annotations

from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.model import Button, Buttons, ButtonStyle, Context, Header, Section
from bot.sessions.model import CANCELLED, Assignment, Meeting

RSVP = "session.rsvp"
STEP_DOWN = "session.stepdown"
KEEP = "session.keep"
SWAP_ACCEPT = "session.swap.yes"
SWAP_DECLINE = "session.swap.no"
OPEN = "_open: nobody available_"
ANSWER_WORDS = {"going": "going", "maybe": "maybe", "not": "not going"}

PREP = {
    "discussion lead": ("You open the session, keep the conversation moving and make sure "
                        "everyone who wants to speak can. Order the agenda beforehand "
                        "(`{slash} session agenda order`) and post a short note of resources "
                        "mentioned afterwards (`{slash} session note`)."),
    "case presenter": ("Bring one case in a few minutes: the situation, what you did, and "
                       "the question you'd like help with. *De-identify it first*: no "
                       "names, dates, places, rare conditions or details that could "
                       "identify a patient or client."),
    "research share": ("Share one recent paper, guideline or talk in two or three minutes: "
                       "what it found and why it matters to our practice. A link helps."),
    "timekeeper": ("Keep an eye on the clock: a gentle signal when an item runs over, and "
                   "five minutes' warning before the end."),
}
GENERIC_PREP = "Take a moment beforehand to think about what the group needs from this role."


def prep_guide(ctx: AppContext, role: str) -> str:
    return PREP.get(role, GENERIC_PREP).format(slash=f"/{ctx.command_name}")


def when(ctx: AppContext, meeting: Meeting, reader: str) -> str:
    zone = ctx.members.zone_of(meeting.workspace_id, reader)
    return ctx.local_time(meeting.starts_at, zone)


def place_line(meeting: Meeting) -> str:
    return f"Where: {meeting.place}" if meeting.place else "Where: (no link or place yet)"


def name(ctx: AppContext, workspace_id: str, user_id: str | None) -> str:
    if user_id is None:
        return OPEN
    member = ctx.members.get(workspace_id, user_id)
    return member.label if member else user_id


def roles_text(ctx: AppContext, meeting: Meeting, assignments: dict[str, Assignment],
               reader: str | None = None) -> str:
    lines = []
    for role, a in assignments.items():
        who = name(ctx, meeting.workspace_id, a.user_id)
        if reader is not None and a.user_id == reader:
            who = f"*you* ({who})"
        lines.append(f"• {role}: {who}")
    return "\n".join(lines) or "• (no roles)"


def roster(ctx: AppContext, group_name: str, rows: list[tuple[Meeting, dict[str, Assignment]]],
           reader: str) -> list:
    blocks: list = [Header(f"{group_name}: roster for the next {len(rows)} session(s)")]
    for meeting, assignments in rows:
        blocks.append(Section(f"*#{meeting.id} {when(ctx, meeting, reader)}*\n"
                              + roles_text(ctx, meeting, assignments, reader)))
    blocks.append(Context(
        "Roles rotate: whoever has served fewest goes first, then whoever served least "
        f"recently; nobody twice before everyone once. Swap: `/{ctx.command_name} session swap "
        f"@someone`; step down: `/{ctx.command_name} session stepdown`; opt out of a role: "
        f"`/{ctx.command_name} session optout <role>`."))
    return blocks


def rsvp_buttons(meeting: Meeting) -> Buttons:
    return Buttons((
        Button("Going", action_ids.encode(RSVP, meeting.id, "going"), ButtonStyle.PRIMARY),
        Button("Maybe", action_ids.encode(RSVP, meeting.id, "maybe")),
        Button("Not going", action_ids.encode(RSVP, meeting.id, "not")),
    ))


def status_word(meeting: Meeting) -> str:
    return "CANCELLED: " if meeting.status == CANCELLED else ""
