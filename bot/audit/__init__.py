"""The audit log of facilitator and admin actions, and `/peer admin audit` to read it."""

from __future__ import annotations

from bot.audit import commands
from bot.audit.log import erase_audit, export_audit
from bot.core.router import Router


def register(router: Router) -> None:
    commands.register(router)
    router.owns_data("audit", export_audit, erase_audit)
