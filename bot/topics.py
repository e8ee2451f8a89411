"""Every topic's handlers, registered on one router.

To add a topic: write ``bot/handlers/<topic>.py`` with ``register(router)`` and add
its module to ``TOPICS`` below (order only affects the order of help sections).
"""

from __future__ import annotations

import importlib

from bot.core.router import Router

TOPICS = [
    "bot.community.help",
    "bot.community.profile",
    "bot.community.groups",
    "bot.privacy.commands",
    "bot.community.roles",
    "bot.crisis.commands",
    "bot.pairing.commands",
    "bot.checkins.commands",
]


def build_router() -> Router:
    router = Router()
    for name in TOPICS:
        importlib.import_module(name).register(router)
    return router
