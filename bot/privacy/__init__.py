"""Privacy: the consent card and gate, `/peer privacy`, export, erasure, and retention.

Other topics declare the personal data they keep with ``router.owns_data``; export and
erasure here call every one of them, and the daily retention job asks each to expire
what is past the retention period.
"""

from __future__ import annotations

from bot.core.router import Router
from bot.privacy import commands
from bot.privacy.jobs import jobs


def register(router: Router) -> None:
    commands.register(router)
    router.jobs(lambda ctx: jobs(ctx, router.data_owners))
