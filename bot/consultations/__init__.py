"""Case consultations: a de-identified question posted to the group's channel, replies in
its thread (never stored), anonymous to everyone when the asker chooses, resolved with an
optional takeaway for the resource library. See docs/community.md.
"""

from __future__ import annotations

from bot.consultations import commands
from bot.consultations.data import erase_consultations, expire_drafts, export_consultations
from bot.consultations.messages import DISCARD, EDIT, FORM, POST, RESOLVE, USAGE, post_confirm
from bot.core.router import Router


def register(router: Router) -> None:
    router.command("consult", commands.consult, form=FORM, usage=USAGE,
                   summary="ask your group for input on a case (checked for identifying detail)")
    router.command("consult resolve", commands.resolve_command,
                   summary="close your consultation, with a takeaway for the library",
                   usage="consult resolve <number> <code> [takeaway]")
    router.action(POST, commands.post_anyway, confirm=post_confirm)
    router.action(DISCARD, commands.discard)
    router.action(EDIT, commands.edit)
    router.action(RESOLVE, commands.resolve_button)
    router.owns_data("consultations", export_consultations, erase_consultations,
                     expire=expire_drafts)
