"""Group agreements: each group's short text members agree to before they take part.

Until a member agrees, the core's membership hold (bot.core.members.HOLD_AGREEMENT)
keeps the group's check-ins, pairing rounds and sessions from them; this topic sets
and lifts it, so those topics honour the agreement without importing this one.
"""

from __future__ import annotations

from bot.agreements import commands, jobs
from bot.agreements.data import erase_agreements, export_agreements
from bot.core.router import Router


def register(router: Router) -> None:
    commands.register(router)
    router.owns_data("agreements", export_agreements, erase_agreements)
    router.jobs(jobs.jobs)
