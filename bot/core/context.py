"""The composition of injected parts that handlers and jobs share for one workspace set.

Services are cheap, stateless wrappers over the store; handlers build the ones they
need from this context, so there is no global registry and no module-level state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from bot.core.config import Settings
from bot.core.members import MemberService
from bot.core.outbox import Outbox
from bot.core.ports import Clock


@dataclass
class AppContext:
    settings: Settings
    db: sqlite_utils.Database
    clock: Clock
    platform: str = "console"
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def members(self) -> MemberService:
        return MemberService(self.db, self.clock)

    @property
    def outbox(self) -> Outbox:
        return Outbox(self.db, self.clock)

    @property
    def command_name(self) -> str:
        return self.settings.bot.command_name

    def slash(self, phrase: str = "") -> str:
        """How to type a command on this platform, e.g. ``/peer checkin history``.

        An adapter whose slash commands take options rather than free text (Discord)
        puts its converter in ``extras["spell"]``, so hints match what people type there.
        """
        spell = self.extras.get("spell")
        if spell is not None and phrase:
            phrase = spell(phrase)
        return f"/{self.command_name} {phrase}".rstrip()
