"""One mentoring match in one group: who may be matched, the match, the introductions.

Run by a facilitator (`/peer mentor match`) or on the group's schedule
(``[groups.mentoring] match``, bot/mentoring/jobs.py). A scheduled match claims its slot
first (``mentoring_matches``: one row per group and scheduled time) in the same unit of
work as the pairs and introductions, so a restart, a replayed trigger or a second
process never runs the same slot twice, and a crash part-way leaves nothing to repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import Target
from bot.mentoring import messages
from bot.mentoring.matching import Person, match
from bot.mentoring.service import Mentoring, Profile
from bot.pairing.participants import PairingMembers

DEFAULT_TERM_DAYS = 91


@dataclass(frozen=True)
class Outcome:
    pairs: int
    waiting: int


def term_days(ctx: AppContext, group: Group) -> int:
    named = any(g.name == group.name for g in ctx.settings.groups)
    return ctx.settings.group(group.name).mentoring.term_days if named else DEFAULT_TERM_DAYS


def run(ctx: AppContext, group: Group) -> Outcome:
    """Match the group's waiting mentees with its mentors' free places; introduce each
    pair with the guide. Inside the caller's unit of work."""
    mentoring = Mentoring(ctx.db, ctx.clock)
    ws = group.workspace_id
    members = [m.user_id for m in ctx.members.group_members(ws, group.id)]
    active = mentoring.active_pairs(ws)
    busy_mentees = {p.mentee_id for p in active}
    load: dict[str, int] = {}
    for p in active:
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    mentors, mentees = [], []
    for prof in mentoring.profiles(ws, members):
        person = Person(prof.user_id, prof.stage, prof.topic_set, ctx.members.zone_of(
            ws, prof.user_id), max(0, prof.capacity - load.get(prof.user_id, 0)))
        if prof.role == "mentor":
            mentors.append(person)
        elif prof.role == "mentee" and prof.user_id not in busy_mentees:
            mentees.append(person)
    conflicts = PairingMembers(ctx.db, ctx.clock).conflict_pairs(ws, set(members))
    proposals = match(mentors, mentees, conflicts)
    term = term_days(ctx, group)
    for proposal in proposals:
        pair = mentoring.start(ws, group.id, proposal.mentor_id, proposal.mentee_id,
                               proposal.shared_topics, term)
        mentee = mentoring.profile(ws, proposal.mentee_id)
        mentoring.save(Profile(ws, mentee.user_id, mentee.stage, "", "", 0))
        ends = ctx.local_time(pair.ends_at, ctx.members.zone_of(ws, proposal.mentee_id))
        ctx.outbox.enqueue(ws, f"mentoring.intro:{pair.id}",
                           Target(user_ids=(proposal.mentor_id, proposal.mentee_id)),
                           messages.introduction(proposal.mentor_id, proposal.mentee_id,
                                                 pair.topics, ends), kind="mentoring.intro")
    return Outcome(len(proposals), len(mentees) - len(proposals))


def claim(ctx: AppContext, group: Group, slot: str) -> bool:
    """Claim one scheduled slot of one group; False when it already ran."""
    cursor = ctx.db.execute(
        "INSERT OR IGNORE INTO mentoring_matches (workspace_id, group_id, slot, ran_at)"
        " VALUES (?, ?, ?, ?)", [group.workspace_id, group.id, slot, ctx.clock.now().isoformat()])
    return cursor.rowcount == 1


def record_outcome(ctx: AppContext, group: Group, slot: str, outcome: Outcome) -> None:
    ctx.db.execute("UPDATE mentoring_matches SET pairs = ? WHERE workspace_id = ? AND"
                   " group_id = ? AND slot = ?",
                   [outcome.pairs, group.workspace_id, group.id, slot])
