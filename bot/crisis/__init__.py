"""Crisis-line resources: the verified directory (``data/``), operator overrides, the cards,
and `/peer crisis` (also `/crisis`). Nothing about a member's request is stored or logged;
a facilitator posting the card to their group (`/peer crisis post`) is audited.
"""

from __future__ import annotations

from bot.core.router import Router
from bot.crisis import commands, post


def register(router: Router) -> None:
    router.home_section(commands.home)
    commands.register(router)
    post.register(router)
