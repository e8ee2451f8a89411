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
    Confirm,
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
from bot.privacy.erasure import PrivacyService, checkpoint
from bot.privacy.pending import erase_pending, expire_pending, export_pending
from bot.privacy.welcome import agree, consent_gate, not_now

STORED = (
    "*What peerbot stores*\n"
    "• Your platform id and display name, time zone, country and (if you set it) specialty: "
    "to send things at your local time and show the right crisis lines.\n"
    "• Your check-in answers and any private note you add: only so *you* can see your own "
    "trend. Nobody else ever sees an individual answer or note, facilitators included.\n"
    "• Whether you opted in to pairing, your past partners and your private conflict list: "
    "to avoid repeats and never pair you with someone you declared.\n"
    "• Before you agree: only your platform id, and the command the welcome interrupted, "
    "for at most 30 minutes, so that *Agree* can run it (*Not now* deletes it).\n"
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


ERASE_CONFIRM = Confirm(
    "Erase all your data?",
    "Everything peerbot holds about you in this workspace is deleted now. This cannot be "
    "undone.", "Erase everything", "Keep my data")


class ForgetChoice(StrEnum):
    """The two buttons under the "Erase all your data?" question."""

    CONFIRM = "confirm"
    CANCEL = "cancel"


def _privacy_service(request: Request) -> PrivacyService:
    return PrivacyService(request.ctx.db, request.ctx.clock, request.router.data_owners)


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
                       ButtonStyle.DANGER, confirm=ERASE_CONFIRM),
                Button("Cancel", action_ids.encode("privacy.forget", ForgetChoice.CANCEL)),
            )
        ),
    )


def forget_confirm(request: Request) -> Confirm | None:
    """"Erase all your data?" before "Erase everything" (not before Cancel), where the
    platform has no dialog (bot.core.confirming)."""
    return ERASE_CONFIRM if request.action_args[:1] == (ForgetChoice.CONFIRM,) else None


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
    router.action("privacy.forget", forget_action, needs_consent=False, confirm=forget_confirm)
    router.gate(consent_gate)
    router.owns_data("consent", export_pending, erase_pending, expire=expire_pending)
