"""Every topic's handlers, registered on one router.

To add a topic: write ``bot/handlers/<topic>.py`` with ``register(router)`` and add
its module to ``TOPICS`` below (order only affects the order of help sections).
"""

from __future__ import annotations

import importlib

from bot.router import Router

TOPICS = [
    "bot.handlers.help",
    "bot.handlers.profile",
    "bot.handlers.groups",
    "bot.handlers.privacy",
    "bot.handlers.admin",
    "bot.handlers.crisis",
    "bot.handlers.pairing",
    "bot.handlers.checkins",
]


def build_router() -> Router:
    router = Router()
    for name in TOPICS:
        importlib.import_module(name).register(router)
    return router
