"""The words and buttons of check-ins, as neutral messages (no platform detail here).

Button values carry all their state (``checkin.answer|<prompt>:<question>:<value>``), so
a prompt keeps working after a restart; the handler re-checks everything server-side.
"""

from __future__ import annotations

from bot.checkins.questions import (
    DETAIL_SOURCES,
    DETAIL_STATEMENTS,
    DETAILS,
    NUMBERED,
    option_label,
    short_name,
    value_range,
)
from bot.core import action_ids
from bot.core.config import Question, QuestionSet
from bot.core.model import (
    Block,
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Header,
    Message,
    Section,
    message,
)

NOTE_REMINDER = (
    "Please don't include anything that could identify a client or patient: no names, "
    "dates, places or case details."
)
PAIR_NOW = "pair.now"


def answer_id(prompt_id: int, key: str, value: int) -> str:
    return action_ids.encode("checkin.answer", prompt_id, key, value)


def about_id(prompt_id: int, key: str) -> str:
    return action_ids.encode("checkin.about", prompt_id, key)


ABOUT = "About this question"


def prompt_message(
    prompt_id: int,
    qs: QuestionSet,
    *,
    closes: str,
    note_command: str | None,
    answers: dict[str, int] | None = None,
    intro: str = "Time for your check-in: one tap per question.",
) -> Message:
    """The check-in, compact: each question with its row of buttons right under it (the
    chosen one marked), an "About this question" button wherever the full validated
    wording exists (always there, answered or not), and one status line that the
    in-place updates rewrite: what was noted, in words, and until when it can change."""
    answers = answers or {}
    blocks: list[Block] = [Section(intro)]
    for question in qs.questions:
        chosen = answers.get(question.key)
        row = [
            Button(("✓ " if option.value == chosen else "") + option.label,
                   answer_id(prompt_id, question.key, option.value),
                   ButtonStyle.PRIMARY if option.value == chosen else ButtonStyle.DEFAULT)
            for option in question.options
        ]
        if question.key in DETAILS:
            row.append(Button(ABOUT, about_id(prompt_id, question.key)))
        blocks += [Section(f"*{question.text}*"), Buttons(tuple(row))]
    if answers:
        done = all(q.key in answers for q in qs.questions)
        status = (f"Thanks, noted: {answer_words(qs, answers)}."
                  f"{' That is everything.' if done else ''} You can change it until {closes}.")
        fallback = f"Check-in noted: {answer_words(qs, answers)}."
    else:
        status = f"You can change an answer until {closes}."
        fallback = "Time for your check-in (one tap per question)."
    status += " Only you see your answers."
    if note_command:
        status += (f" Optional private note: `{note_command}` (nothing that could identify "
                   "a client or patient).")
    blocks.append(Context(status))
    return message(*blocks, fallback=fallback)


def prompt_intro(groups: str, count: int) -> str:
    """Which group(s) a prompt is for, and (for several) that the answers count in one
    group's pulse only (rule A: overlapping groups' pulses share no answer)."""
    if count == 1:
        return f"Time for your check-in for {groups}. One tap per question."
    return (f"Time for your check-in for {groups}: one check-in for all of them today. "
            "Your answers count in one group's pulse a week, never in two, so no figures "
            "can be compared to find yours. One tap per question.")


def reminder_message(*, closes: str, command: str) -> Message:
    """One line about the open prompt; platforms show it as a reply to that prompt."""
    return message(
        Section(f"A gentle reminder: your check-in above is open until {closes} "
                f"(`{command}` shows it again). Skipping is fine too."),
        fallback="A gentle reminder: your check-in is still open.",
    )


def answer_words(qs: QuestionSet, answers: dict[str, int]) -> str:
    """``mood Good, burnout 2 of 5``: each answer in words, never a key or a raw label."""
    return ", ".join(f"{short_name(q).lower()} {answer_word(q, answers[q.key])}"
                     for q in qs.questions if q.key in answers)


def answer_word(question: Question, value: int) -> str:
    """An option as a word (``Good``), or ``2 of 5`` where the label is a long statement."""
    bare = NUMBERED.sub("", option_label(question, value)).strip()
    if question.key in DETAILS or not bare or len(bare) > 24:
        return f"{value} of {value_range(question)[1]}"
    return bare


def about_message(question: Question) -> Message:
    """The question's full wording: the validated statements where they exist."""
    blocks: list[Block] = [Section(f"*{question.text}*")]
    if question.key in DETAILS:
        blocks.append(Section("\n".join(f"{i}. {s}" for i, s in
                                        enumerate(DETAIL_STATEMENTS[question.key], start=1))))
        blocks.append(Context(DETAIL_SOURCES[question.key]))
    else:
        blocks.append(Section("\n".join(o.label for o in question.options)))
    return message(*blocks, fallback=f"About: {question.text}")


def support_blocks(crisis_card: Message | None, *, nudged_buddy: str | None = None,
                   buddy_waits: bool = False) -> list[Block]:
    """The private, warm reply to an answer at its question's concerning end.

    It says exactly who hears what: when the member's chosen buddy is nudged now, it says
    so (the nudge carries no answers or scores); otherwise that nobody has been told.
    """
    if nudged_buddy:
        who = (f"As you asked, {nudged_buddy} gets a short nudge to check in on you, because "
               "your last two check-ins were hard ones. The nudge carries no answers, no scores "
               "and no notes. Nobody else has been told anything.")
    else:
        who = "This reply is private: nobody else has been told anything."
        if buddy_waits:
            who += (" Your check-on-me buddy would get a short, content-free nudge only after "
                    "two hard check-ins in a row.")
    blocks: list[Block] = [
        Section(
            "Thank you for being honest about how things are. Carrying this much is hard, "
            f"and you don't have to carry it alone. {who}"
        ),
        Section(
            "If it would help to talk it through with a colleague, I can find you a debrief "
            "partner now. Nothing is shared unless you press the button."
        ),
        Buttons((Button("Find a debrief partner now", action_ids.encode(PAIR_NOW),
                        ButtonStyle.PRIMARY),)),
    ]
    if crisis_card is not None:
        blocks.extend(crisis_card.blocks)
    return blocks


def buddy_invite(member_label: str, member_id: str) -> Message:
    return message(
        Header("Would you be a check-on-me buddy?"),
        Section(
            f"{member_label} would like you to be their \u201ccheck on me\u201d buddy. If their "
            "check-ins suggest a rough patch, you'd get a short private nudge to reach out. "
            "You would never see their answers or scores, and nobody else knows who their "
            "buddy is. Saying no is completely fine; they'll only hear that you're not "
            "available."
        ),
        Buttons(
            (
                Button("Yes, I'll be their buddy", action_ids.encode("checkin.buddyyes", member_id),
                       ButtonStyle.PRIMARY),
                Button("Not right now", action_ids.encode("checkin.buddyno", member_id)),
            )
        ),
        fallback=f"{member_label} asked you to be their check-on-me buddy.",
    )


def buddy_nudge(member_label: str) -> Message:
    return message(
        Section(
            f"A gentle nudge: {member_label}, who asked you to check on them now and then, "
            "might appreciate hearing from you. A short, low-key message is plenty. "
            "(No check-in answers are shared with you, and nobody else gets this.)"
        ),
        fallback=f"A gentle nudge to check on {member_label}.",
    )


def buddy_declined(buddy_label: str) -> Message:
    return message(
        Section(
            f"{buddy_label} isn't able to be your check-on-me buddy right now. You can ask "
            "someone else any time."
        )
    )


def slowed_down(group_name: str, misses: int, *, resume: str, pause: str,
                leave: str) -> Message:
    """The one kind message when someone has not answered for a while (bot/checkins/quiet)."""
    return message(
        Section(
            f"Hi, just checking in about the check-ins from *{group_name}*: the last {misses} "
            "went unanswered, which is completely fine. To keep things light, you'll now get "
            "one a week at most, without reminders."
        ),
        Section(
            f"*Want the usual rhythm back?* Just answer any check-in, or start one now with "
            f"`{resume}`.\n*Need a break?* `{pause}` pauses them; `{leave}` stops them for "
            "this group."
        ),
        fallback="Your check-ins will come less often for now.",
    )
