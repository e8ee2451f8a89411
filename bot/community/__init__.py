"""Community: `/peer help`, the member's profile, peer groups, and roles (who facilitates)."""

from __future__ import annotations

from bot.community import groups, help, profile, roles
from bot.core.router import Router


def register(router: Router) -> None:
    help.register(router)
    profile.register(router)
    groups.register(router)
    roles.register(router)
