"""The words of pairing: introductions with a debrief guide, heads-ups, follow-ups, notices.

Kept apart from the round logic so the tone can be reviewed in one place. Every message
that reaches a pair or trio carries the reminder to share no client-identifying
information; no message ever mentions a declared conflict.
"""

from __future__ import annotations

from bot.core import action_ids
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Confirm,
    Context,
    Header,
    Message,
    Section,
    message,
)
from bot.pairing.model import Met, NotPaired

NO_CLIENT_INFO = (
    "Please share no client-identifying information: no names, dates, places or details "
    "that could identify someone you work with."
)
GUIDE = (
    "*A 25-minute debrief, if it helps* (take turns; the listener mostly listens)\n"
    "1. *Check-in* (2 min each): how are you arriving today?\n"
    "2. *What happened* (5 min each): one situation that stayed with you, briefly.\n"
    "3. *What it stirred* (3 min each): thoughts, feelings, what your body noticed.\n"
    "4. *What helps* (2 min each): what you need now; one small thing you'll do.\n"
    "5. *Closing* (1 min): one word each, and whether you'd like to talk again."
)


def names(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def intro(
    group_name: str, labels: list[str], zones: list[str], command: str, *, joined: str = "",
    titles: list[str] | None = None,
) -> Message:
    """One message to the whole pair or trio, in their shared conversation.

    ``labels`` name people in the body (mentions, so the platform notifies them);
    ``titles`` are plain display names for the fallback, which Discord also uses as
    the private thread's title, where a mention would show as raw text.
    """
    who = names(labels)
    opening = (
        f"{joined} is joining you for this round." if joined
        else f"Hello {who}: you're paired for a debrief this round in *{group_name}*."
    )
    zone_lines = "\n".join(f"• {label}: {zone}" for label, zone in zip(labels, zones, strict=True))
    return message(
        Header(f"Debrief pairing: {group_name}"),
        Section(
            f"{opening} Find 20-30 minutes in the next few days that suits "
            f"{'you both' if len(labels) == 2 else 'all of you'}.\n"
            f"Local time zones:\n{zone_lines}"
        ),
        Section(GUIDE),
        Context(
            f"{NO_CLIENT_INFO} If anything feels urgent, `/{command} crisis` lists crisis lines."
        ),
        fallback=f"Debrief pairing in {group_name}: {names(titles or labels)}",
    )


def heads_up(group_name: str, round_id: int, local_when: str, command: str) -> Message:
    return message(
        Header(f"Pairing round coming up: {group_name}"),
        Section(
            f"A debrief pairing round starts {local_when}. You'll be introduced to a colleague "
            "for a 20-30 minute conversation. Busy this time? Skip just this round; you stay "
            "in for the next."
        ),
        Buttons((Button("Skip this round", action_ids.encode("pair.skip", round_id)),)),
        Context(f"`/{command} pair leave` stops pairing altogether."),
        fallback=f"Pairing round in {group_name} starts {local_when}",
    )


def not_paired(group_name: str, reason: NotPaired, command: str) -> Message:
    return message(
        Section(
            f"No partner for you in this *{group_name}* pairing round: {reason.to_member}. "
            "Nothing you did. "
            "You'll be among the first to be matched next round."
        ),
        Context(
            f"Want to talk sooner? `/{command} pair now` asks colleagues who are free right now."
        ),
        fallback=f"No partner this round in {group_name}",
    )


def partner_left(group_name: str, left_label: str, round_id: int, command: str) -> Message:
    return message(
        Section(
            f"{left_label} can't make this *{group_name}* round after all. That happens, and "
            "it's nothing you did. Would you like to join another pair this round?"
        ),
        Buttons(
            (
                Button("Join another pair", action_ids.encode("pair.repair", round_id),
                       ButtonStyle.PRIMARY),
                Button("Sit this one out", action_ids.encode("pair.sitout", round_id)),
            )
        ),
        Context(f"`/{command} pair now` asks colleagues who are free right now."),
        fallback=f"{left_label} can't make this round",
    )


def trio_now_pair(group_name: str, left_label: str) -> Message:
    return message(
        Section(
            f"{left_label} can't make this *{group_name}* round after all; the two of you are "
            "still on. The debrief guide above works just as well for two."
        ),
        Context(NO_CLIENT_INFO),
        fallback=f"{left_label} can't make this round",
    )


def follow_up(group_name: str, round_id: int, partner_labels: list[str]) -> Message:
    def button(answer: Met, style: ButtonStyle = ButtonStyle.DEFAULT) -> Button:
        return Button(answer.button, action_ids.encode("pair.met", round_id, answer), style)

    return message(
        Section(
            f"Did you meet {names(partner_labels)} for your *{group_name}* debrief? "
            "Only the group's totals are ever shown, and only when enough people answered."
        ),
        Buttons(
            (
                button(Met.YES, ButtonStyle.PRIMARY),
                button(Met.NOT_YET),
                button(Met.COULDNT),
            )
        ),
        fallback=f"Did you meet for your {group_name} debrief?",
    )


def now_offer(requester_label: str | None, request_id: int, minutes: int) -> Message:
    """The offer; ``None`` for an anonymous request (the name comes with the intro)."""
    who = requester_label or "A colleague in your group"
    return message(
        Section(
            f"{who} would like a short debrief with a colleague now. Are you free "
            f"for 20-30 minutes? The first to say yes is connected (this stays open {minutes} "
            "minutes)."
        ),
        Buttons(
            (
                Button("I can talk now", action_ids.encode("pair.accept", request_id),
                       ButtonStyle.PRIMARY),
                Button("Not now", action_ids.encode("pair.decline", request_id)),
            )
        ),
        Context(NO_CLIENT_INFO),
        fallback=f"{who} would like a debrief now",
    )


def now_intro(labels: list[str], command: str, titles: list[str] | None = None) -> Message:
    return message(
        Header("Debrief now"),
        Section(f"{names(labels)}: you're connected for a debrief now. Thank you for making time."),
        Section(GUIDE),
        Context(
            f"{NO_CLIENT_INFO} If anything feels urgent, `/{command} crisis` lists crisis lines."
        ),
        fallback=f"Debrief now: {names(titles or labels)}",
    )


def offer_withdrawn() -> Message:
    return message(
        Section("No longer needed: a colleague has been connected. Thank you for being there."),
        fallback="That debrief request has been taken",
    )


def now_confirm(count: int, label: str, minutes: int) -> Message:
    """Before anything is sent: who would be asked and what they would see, one tap each."""
    people = "1 colleague" if count == 1 else f"{count} colleagues"
    return message(
        Section(
            f"I can ask {people} who are free now (within their working hours). They would "
            f"see: *\"{label} would like a short debrief with a colleague now.\"* Or ask "
            "anonymously: they see *\"A colleague in your group...\"*, and your name goes "
            "only to whoever says yes, when you're connected."
        ),
        Buttons(
            (
                Button("Ask with my name", action_ids.encode("pair.nowask", 1),
                       ButtonStyle.PRIMARY),
                Button("Ask anonymously", action_ids.encode("pair.nowask", 0)),
            )
        ),
        Context(f"Nothing has been sent yet. The first to say yes is connected; you'll hear "
                f"within {minutes} minutes either way."),
        fallback=f"Ask {people} for a debrief now?",
    )


def _support_row(command: str, *, retry: bool) -> tuple[Buttons, Context]:
    """What every "nobody could be asked" reply offers: the crisis lines, maybe a retry."""
    buttons = [Button("Show crisis lines", action_ids.encode("pair.crisis"), ButtonStyle.PRIMARY)]
    if retry:
        buttons.append(Button("Try again", action_ids.encode("pair.now")))
    return (
        Buttons(tuple(buttons)),
        Context(f"`/{command} crisis` shows the crisis lines for your country at any time."),
    )


def now_nobody_opted_in(command: str) -> Message:
    return message(
        Section(
            "Nobody else in your groups has opted in to debrief pairing yet, so there's "
            f"nobody I could ask. Colleagues opt in with `/{command} pair join`."
        ),
        *_support_row(command, retry=False),
        fallback="Nobody else has opted in to pairing yet",
    )


def now_nobody_available(command: str) -> Message:
    return message(
        Section(
            "Nobody who takes part in pairing can be asked right now: everyone is outside "
            "their working hours, taking a break, or has just said no. That says nothing "
            "about you. You could try again later, reach out to someone you trust, or look "
            "at the crisis lines if things feel heavy."
        ),
        *_support_row(command, retry=True),
        fallback="Nobody can be asked right now",
    )


def now_nobody(command: str) -> Message:
    return message(
        Section(
            "I'm sorry: nobody was free to talk just now. That says nothing about you or what "
            "you're carrying. You could try again later, reach out to someone you trust, or "
            "look at the crisis lines if things feel heavy."
        ),
        *_support_row(command, retry=True),
        fallback="Nobody was free to talk just now",
    )



STEP_OUT_CONFIRM = Confirm(
    "Step out of this round?",
    "Your partner hears only that you can't make it, never why, and may be paired again. "
    "You stay in pairing for the next round.",
    "Step out", "Stay in")


def start_round_confirm(group_name: str) -> Confirm:
    return Confirm(f"Start the round in {group_name}?",
                   "Everyone proposed is introduced to their partner now; this cannot be "
                   "undone.", "Start the round", "Not yet")


def step_out_button(round_id: int) -> Buttons:
    """"Step out of this round", asking first (it tells your partner)."""
    return Buttons((Button("Step out of this round", action_ids.encode("pair.stepout", round_id),
                           confirm=STEP_OUT_CONFIRM),))
