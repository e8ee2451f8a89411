"""Shared set-up for the pairing tests: a real SQLite file, a manual clock, a recording messenger.

Import as ``from pairing_world import ...`` (pytest puts tests/ on the path).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.delivery import Deliverer
from bot.core.model import Action, Actor, Buttons, Invocation, Message, Reply, Target, plain_text
from bot.pairing.jobs import jobs
from bot.privacy.consent import ConsentService
from bot.runtime import assemble
from bot.store.db import open_database
from jobs.scheduler import ClockDrivenScheduler

WS = "W"
MONDAY = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ZONES = {"alice": "Europe/London", "bob": "America/New_York", "carol": "Europe/Paris",
         "dan": "Europe/Dublin", "erin": "Europe/Berlin", "fran": "America/Toronto"}


class RecordingMessenger:
    def __init__(self) -> None:
        self.sent: list[tuple[Target, Message]] = []

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self.sent.append((target, message))
        return f"ref-{len(self.sent)}"

    def to(self, user_id: str) -> list[Message]:
        return [m for t, m in self.sent if t.user_id == user_id or user_id in t.user_ids]

    def groups(self) -> list[tuple[str, ...]]:
        return [tuple(sorted(t.user_ids)) for t, _ in self.sent if t.user_ids]


class World:
    """One workspace with the group Circle (facilitator fran) and consenting members."""

    def __init__(self, tmp_path, *, pairing: dict | None = None, start: datetime = MONDAY,
                 pulse_k: int = 5) -> None:
        data = {
            "bot": {"database": str(tmp_path / "peerbot.sqlite")},
            "pulse": {"min_group_size": pulse_k},
            "groups": [{"name": "Circle", "facilitators": ["fran"],
                        "pairing": dict(pairing or {})}],
        }
        self.settings = parse_config(data)
        self.clock = ManualClock(start)
        self.db = open_database(self.settings.bot.database)
        self.assembly = assemble(self.settings, self.db, self.clock, "console")
        self.ctx = self.assembly.ctx
        self.core = self.assembly.core
        self.core.prepare_workspace(WS)
        self.group = self.ctx.members.group_by_name(WS, "Circle")
        self.messenger = RecordingMessenger()
        self.deliverer = Deliverer(self.ctx.outbox, self.ctx.members, self.messenger, self.clock)
        self.scheduler = ClockDrivenScheduler(self.ctx, self.clock, jobs(self.ctx))
        self.add("fran")

    def add(self, user_id: str, tz: str | None = None, specialty: str | None = None) -> None:
        actor = Actor(WS, user_id, user_id)
        self.ctx.members.ensure_member(actor)
        ConsentService(self.db, self.clock).record(actor)
        self.ctx.members.update_profile(WS, user_id, timezone=tz or ZONES.get(user_id, "UTC"),
                                        specialty=specialty)
        self.ctx.members.join_group(WS, self.group.id, user_id, facilitator=user_id == "fran")

    async def join(self, *users: str) -> None:
        for user in users:
            if self.ctx.members.get(WS, user) is None:
                self.add(user)
            await self.say(user, "pair join")

    async def replies(self, user: str, text: str) -> list[Reply]:
        inv = Invocation(actor=Actor(WS, user, user), command="peer", text=text)
        return await self.core.handle_invocation(inv)

    async def say(self, user: str, text: str) -> str:
        return "\n".join(plain_text(r.message) for r in await self.replies(user, text))

    async def press(self, user: str, value: str) -> str:
        replies = await self.core.handle_action(Action(actor=Actor(WS, user, user), value=value))
        return "\n".join(plain_text(r.message) for r in replies)

    async def drain(self) -> None:
        await self.deliverer.drain_once()

    async def wait(self, delta) -> int:
        return await self.scheduler.advance(delta, after=self.drain)

    def outbox(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        """(target_key, kind, status) of every outbox row, oldest first."""
        sql = "SELECT target_key, kind, status FROM outbox"
        params: list = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        return [tuple(r) for r in self.db.execute(sql + " ORDER BY id", params).fetchall()]


def buttons(msg: Message) -> dict[str, str]:
    """Label -> value of every button in a message."""
    return {b.label: b.value for block in msg.blocks if isinstance(block, Buttons)
            for b in block.buttons}


def text(msg: Message) -> str:
    return plain_text(msg)
