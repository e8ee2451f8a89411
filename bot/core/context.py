"""The injected parts that handlers and jobs share: settings, store, clock, and the few
services built once at start-up.

Every field is typed and set by the composition root (``bot.runtime.build_context``);
services are cheap wrappers over the store that handlers build from these parts when
they need them, so there is no global registry and no module-level state. The registry
of commands (the Router) is not here: a handler reaches it as ``request.router``, and
the scheduler is handed it, so the context never depends on what is registered.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from bot.core.config import Settings
from bot.core.members import MemberService
from bot.core.metrics import Metrics
from bot.core.offload import Compute
from bot.core.outbox import Outbox
from bot.core.ports import Clock, CrisisCards, Spelling
from bot.core.receipts import Receipts
from bot.core.timeparse import shown_time


@dataclass
class AppContext:
    """One running bot's parts.

    Attributes:
        crisis: crisis cards, built once so a bad ``[[crisis.extra]]`` stops start-up;
            check-ins show a card after a low answer without importing the crisis topic.
        metrics: this bot's counters (its own registry), served at ``/metrics``.
        spell: how the adapter spells a core phrase (Discord: ``checkin pause span:2w``),
            so hints match what people type there; None where the core grammar is typed.
        compute: where CPU-heavy pure work (matching) runs: a worker process in
            production (``compute.run(fn, *args)`` from a job, ``await
            compute.run_async(...)`` from a coroutine), in the caller in tests.
    """

    settings: Settings
    db: sqlite_utils.Database
    clock: Clock
    crisis: CrisisCards
    platform: str = "console"
    spell: Spelling | None = None
    compute: Compute = field(default_factory=Compute.in_process)
    metrics: Metrics = field(default_factory=Metrics)
    confirm_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # confirming

    @property
    def members(self) -> MemberService:
        return MemberService(self.db, self.clock)

    @property
    def outbox(self) -> Outbox:
        return Outbox(self.db, self.clock)

    @property
    def receipts(self) -> Receipts:
        return Receipts(self.db, self.clock)

    def local_time(self, at: datetime, tz: str) -> str:
        """An instant as a reader in zone ``tz`` reads it (``Mon 05 Jan 10:00 EST``),
        with the year only when it is not this year there. In message text it is a
        structured time (``timeparse.shown_time``): the platforms show their own date
        token with this text as the fallback."""
        return shown_time(at, tz, now=self.clock.now())

    @property
    def command_name(self) -> str:
        return self.settings.bot.command_name

    def slash(self, phrase: str = "") -> str:
        """How to type a command on this platform, e.g. ``/peer checkin history``."""
        if self.spell is not None and phrase:
            phrase = self.spell(phrase)
            if phrase.startswith("/"):  # the platform names another command (/peer-admin)
                return phrase.rstrip()
        return f"/{self.command_name} {phrase}".rstrip()
