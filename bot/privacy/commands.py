"""`/peer privacy`, `/peer export`, `/peer forget-me`, and the consent card.

The consent gate runs before every command or button that stores something
(``needs_consent=True``, the default): a member who has not agreed gets the card
instead, and nothing is stored beyond their platform id. Help, privacy, export,
forget-me and every crisis command work without consent: a person must always be
able to read what we keep, take it with them, erase it, and find a crisis line.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core import action_ids
from bot.core.errors import UsageError
from bot.core.model import (
    Attachment,
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Header,
    Reply,
    Section,
    Visibility,
    message,
    reply,
)
from bot.core.router import Request, Router
from bot.core.timeparse import zone
from bot.privacy.consent import has_consented
from bot.privacy.erasure import PrivacyService, checkpoint

STORED = (
    "*What peerbot stores*\n"
    "• Your platform id and display name, time zone, country and (if you set it) specialty: "
    "to send things at your local time and show the right crisis lines.\n"
    "• Your check-in answers and any private note you add: only so *you* can see your own "
    "trend. Nobody else ever sees an individual answer or note, facilitators included.\n"
    "• Whether you opted in to pairing, your past partners and your private conflict list: "
    "to avoid repeats and never pair you with someone you declared.\n"
    "• Crisis requests are never stored or logged."
)
WHO = (
    "*Who sees what*\n"
    "• You: everything about you (`{export}`).\n"
    "• Facilitators: the group pulse, only when at least {k} people answered, never "
    "one person's answers; who opted in to pairing.\n"
    "• Admins: a log of facilitator and admin actions (who ran a round, changed a schedule).\n"
    "• Operators: the database file, which is why it holds as little as possible."
)
CONTROL = (
    "*Your controls*\n"
    "`{export}` gives you all your data. `{forget}` erases it. "
    "Check-in answers and notes are deleted after {months} months; only group totals of at "
    "least {k} people are kept longer."
)
CONSENT = (
    "Before peerbot keeps anything about you, please read this.\n"
    "*Stored once you agree:* your display name; the time zone, country and specialty you "
    "set; your check-in answers; whether you take part in pairing and who you were paired "
    "with; the resources you share with your name and the ones you mark helpful.\n"
    "*Who sees what:* only you see your answers. Facilitators see group totals when at "
    "least {k} people answered, never one person's answers.\n"
    "*Your controls:* `{export}` gives you everything, `{forget}` erases everything, and "
    "check-in answers are deleted after {months} months anyway."
)
FORGET = (
    "This erases everything peerbot holds about you in this workspace: your profile, "
    "group memberships, check-in answers and notes, pairing history, the resources you "
    "shared with your name (anonymous ones stay: nothing links them to you), your helpful "
    "marks and messages waiting to be sent to you. Messages to other people that mention "
    "you (a buddy invitation or nudge, an introduction) are withdrawn if not yet sent, "
    "and their stored text is removed; your buddy links end. If someone asked never to be "
    "paired with you, that stays, but under a scrambled code instead of your id. It "
    "cannot be undone. Want a copy first? Run `{export}`."
)
ERASURE = (
    "*When you run `{forget}`*\n"
    "• Deleted: your profile, memberships, check-ins, notes, buddy links, pairing rows, "
    "library resources you shared with your name, your helpful marks, and every message "
    "to you, sent or queued. Resources shared anonymously stay.\n"
    "• Messages to others that mention you: withdrawn if not yet sent; the stored text of "
    "sent ones is replaced, so no record names you.\n"
    "• Someone else's don't-pair entry about you stays (it protects them) under a "
    "one-way scrambled code, never your id or name. Audit entries stay with your id "
    "replaced by `[erased]`.\n"
    "• The database's write-ahead log is emptied at once. Backups taken earlier still "
    "hold your data until the operator deletes them (at most {months} months), but if "
    "one is restored, peerbot erases you from it again before anyone uses it (a "
    "scrambled code of your id, kept outside the database, says whom)."
)


class Interrupted(StrEnum):
    """What the consent card stopped; its value travels in the Agree button's id.

    The one-letter values are kept because buttons already posted carry them.
    """

    COMMAND = "c"  # a typed command: ask them to run it again
    BUTTON = "a"  # a button press: ask them to press it again


class ForgetChoice(StrEnum):
    """The two buttons under the "Erase all your data?" question."""

    CONFIRM = "confirm"
    CANCEL = "cancel"


def _privacy_service(request: Request) -> PrivacyService:
    return PrivacyService(request.ctx.db, request.ctx.clock, request.router.data_owners)


# ---- consent ----------------------------------------------------------------------------


def consent_card(request: Request) -> Reply:
    """The card shown instead of a command until the member agrees."""
    ctx = request.ctx
    kind = Interrupted.BUTTON if request.action is not None else Interrupted.COMMAND
    phrase = " ".join(request.path).replace("|", " ").replace(":", " ")[:60]
    # Ties the card to this member row: after an erasure the row (and nonce) is new,
    # so an "Agree" issued before it, clicked or replayed, records nothing.
    nonce = ctx.members.card_nonce(request.workspace_id, request.user_id)
    text = CONSENT.format(
        k=ctx.settings.pulse.min_group_size,
        export=ctx.slash("export"),
        forget=ctx.slash("forget-me"),
        months=ctx.settings.privacy.retention_months,
    )
    return reply(
        Header("Before we start"),
        Section(text),
        Buttons(
            (
                Button("Agree", action_ids.encode("privacy.agree", kind, phrase, nonce),
                       ButtonStyle.PRIMARY),
                Button("Not now", action_ids.encode("privacy.notnow")),
            )
        ),
        Context(
            f"Until you agree, peerbot keeps only your platform id. `{ctx.slash('help')}`, "
            f"`{ctx.slash('privacy')}` and `{ctx.slash('crisis')}` work without agreeing."
        ),
    )


def consent_gate(request: Request, needs_consent: bool) -> Reply | None:
    if not needs_consent or has_consented(request.member):
        return None
    return consent_card(request)


def _interrupted(args: tuple[str, ...]) -> tuple[Interrupted | None, str]:
    """What the Agree button says was stopped, and the command phrase (None if unreadable)."""
    kind, phrase = (*args, "", "")[:2]
    return (Interrupted(kind) if kind in tuple(Interrupted) else None), phrase


STALE_CARD = ("That consent card is out of date (it was shown before your data was erased, "
              "or by an older version), so nothing was recorded. Here is the current one.")


def agree(request: Request) -> Reply | list[Reply]:
    nonce = request.action_args[2] if len(request.action_args) > 2 else ""
    # A card without a nonce was posted before nonces existed: it still works for a
    # member row from that time (which has none), never for a row created since.
    if nonce != request.member.card_nonce:
        return [reply(Section(STALE_CARD)), consent_card(request)]
    members = request.ctx.members
    members.record_consent(request.actor)
    kind, phrase = _interrupted(request.action_args)
    if kind is Interrupted.COMMAND and phrase:
        again = f"Now run `{request.ctx.slash(phrase)}` again."
    elif kind is Interrupted.BUTTON:
        again = "Now press the button again."
    else:
        again = f"`{request.ctx.slash('help')}` shows what you can do."
    return Reply(message(Section(f"Thank you, you're all set. {again}")), replace_original=True)


def not_now(request: Request) -> Reply:
    return Reply(
        message(
            Section(
                "No problem. Nothing about you is stored beyond your platform id. "
                f"`{request.ctx.slash('privacy')}` explains what peerbot would keep; "
                f"`{request.ctx.slash('crisis')}` works any time."
            )
        ),
        replace_original=True,
    )


# ---- privacy, export, forget-me ---------------------------------------------------------


def privacy(request: Request) -> Reply:
    ctx = request.ctx
    return reply(
        Header("Your privacy"),
        Section(STORED),
        Section(WHO.format(export=ctx.slash("export"), k=ctx.settings.pulse.min_group_size)),
        Section(
            CONTROL.format(
                export=ctx.slash("export"),
                forget=ctx.slash("forget-me"),
                months=ctx.settings.privacy.retention_months,
                k=ctx.settings.pulse.min_group_size,
            )
        ),
        Section(ERASURE.format(forget=ctx.slash("forget-me"),
                               months=ctx.settings.privacy.retention_months)),
        Context("Please never share anything that could identify a client."),
    )


def export(request: Request) -> Reply:
    """`/peer export`: every data owner's rows about you, as a JSON file, privately."""
    if request.args:
        raise UsageError("`export` takes no arguments: it always exports all of your data.")
    content = _privacy_service(request).export_json(request.workspace_id, request.user_id)
    day = request.ctx.clock.now().astimezone(zone(request.zone)).strftime("%Y-%m-%d")  # theirs
    return Reply(
        message(
            Section("Here is everything peerbot holds about you in this workspace."),
            Context("Only you can see this. The file is plain JSON."),
            attachment=Attachment(f"peerbot-export-{day}.json", content),
        ),
        visibility=Visibility.PRIVATE,
    )


def forget_me(request: Request) -> Reply:
    if request.args:
        raise UsageError("`forget-me` takes no arguments; you'll be asked to confirm.")
    return reply(
        Header("Erase all your data?"),
        Section(FORGET.format(export=request.ctx.slash("export"))),
        Buttons(
            (
                Button("Erase everything",
                       action_ids.encode("privacy.forget", ForgetChoice.CONFIRM),
                       ButtonStyle.DANGER),
                Button("Cancel", action_ids.encode("privacy.forget", ForgetChoice.CANCEL)),
            )
        ),
    )


def forget_action(request: Request) -> Reply:
    choice = request.action_args[0] if request.action_args else ""
    if choice == ForgetChoice.CANCEL:
        return Reply(message(Section("Cancelled. Nothing was erased.")), replace_original=True)
    if choice != ForgetChoice.CONFIRM:
        return Reply(message(Section("That button is no longer valid. Nothing was changed.")))
    report = _privacy_service(request).erase(request.workspace_id, request.user_id)
    db = request.ctx.db
    request.after_commit(lambda: checkpoint(db))  # empty the WAL of the erased rows
    return Reply(
        message(
            Section(
                f"Done: everything peerbot held about you here is erased ({report.total} "
                f"record(s)). If you use peerbot again, it will ask for your consent "
                "first."
            )
        ),
        replace_original=True,
    )


def register(router: Router) -> None:
    router.command(
        "privacy",
        privacy,
        summary="what is stored, why, and who sees it",
        usage="privacy",
        needs_consent=False,
    )
    router.command(
        "export", export, summary="all your data, as a file only you see", usage="export",
        needs_consent=False,
    )
    router.command(
        "forget-me", forget_me, summary="erase everything peerbot holds about you",
        usage="forget-me", needs_consent=False,
    )
    router.action("privacy.agree", agree, needs_consent=False)
    router.action("privacy.notnow", not_now, needs_consent=False)
    router.action("privacy.forget", forget_action, needs_consent=False)
    router.gate(consent_gate)
