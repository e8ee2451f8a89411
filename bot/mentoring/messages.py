"""Mentoring's words: the introduction with its guide, the halfway check-in, the close."""

from __future__ import annotations

from bot.core import action_ids
from bot.core.model import (
    Button,
    Buttons,
    Confirm,
    Context,
    Form,
    FormField,
    Header,
    Message,
    Section,
    mention,
    message,
)

WELL, END = "mentor.well", "mentor.end"
JOIN_USAGE = 'mentor join stage:early|mid|senior as:mentor|mentee topics:"..." [capacity:1-3]'
FORM = Form(
    phrase="mentor join",
    title="Mentoring",
    intro=("Mentees are matched with a mentor further along who shares a topic, with working "
           "hours in common, for a term of about three months. Your stage and topics are "
           "shown to the facilitators who run the match; `/peer forget-me` erases them."),
    submit="Save",
    fields=(
        FormField("stage", "Your career stage", "early: under 5 years in practice; mid: 5-14; "
                  "senior: 15 or more", max_length=6, optional=False,
                  choices=(("Early career", "early"), ("Mid career", "mid"),
                           ("Senior", "senior"))),
        FormField("as", "I would like to", "mentor or mentee", max_length=6, optional=False,
                  choices=(("Find a mentor", "mentee"), ("Mentor someone", "mentor"))),
        FormField("topics", "Topics", "comma-separated, e.g. private practice, supervision",
                  max_length=200, optional=False),
        FormField("capacity", "Mentees at a time (mentors)", "1, 2 or 3", max_length=1,
                  choices=(("1", "1"), ("2", "2"), ("3", "3"))),
    ),
)
GUIDE = (
    "*A short guide*\n"
    "• *First conversation*: what brought each of you to this work? What does the mentee "
    "hope to get from these months, and what would make them worthwhile? How often and "
    "how will you meet?\n"
    "• *Boundaries*: this is mentoring, not supervision or therapy; no client-identifying "
    "detail; either of you may say no to a topic; what is said stays between you.\n"
    "• *Ending well*: halfway through, peerbot asks each of you privately how it is going, "
    "with a quiet way out. At the end, look back on what changed and say thank you."
)


def introduction(mentor: str, mentee: str, topics: str, ends: str) -> Message:
    shared = f" You share an interest in {topics.replace(',', ', ')}." if topics else ""
    return message(
        Header("Mentoring introduction"),
        Section(f"{mentor_line(mentor, mentee)}{shared} The term runs until {ends}."),
        Section(GUIDE),
        fallback="Mentoring introduction",
    )


def mentor_line(mentor: str, mentee: str) -> str:
    return f"{mention(mentor)} has offered to mentor {mention(mentee)}."


END_CONFIRM = Confirm("End this mentoring pairing?",
                      "They are told only that the pairing has ended; no reasons asked.",
                      "End it", "Keep going")


def end_confirm(request: object) -> Confirm:
    """Asked before "Let's end here" where the platform has no dialog (bot.core.confirming)."""
    return END_CONFIRM


def checkin(pair_id: int, other: str) -> Message:
    return message(
        Section(f"Halfway through your mentoring with {mention(other)}: how is it going?"),
        Context("Only you see this. Ending here is fine: no reasons asked, and they are told "
                "only that the pairing has ended."),
        Buttons((Button("Going well", action_ids.encode(WELL, pair_id)),
                 Button("Let's end here", action_ids.encode(END, pair_id),
                        confirm=END_CONFIRM))),
        fallback="Mentoring: how is it going?",
    )


def ended_quietly(other: str) -> Message:
    return message(Section(f"Your mentoring pairing with {mention(other)} has come to an end. "
                           "Thank you for the time you gave it."))


def closed(other: str) -> Message:
    return message(Section(
        f"Your mentoring term with {mention(other)} is over. Take a moment to look back on "
        "what changed, and thank each other. `/peer mentor request` or `/peer mentor offer` "
        "to take part in the next match."))


def pair_ended(topics: str) -> Message:
    """To the other person when a pair ends with an erasure: no name, no reason."""
    on = f" on {topics.replace(',', ', ')}" if topics else ""
    return message(Section(
        f"Your mentoring pair{on} has ended. Nothing needs doing, and no reason is needed. "
        "Thank you for the time you gave it. `/peer mentor request` or `/peer mentor offer` "
        "to take part in the next match."), fallback="Your mentoring pair has ended.")
