"""`/peer mentor ...`: your stage, offering or asking, the facilitator's match, the buttons.

Topics are short phrases separated by commas (``private practice, trauma work``); the
stage is early, mid or senior, or years in practice (under 5: early, 5-14: mid, 15 and
over: senior).
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.errors import FieldError, UsageError, UserError
from bot.core.model import Fields, Reply, Section, Target, mention, reply
from bot.core.router import ProfileExtra, Request
from bot.mentoring import messages, rounds
from bot.mentoring.matching import STAGES
from bot.mentoring.service import Mentoring, Profile

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
    return reply(Section(f"Your career stage is now *{store_stage(request, request.args)}*."))


def store_stage(request: Request, words: list[str]) -> str:
    """Save the stage typed (also `/peer profile stage ...`); return it as shown."""
    mine = service(request).profile(request.workspace_id, request.user_id)
    stage = _stage(words)
    service(request).save(Profile(mine.workspace_id, mine.user_id, stage, mine.role,
                                  mine.topics, mine.capacity))
    return stage


def shown_stage(request: Request) -> str:
    """The career stage in `/peer profile`."""
    return service(request).profile(request.workspace_id, request.user_id).stage or "not set"


STAGE_IN_PROFILE = ProfileExtra("stage", "Career stage", shown_stage, store_stage, "stage mid")


def offer(request: Request) -> Reply:
    args = list(request.args)
    capacity = 1
    if args and args[0].isdigit():
        capacity = int(args.pop(0))
        if not 1 <= capacity <= 3:
            raise UserError("A mentor takes 1 to 3 mentees at a time. Nothing was changed.")
    return _take_part(request, "mentor", _topics(args), capacity)


def ask(request: Request) -> Reply:
    _no_mentor_yet(request)
    return _take_part(request, "mentee", _topics(request.args), 0)


def _no_mentor_yet(request: Request) -> None:
    if any(p.mentee_id == request.user_id for p in
           service(request).active_pairs(request.workspace_id, request.user_id)):
        raise UserError("You already have a mentor this term. Nothing was changed.")


def _take_part(request: Request, role: str, topics: str, capacity: int,
               stage: str | None = None) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    if stage is not None:
        mine = Profile(mine.workspace_id, mine.user_id, stage, mine.role, mine.topics,
                       mine.capacity)
    if not mine.stage:
        raise UserError("First set your career stage: `mentor stage early|mid|senior` (or "
                        "your years in practice). Nothing was changed.")
    if role == "mentor" and mine.stage == "early":
        raise FieldError("Mentors are mid-career or senior; set your stage if that has "
                         "changed. Nothing was changed.", "stage")
    service(request).save(Profile(mine.workspace_id, mine.user_id, mine.stage, role, topics,
                                  capacity))
    what = (f"You're offering to mentor up to {capacity}" if role == "mentor"
            else "You're asking for a mentor")
    return reply(Section(f"{what} on {topics.replace(',', ', ')}. The next match will "
                         "consider you; `mentor stop` withdraws."))


JOIN_KEYS = ("stage", "as", "topics", "capacity")


def join(request: Request) -> Reply:
    """Stage, mentor or mentee, topics and capacity in one go (the form's command)."""
    if not request.args:
        return reply(Section(f"Take part in mentoring: `{request.ctx.slash(messages.JOIN_USAGE)}`"))
    keyed: dict[str, str] = {}
    for token in request.args:
        key, sep, value = token.partition(":")
        if not sep or key.lower() not in JOIN_KEYS:
            raise UsageError(f"Say each part as `key:value`: `{messages.JOIN_USAGE}`. "
                             "Nothing was changed.")
        keyed[key.lower()] = value.strip()
    role = keyed.get("as", "").lower()
    if role not in ("mentor", "mentee"):
        raise UsageError("Choose `as:mentor` or `as:mentee`. Nothing was changed.")
    capacity = 0
    if role == "mentor":
        text = keyed.get("capacity", "1") or "1"
        if not text.isdigit() or not 1 <= int(text) <= 3:
            raise UserError("A mentor takes 1 to 3 mentees at a time. Nothing was changed.")
        capacity = int(text)
    topics = _topics(keyed.get("topics", "").split())
    stage = _stage(keyed.get("stage", "").split())
    if role == "mentee":
        _no_mentor_yet(request)
    return _take_part(request, role, topics, capacity, stage=stage)


def stop(request: Request) -> Reply:
    mine = service(request).profile(request.workspace_id, request.user_id)
    service(request).save(Profile(mine.workspace_id, mine.user_id, mine.stage, "", "", 0))
    return reply(Section("You're no longer offering or asking. Pairs already made go on "
                         "until their term ends."))


def run_match(request: Request) -> Reply:
    group = request.facilitated_group()
    outcome = rounds.run(request.ctx, group)
    record(request.ctx, request, "mentoring.match",
           f"group {group.name}: {outcome.pairs} pair(s)")
    left = ("" if not outcome.waiting else " Some mentees are still waiting: no mentor with "
            "a shared topic, working hours in common and room left.")
    return reply(Section(f"Mentoring match in *{group.name}*: {outcome.pairs} pair(s) "
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
