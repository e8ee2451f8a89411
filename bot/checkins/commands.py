"""`/peer checkin ...` and the check-in buttons; registers the whole check-in topic.

Facilitator commands live in facilitator.py, the buddy in buddy_commands.py.

Thin: parse, call a check-in service, build a private Reply. Every reply here is
private; nothing a member answers is ever shown in a channel.
"""

from __future__ import annotations

from datetime import datetime

from bot.checkins import messages as texts
from bot.checkins.buddy import BuddyService, LinkStatus, Trigger
from bot.checkins.buddy_commands import buddy, buddy_no, buddy_yes
from bot.checkins.chart_data import history_alt_text, history_chart
from bot.checkins.chart_send import ON_ITS_WAY, send_chart
from bot.checkins.charts import render_history
from bot.checkins.coverage import counted_for, names_text
from bot.checkins.facilitator import admin_checkins, admin_checkins_now, pulse
from bot.checkins.history import describe, member_history
from bot.checkins.prompts import SCHEDULED, CheckinService, Due, Outcome, Prompt, prompt_key, stamp
from bot.checkins.questions import all_questions, find_question, harder_end, is_concerning
from bot.checkins.schedule import (
    ScheduleStore,
    effective,
    next_prompt,
    parse_pause,
)
from bot.core.errors import UsageError
from bot.core.model import Block, Context, Header, Message, Reply, Role, Section, Target, reply
from bot.core.router import Request, Router
from bot.core.timeparse import (
    describe_days,
    format_hhmm,
    is_timezone,
    parse_days,
    parse_time,
    zone,
)

MAX_NOTE = 500


def _service(request: Request) -> CheckinService:
    return CheckinService(request.ctx.db, request.ctx.clock, request.ctx.settings)


def next_checkin(request: Request) -> datetime | None:
    """The member's next scheduled prompt across their groups, pause and days off respected."""
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    prefs = store.prefs(request.workspace_id, request.user_id)
    found = []
    for group in request.ctx.members.groups_of(request.workspace_id, request.user_id):
        cfg = request.ctx.settings.group(group.name).checkins
        if not cfg.enabled:
            continue
        schedule = effective(store.group_schedule(request.workspace_id, group.id, cfg), prefs)
        at = next_prompt(schedule, prefs, zone(request.zone), request.ctx.clock.now())
        if at is not None:
            found.append(at)
    return min(found) if found else None


def _next_line(request: Request) -> str:
    at = next_checkin(request)
    if at is None:
        return "No check-in is scheduled for you."
    return f"Your next check-in: {request.local_time(at)} ({request.zone})."


def welcome_line(request: Request) -> str:
    """"What happens next" on a new member's welcome: their first check-in, in the zone
    the welcome states (the platform's, until they set one), or how check-ins start."""
    members = request.ctx.members
    groups = members.groups_of(request.workspace_id, request.user_id)
    if not groups and request.path[:2] == ("group", "join"):
        named = members.group_by_name(request.workspace_id, " ".join(request.args))
        groups = [named] if named is not None else []
    tz = request.member.timezone or (request.actor.timezone if is_timezone(
        request.actor.timezone) else "") or request.zone
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    prefs = store.prefs(request.workspace_id, request.user_id)
    found = []
    for group in groups:
        cfg = request.ctx.settings.group(group.name).checkins
        if cfg.enabled:
            schedule = effective(store.group_schedule(request.workspace_id, group.id, cfg), prefs)
            at = next_prompt(schedule, prefs, zone(tz), request.ctx.clock.now())
            if at is not None:
                found.append((at, group.name))
    if not found:
        return ("Check-ins start once you join a peer group "
                f"(`{request.ctx.slash('group list')}`), at the group's time in your zone.")
    at, name = min(found)
    return (f"Your first check-in ({name}): {request.ctx.local_time(at, tz)}; "
            f"`{request.ctx.slash('checkin pause 2w')}` pauses them.")


# ---- answering --------------------------------------------------------------------------


def checkin_now(request: Request) -> Reply:
    if request.args:
        raise UsageError(f"I don't know `checkin {request.args[0][:20]}`.")
    service = _service(request)
    prompt = service.latest_open(request.workspace_id, request.user_id)
    if prompt is None:
        if not request.ctx.members.groups_of(request.workspace_id, request.user_id):
            raise UsageError(
                "Check-ins belong to a peer group, and you're not in one yet. "
                f"`{request.ctx.slash('group list')}` shows the groups."
            )
        group = request.group()
        if not request.ctx.settings.group(group.name).checkins.enabled:
            raise UsageError(
                f"*{group.name}* doesn't use check-ins (it's set up for pairing only). "
                "Nothing was stored."
            )
        now = request.ctx.clock.now()
        due = [Due(request.user_id, now.astimezone(zone(request.zone)).date(), now,
                   request.zone)]
        opened = service.open_prompts(request.workspace_id, group.id, group.name, due,
                                      SCHEDULED, deliver=False)
        if not opened:  # today's scheduled one exists and is closed: an extra one
            opened = service.open_prompts(request.workspace_id, group.id, group.name, due,
                                          "self:" + stamp(now), deliver=False)
        prompt = service.get(request.workspace_id, opened[0])
        assert prompt is not None
    return Reply(message=_prompt_view(request, service, prompt, service.answers(prompt.id)))


def _prompt_view(request: Request, service: CheckinService, prompt: Prompt,
                 answers: dict[str, int]) -> Message:
    """The prompt as it reads now (the same for the first send and every update)."""
    names = counted_for(request.ctx.db, prompt.id)
    return texts.prompt_message(
        prompt.id, service.questions_of(prompt), closes=request.local_time(prompt.closes_at),
        note_command=service.note_command() if prompt.note_allowed else None,
        answers=answers, intro=texts.prompt_intro(names_text(names), len(names)),
    )


def on_answer(request: Request) -> list[Reply]:
    args = request.action_args
    if len(args) != 3 or not args[0].isdigit() or not args[2].lstrip("-").isdigit():
        return [reply(Section("That button isn't a valid check-in answer. Nothing was stored."))]
    service = _service(request)
    result = service.answer(request.workspace_id, request.user_id, int(args[0]), args[1],
                            int(args[2]))
    prompt = result.prompt
    if result.outcome is Outcome.NOT_YOURS:
        return [reply(Section(
            "That button belongs to someone else's check-in, so nothing was stored. "
            f"Your own check-in is at `{request.ctx.slash('checkin')}`."))]
    assert prompt is not None
    if result.outcome is Outcome.CLOSED:
        return [reply(Section(
            f"This check-in closed on {request.local_time(prompt.closes_at)}, so that answer was "
            f"not stored. `{request.ctx.slash('checkin')}` opens a new one whenever you like."))]
    if result.outcome is Outcome.INVALID:
        return [reply(Section("That isn't one of this check-in's answers. Nothing was stored."))]
    qs = service.questions_of(prompt)
    view = _prompt_view(request, service, prompt, result.answers or {})
    replies = _update_in_place(request, prompt, view)
    if result.outcome is Outcome.UNCHANGED:
        return replies
    if is_concerning(find_question(qs, args[1]), int(args[2]), request.ctx.settings):
        replies.append(reply(*_support(request, prompt)))  # a message of its own
    return replies


def _update_in_place(request: Request, prompt: Prompt, view: Message) -> list[Reply]:
    """Show the answered prompt where it was: the delivered prompt is edited through the
    outbox (Slack chat.update, a Discord edit, the console's reprint); a copy the tap
    came from that the outbox never sent (the one `/peer checkin` shows) is replaced by
    the button's own reply."""
    outbox, target = request.ctx.outbox, Target(user_id=prompt.user_id)
    key = prompt_key(prompt.id)
    edited = outbox.enqueue_edit(request.workspace_id, key, target, view, kind="checkin")
    tapped = request.action.message_ref if request.action else None
    sent = outbox.platform_ref(request.workspace_id, key, target)
    if edited and (tapped is None or tapped == sent):
        return []
    return [Reply(message=view, replace_original=True)]


def on_about(request: Request) -> Reply:
    """"About this question": the full, validated wording, whether answered or not."""
    args = request.action_args
    prompt = None
    if len(args) == 2 and args[0].isdigit():
        prompt = _service(request).get(request.workspace_id, int(args[0]))
    question = find_question(_service(request).questions_of(prompt), args[1]) \
        if prompt is not None and prompt.user_id == request.user_id else None
    if question is None:
        return reply(Section("That button isn't one of your check-in's questions."))
    return Reply(message=texts.about_message(question))


def _support(request: Request, prompt) -> list[Block]:
    """The warm reply to an answer at its question's concerning end, saying truly who hears.

    The buddy check runs first, so the reply can say that the member's chosen buddy is
    being nudged (content-free) in the very moment it happens, and never "nobody has been
    told" when someone has.
    """
    ctx = request.ctx
    buddies = BuddyService(ctx.db, ctx.clock, ctx.settings)
    nudged = buddies.after_answer(prompt, request.member.label)
    link = buddies.link_of(request.workspace_id, request.user_id)
    waiting = link is not None and nudged is None and link.status is LinkStatus.ACTIVE \
        and link.trigger is Trigger.TWO_LOW
    buddy = None
    if nudged is not None:
        found = ctx.members.get(request.workspace_id, nudged.buddy_id)
        buddy = found.label if found else "your buddy"
    card = ctx.crisis.card(ctx.members.local_country(request.member), command=ctx.command_name)
    return texts.support_blocks(card, nudged_buddy=buddy, buddy_waits=waiting)


def note(request: Request) -> Reply:
    service = _service(request)
    prompt = service.latest_open(request.workspace_id, request.user_id)
    if prompt is None:
        raise UsageError("You have no open check-in to add a note to. Nothing was stored.")
    if not prompt.note_allowed:
        return reply(Section("Your group keeps check-ins to taps only; notes are turned off. "
                             "Nothing was stored."))
    text = " ".join(request.args).strip()
    if not text:
        raise UsageError("Write the note after the command.")
    if len(text) > MAX_NOTE:
        raise UsageError(f"Please keep the note under {MAX_NOTE} characters. Nothing was stored.")
    if text.lower() == "clear":
        service.set_note(prompt, None)
        return reply(Section("Your note was removed."))
    service.set_note(prompt, text)
    return reply(Section("Saved your private note with this check-in. Only you can see it "
                         f"(`{request.ctx.slash('export')}` includes it)."),
                 Context(texts.NOTE_REMINDER))


# ---- the member's own view and settings --------------------------------------------------


def history(request: Request) -> Reply:
    hist = member_history(request.ctx.db, request.ctx.settings, request.workspace_id,
                          request.user_id, request.ctx.clock.now())
    blocks: list[Block] = [Header("Your check-ins, last 8 weeks")]
    if not hist.series:
        blocks.append(Section("No answers in the last 8 weeks yet."))
    else:
        blocks.append(Section("\n".join(describe(s) for s in hist.series)))
        blocks.append(Context(
            f"Weekly averages, oldest on the left; · = no answer that week. You answered "
            f"{hist.answered} of {hist.prompted} check-ins. {_legend(request, hist)}"
            "Only you can see this."))
        chart = history_chart(hist, all_questions(request.ctx.settings))
        if chart is not None and send_chart(
                request, "history", render_history, chart, filename="checkin-history.png",
                alt_text=history_alt_text(chart), blocks=tuple(blocks),
                fallback="Your check-ins, last 8 weeks"):
            blocks.append(Context(ON_ITS_WAY))
    blocks.append(Section(_next_line(request)))
    return reply(*blocks)


def _legend(request: Request, hist) -> str:
    """"Mood: lower is harder. Burnout: higher is harder." from each question's own end."""
    questions = all_questions(request.ctx.settings)
    parts = []
    for series in hist.series:
        question = questions.get(series.key)
        if question is not None and harder_end(question):
            parts.append(f"{series.name}: {harder_end(question)}.")
    return " ".join(parts) + (" " if parts else "")


def next_checkin_command(request: Request) -> Reply:
    if request.args:
        raise UsageError("`checkin next` takes no words after it.")
    return reply(Section(_next_line(request)))


def set_time(request: Request) -> Reply:
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    word = " ".join(request.args).strip()
    if not word:
        raise UsageError("Give a 24-hour time, e.g. 17:30, or `default`.")
    value = None if word.lower() == "default" else format_hhmm(parse_time(word))
    store.set_pref(request.workspace_id, request.user_id, time=value)
    what = f"at {value} your time" if value else "at your group's time"
    return reply(Section(f"Your check-ins now come {what}. {_next_line(request)}"))


def set_days(request: Request) -> Reply:
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    word = " ".join(request.args).strip()
    if not word:
        raise UsageError("Name your working days, e.g. mon-fri or mon,wed,fri, or `default`.")
    days = None if word.lower() == "default" else parse_days(word)
    store.set_pref(request.workspace_id, request.user_id,
                   days=",".join(days) if days else None)
    what = f"only on {describe_days(days)}" if days else "on your group's days"
    return reply(Section(f"Check-ins now come {what}; no prompt on other days. "
                         f"{_next_line(request)}"))


def pause(request: Request) -> Reply:
    until = parse_pause(request.args, request.ctx.clock.now(), zone(request.zone))
    ScheduleStore(request.ctx.db, request.ctx.clock).set_pref(
        request.workspace_id, request.user_id, paused_until=stamp(until))
    _service(request).withdraw_pending(request.workspace_id, request.user_id)
    return reply(Section(
        f"Check-ins paused until {request.local_time(until)}; they resume by themselves then. "
        f"`{request.ctx.slash('checkin resume')}` ends the pause early."))


def resume(request: Request) -> Reply:
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    was = store.prefs(request.workspace_id, request.user_id).paused_until
    store.set_pref(request.workspace_id, request.user_id, paused_until=None)
    first = "Welcome back: check-ins are on again." if was else "Check-ins weren't paused."
    return reply(Section(f"{first} {_next_line(request)}"))


# ---- home and registration ----------------------------------------------------------------


def home(request: Request) -> list[Block]:
    hist = member_history(request.ctx.db, request.ctx.settings, request.workspace_id,
                          request.user_id, request.ctx.clock.now())
    lines = [_next_line(request)]
    lines.extend(describe(s) for s in hist.series)
    return [Header("Check-ins"), Section("\n".join(lines))]


def register(router: Router) -> None:

    router.command("checkin", checkin_now, summary="answer a check-in now (two taps)",
                   usage="checkin")
    router.command("checkin history", history, summary="your own 8-week trend",
                   usage="checkin history")
    router.command("checkin next", next_checkin_command,
                   summary="when your next check-in comes, in your time zone",
                   usage="checkin next")
    router.command("checkin time", set_time, summary="your own check-in time",
                   usage="checkin time <HH:MM>|default")
    router.command("checkin days", set_days, summary="your working days for check-ins",
                   usage="checkin days mon-fri|mon,wed,fri|default")
    router.command("checkin pause", pause, summary="pause check-ins; they resume by themselves",
                   usage="checkin pause 2w | checkin pause until 2026-12-28")
    router.command("checkin resume", resume, summary="end a pause early", usage="checkin resume")
    router.command("checkin note", note, summary="a private note on your open check-in",
                   usage="checkin note <text>")
    router.command("checkin buddy", buddy, summary="a peer who gets a nudge if you're struggling",
                   usage="checkin buddy @someone [two-low|two-missed] | checkin buddy off")
    router.command("pulse", pulse, role=Role.FACILITATOR,
                   summary="the group's check-in pulse (only when enough answered)", usage="pulse")
    router.command("admin checkins", admin_checkins, role=Role.FACILITATOR,
                   summary="see or set the group's check-in schedule",
                   usage="admin checkins [every mon,thu at 09:00]")
    router.command("admin checkins now", admin_checkins_now, role=Role.FACILITATOR,
                   summary="send the group a check-in now (once an hour unless forced)",
                   usage="admin checkins now [force]")
    router.action("checkin.answer", on_answer)
    router.action("checkin.about", on_about)
    router.action("checkin.buddyyes", buddy_yes)
    router.action("checkin.buddyno", buddy_no, needs_consent=False)

