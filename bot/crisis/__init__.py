"""Crisis-line resources: the verified directory (``data/``), operator overrides, the cards,
and `/peer crisis` (also `/crisis`). Nothing about a request is stored or logged.
"""

from __future__ import annotations

from bot.core.router import Router
from bot.crisis import commands


def register(router: Router) -> None:
    router.home_section(commands.home)
    commands.register(router)
