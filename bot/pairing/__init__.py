"""Peer pairing for debriefs: opt-in, rounds (on demand or scheduled), introductions with
a debrief guide, follow-ups, `/peer pair now`, and the pure matching engine in
``bot.pairing.matching``.
"""

from __future__ import annotations

from bot.core.router import Router
from bot.pairing import buttons, commands
from bot.pairing.data import erase_pairing, export_pairing
from bot.pairing.jobs import jobs


def register(router: Router) -> None:
    commands.register(router)
    buttons.register(router)
    router.owns_data("pairing", export_pairing, erase_pairing)
    router.home_section(commands.home)
    router.welcome(commands.welcome_line, order=20)
    router.jobs(jobs)
