"""`/peer mentor ...`: your stage, offering or asking, the facilitator's match, the buttons.

Topics are short phrases separated by commas (``private practice, trauma work``); the
stage is early, mid or senior, or years in practice (under 5: early, 5-14: mid, 15 and
over: senior).
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.errors import UsageError, UserError
from bot.core.model import Fields, Reply, Section, Target, mention, reply
from bot.core.router import Request
from bot.mentoring import messages
from bot.mentoring.matching import STAGES, Person, match
from bot.mentoring.service import Mentoring, Profile
from bot.pairing.participants import PairingMembers

MAX_TOPICS, MAX_TOPIC = 5, 40


def service(request: Request) -> Mentoring:
    return Mentoring(request.ctx.db, request.ctx.clock)


def _stage(words: list[str]) -> str:
    text = " ".join(words).lower().replace("years", "").replace("year", "").strip()
    if text in STAGES:
        return text
    if text.isdigit():
        years = int(text)
        return "early" if years < 5 else "mid" if years < 15 else "senior"
    raise UsageError("Your stage is early, mid or senior, or your years in practice "
                     "(e.g. `mentor stage 7`). Nothing was changed.")


def _topics(words: list[str]) -> str:
    topics = [" ".join(t.split()).lower() for t in " ".join(words).split(",")]
    topics = [t.lstrip("#") for t in topics if t]
    if not topics:
        raise UsageError("Name at least one topic, e.g. `private practice, supervision`.")
    if len(topics) > MAX_TOPICS or any(len(t) > MAX_TOPIC or "," in t for t in topics):
        raise UserError(f"Up to {MAX_TOPICS} topics of at most {MAX_TOPIC} characters, "
                        "separated by commas. Nothing was changed.")
    return ",".join(dict.fromkeys(topics))


def status(request: Request) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    role = {"mentor": f"offering to mentor (room for {mine.capacity})",
            "mentee": "asking for a mentor"}.get(mine.role, "not taking part")
    pairs = service(request).active_pairs(request.workspace_id, request.user_id)
    lines = [f"With {mention(p.other(request.user_id))} until {request.local_time(p.ends_at)}"
             for p in pairs]
    return reply(Fields((("Stage", mine.stage or "not set"), ("Mentoring", role),
                         ("Topics", mine.topics.replace(",", ", ") or "none"))),
                 Section("\n".join(lines) or "No mentoring pair right now."))


def set_stage(request: Request) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    stage = _stage(request.args)
    service(request).save(Profile(mine.workspace_id, mine.user_id, stage, mine.role,
                                  mine.topics, mine.capacity))
    return reply(Section(f"Your career stage is now *{stage}*."))


def offer(request: Request) -> Reply:
    args = list(request.args)
    capacity = 1
    if args and args[0].isdigit():
        capacity = int(args.pop(0))
        if not 1 <= capacity <= 3:
            raise UserError("A mentor takes 1 to 3 mentees at a time. Nothing was changed.")
    return _take_part(request, "mentor", _topics(args), capacity)


def ask(request: Request) -> Reply:
    if any(p.mentee_id == request.user_id for p in
           service(request).active_pairs(request.workspace_id, request.user_id)):
        raise UserError("You already have a mentor this term. Nothing was changed.")
    return _take_part(request, "mentee", _topics(request.args), 0)


def _take_part(request: Request, role: str, topics: str, capacity: int) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    if not mine.stage:
        raise UserError("First set your career stage: `mentor stage early|mid|senior` (or "
                        "your years in practice). Nothing was changed.")
    if role == "mentor" and mine.stage == "early":
        raise UserError("Mentors are mid-career or senior; set your stage if that has "
                        "changed. Nothing was changed.")
    service(request).save(Profile(mine.workspace_id, mine.user_id, mine.stage, role, topics,
                                  capacity))
    what = (f"You're offering to mentor up to {capacity}" if role == "mentor"
            else "You're asking for a mentor")
    return reply(Section(f"{what} on {topics.replace(',', ', ')}. The next match will "
                         "consider you; `mentor stop` withdraws."))


def stop(request: Request) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    service(request).save(Profile(mine.workspace_id, mine.user_id, mine.stage, "", "", 0))
    return reply(Section("You're no longer offering or asking. Pairs already made go on "
                         "until their term ends."))


def run_match(request: Request) -> Reply:
    group = request.facilitated_group()
    ctx, mentoring = request.ctx, service(request)
    ws = request.workspace_id
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
    term = ctx.settings.group(group.name).mentoring.term_days if any(
        g.name == group.name for g in ctx.settings.groups) else 91
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
    waiting = len(mentees) - len(proposals)
    record(ctx, request, "mentoring.match", f"group {group.name}: {len(proposals)} pair(s)")
    left = ("" if not waiting else " Some mentees are still waiting: no mentor with a shared "
            "topic, working hours in common and room left.")
    return reply(Section(f"Mentoring match in *{group.name}*: {len(proposals)} pair(s) "
                         f"introduced, with the guide.{left}"))


def _pair_of(request: Request):
    try:
        pair = service(request).pair(request.workspace_id, int(request.action_args[0]))
    except (IndexError, ValueError):
        pair = None
    if pair is None or request.user_id not in (pair.mentor_id, pair.mentee_id):
        raise UserError("That button is no longer valid. Nothing was changed.")
    return pair


def going_well(request: Request) -> Reply:
    _pair_of(request)
    return reply(Section("Glad to hear it. Nothing more to do."))


def end_here(request: Request) -> Reply:
    pair = _pair_of(request)
    if pair.status != "active":
        return reply(Section("This pairing has already ended."))
    service(request).finish(pair, "ended")
    other = pair.other(request.user_id)
    request.ctx.outbox.enqueue(request.workspace_id, f"mentoring.ended:{pair.id}",
                               Target(user_id=other), messages.ended_quietly(request.user_id),
                               kind="mentoring.ended")
    return reply(Section("Ended. They are told only that the pairing has ended, with thanks; "
                         "no reason is given or asked."))
