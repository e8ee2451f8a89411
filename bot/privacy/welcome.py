"""The welcome a new member sees first: the consent card, and "Agree" running the command.

The first command (or group join) that would store something shows this card instead:
what peerbot does, what it stores, the Agree / Not now buttons, the time zone the
platform reports (or that none is known, and which zone is used meanwhile), and what
happens next (each topic adds a line with ``router.welcome``). "Agree" records consent,
takes the platform's time zone when the member has none, and runs the command the card
interrupted with all its words (stored server-side, see bot.privacy.pending): nobody is
asked to type it again.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core import action_ids
from bot.core.model import (
    FORM_BUTTON,
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Divider,
    Header,
    Invocation,
    Message,
    Reply,
    Section,
    Visibility,
    message,
    reply,
)
from bot.core.router import Request
from bot.core.timeparse import is_timezone
from bot.privacy.consent import has_consented
from bot.privacy.pending import KEEP_FOR, PendingCommands

DOES = (
    "peerbot helps your peer-support group look after each other: a two-tap check-in at "
    "your group's time, optional debrief pairing with a colleague, and crisis lines any time."
)
CONSENT = (
    "*Stored once you agree:* your name, time zone, country and specialty; your check-in "
    "answers (only you see them: facilitators see group totals of at least {k} people); "
    "your pairing choices and partners; the resources you share. `{export}` gives you all "
    "of it, `{forget}` erases it, and answers are deleted after {months} months."
)
STALE_CARD = ("That consent card is out of date (it was shown before your data was erased, "
              "or by an older version), so nothing was recorded. Here is the current one.")
NOT_YOURS = ("That button is no longer valid (it was already used, or it is not yours), "
             "so nothing ran. Here is the current card.")
CHANGE_TZ = "Change time zone"
TZ_FORM = action_ids.encode(FORM_BUTTON, "edit-profile")


class Interrupted(StrEnum):
    """What the consent card stopped; its value travels in the Agree button's id.

    "c" and "a" are kept because buttons already posted carry them ("c" with the
    command's first words, from before commands were stored: such a card still asks to
    type it again); "p" carries the token of a stored command (bot.privacy.pending).
    """

    COMMAND = "c"
    BUTTON = "a"
    PENDING = "p"


def _minutes() -> int:
    return int(KEEP_FOR.total_seconds() // 60)


def _zone_text(request: Request) -> str:
    """The member's time zone as the card states it: set, detected, or the default."""
    ctx, member = request.ctx, request.member
    if member.timezone:
        return f"*Your time zone:* {member.timezone}."
    default = ctx.members.workspace_defaults(request.workspace_id)[0]
    detected = request.actor.timezone
    if detected and is_timezone(detected):
        return (f"*Your time zone:* {detected}, from your {ctx.platform.title()} profile; "
                "times are shown in it. Not right? After you agree, one tap on "
                f"*{CHANGE_TZ}* fixes it.")
    typing = " (start typing a city: the list suggests zones)" if ctx.platform == "discord" else ""
    return (f"*Your time zone:* not known yet, so times are shown in {default} (this "
            f"workspace's default) until you set yours: "
            f"`{ctx.slash('profile tz Europe/London')}`{typing}.")


def _next_lines(request: Request) -> list[str]:
    lines = []
    for _, line in sorted(request.router.welcome_lines, key=lambda entry: entry[0]):
        try:
            text = line(request)
        except Exception:  # one topic's sentence never hides the card
            text = None
        if text:
            lines.append(f"• {text}")
    return lines


def _typed(request: Request) -> str:
    """The command as typed (for the card), or '' for a button."""
    inv = request.invocation
    if request.action is not None or inv is None:
        return ""
    typed = request.ctx.slash(" ".join(request.path + tuple(request.args)))
    return typed if len(typed) <= 80 else typed[:79] + "…"


def consent_card(request: Request) -> Reply:
    """The welcome shown instead of a command until the member agrees."""
    ctx = request.ctx
    # Ties the card to this member row: after an erasure the row (and nonce) is new,
    # so an "Agree" issued before it, clicked or replayed, records nothing.
    nonce = ctx.members.card_nonce(request.workspace_id, request.user_id)
    inv = request.invocation
    if request.action is None and inv is not None:
        token = PendingCommands(ctx.db, ctx.clock).keep(
            request.workspace_id, request.user_id, nonce, inv.command, inv.text,
            inv.channel_id, inv.is_direct)
        agree_value = action_ids.encode("privacy.agree", Interrupted.PENDING, token, nonce)
        kept = (f"What you just typed ({_typed(request)}) is kept for {_minutes()} minutes "
                "so it can run when you agree; *Not now* deletes it.")
    else:
        agree_value = action_ids.encode("privacy.agree", Interrupted.BUTTON, "", nonce)
        kept = "After you agree, press the button you pressed again."
    name = request.actor.display_name.strip()
    blocks = [
        Header("Welcome to peerbot"),
        Section((f"Hello {name}. " if name else "") + DOES),
        Section(CONSENT.format(k=ctx.settings.pulse.min_group_size, export=ctx.slash("export"),
                               forget=ctx.slash("forget-me"),
                               months=ctx.settings.privacy.retention_months)),
        Section(_zone_text(request)),
    ]
    upcoming = _next_lines(request)
    if upcoming:
        blocks.append(Section("*What happens next*\n" + "\n".join(upcoming)))
    blocks += [
        Buttons((Button("Agree", agree_value, ButtonStyle.PRIMARY),
                 Button("Not now", action_ids.encode("privacy.notnow")))),
        Context(f"{kept} Until you agree, peerbot keeps only your platform id. "
                f"`{ctx.slash('help')}`, `{ctx.slash('privacy')}` and `{ctx.slash('crisis')}` "
                "work without agreeing."),
    ]
    return reply(*blocks)


def consent_gate(request: Request, needs_consent: bool) -> Reply | None:
    if not needs_consent or has_consented(request.member):
        return None
    return consent_card(request)


def _interrupted(args: tuple[str, ...]) -> tuple[Interrupted | None, str]:
    """What the Agree button says was stopped, and its phrase or token (None if unreadable)."""
    kind, phrase = (*args, "", "")[:2]
    return (Interrupted(kind) if kind in tuple(Interrupted) else None), phrase


def agree(request: Request) -> Reply | list[Reply]:
    nonce = request.action_args[2] if len(request.action_args) > 2 else ""
    # A card without a nonce was posted before nonces existed: it still works for a
    # member row from that time (which has none), never for a row created since.
    if nonce != request.member.card_nonce:
        return [reply(Section(STALE_CARD)), consent_card(request)]
    ctx = request.ctx
    kind, phrase = _interrupted(request.action_args)
    pending = None
    if kind is Interrupted.PENDING:
        pending = PendingCommands(ctx.db, ctx.clock).take(request.workspace_id,
                                                          request.user_id, phrase)
        if pending is None and not has_consented(request.member):
            # Used already, or someone else's token: the card is theirs but this button
            # is not, so it records nothing (a fresh card does).
            return [reply(Section(NOT_YOURS)), consent_card(request)]
    first = ctx.members.record_consent(request.actor)
    zone_line = _take_zone(request)
    if kind is Interrupted.PENDING and pending is None:
        again = "That button was already used, so nothing ran again."
    elif pending is not None and pending.nonce != nonce:
        again = "That card is out of date, so what you typed did not run: please type it again."
        pending = None
    elif pending is not None and pending.expired(ctx.clock.now()):
        again = (f"What you typed was more than {_minutes()} minutes ago, so it did not run "
                 "by itself: please type it again.")
        pending = None
    elif pending is not None:
        again = ""
    elif kind is Interrupted.COMMAND and phrase:
        again = f"Now run `{ctx.slash(phrase)}` again."
    elif kind is Interrupted.BUTTON:
        again = "Now press the button again."
    else:
        again = f"`{ctx.slash('help')}` shows what you can do."
    thanks = "Thank you, you're all set." if first else "You had already agreed."
    blocks: list = [Section(" ".join(p for p in (thanks, zone_line, again) if p))]
    if zone_line:
        blocks.append(Buttons((Button(CHANGE_TZ, TZ_FORM),)))
    done = Reply(message(*blocks), replace_original=True)
    if pending is None or request.rerun is None:
        return done
    actor = request.actor
    ran = request.rerun(Invocation(
        actor=actor, command=pending.command, text=pending.text,
        channel_id=pending.channel_id, is_direct=bool(pending.is_direct)))
    return _joined(done, ran)


def _take_zone(request: Request) -> str:
    """Store the platform's time zone when the member has none; the sentence saying so."""
    detected = request.actor.timezone
    member = request.ctx.members.get(request.workspace_id, request.user_id)
    if member is None or member.timezone or not detected or not is_timezone(detected):
        return ""
    request.ctx.members.update_profile(request.workspace_id, request.user_id,
                                       timezone=detected)
    return (f"Your time zone is {detected}, from your "
            f"{request.ctx.platform.title()} profile.")


def _joined(done: Reply, ran: list[Reply]) -> list[Reply]:
    """The thanks and the command's answer as one private message where they fit (the
    card is replaced by both), else the thanks then each answer."""
    if len(ran) == 1 and ran[0].visibility is Visibility.PRIVATE and not ran[0].message.attachment:
        answer = ran[0].message
        return [Reply(Message(blocks=(*done.message.blocks, Divider(), *answer.blocks)),
                      replace_original=True)]
    return [done, *ran]


def not_now(request: Request) -> Reply:
    PendingCommands(request.ctx.db, request.ctx.clock).drop(request.workspace_id,
                                                            request.user_id)
    return Reply(
        message(
            Section(
                "No problem. Nothing about you is stored beyond your platform id, and what "
                f"you typed is deleted. `{request.ctx.slash('privacy')}` explains what "
                f"peerbot would keep; `{request.ctx.slash('crisis')}` works any time."
            )
        ),
        replace_original=True,
    )
