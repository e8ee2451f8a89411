"""Shared set-up for the check-in tests: a group of consenting members, a recording messenger."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.checkins.jobs import jobs
from bot.core import action_ids
from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.delivery import Deliverer
from bot.core.model import Action, Actor, Buttons, Invocation, Message, plain_text
from bot.privacy.consent import ConsentService
from bot.runtime import Assembly, assemble
from bot.store.db import open_database
from jobs.scheduler import ClockDrivenScheduler

WS = "W"


class RecordingMessenger:
    """Delivers instantly and keeps (user, message) pairs in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Message]] = []

    async def send(self, workspace_id, target, message):
        self.sent.append((target.user_id or target.key(), message))
        return f"ref-{len(self.sent)}"

    def to(self, user_id: str) -> list[Message]:
        return [m for u, m in self.sent if u == user_id]


class World:
    """One workspace, one group, members with time zones; a clock-driven tick."""

    def __init__(self, tmp_path, start: datetime, config: dict | None = None) -> None:
        data = dict(config or {})
        data.setdefault("bot", {})["database"] = str(tmp_path / "peerbot.sqlite")
        data.setdefault("groups", [{"name": "Circle", "facilitators": ["fran"]}])
        self.settings = parse_config(data)
        self.clock = ManualClock(start)
        self.db = open_database(self.settings.bot.database)
        self.assembly: Assembly = assemble(self.settings, self.db, self.clock, "console")
        self.ctx = self.assembly.ctx
        self.core = self.assembly.core
        self.core.prepare_workspace(WS)
        self.group = self.ctx.members.group_by_name(WS, "Circle")
        self.messenger = RecordingMessenger()
        self.deliverer = Deliverer(self.ctx.outbox, self.ctx.members, self.messenger, self.clock)
        self.scheduler = ClockDrivenScheduler(self.ctx, self.clock, jobs(self.ctx))

    def add(self, user_id: str, tz: str = "UTC", *, country: str = "GB",
            facilitator: bool = False, consent: bool = True) -> None:
        actor = Actor(WS, user_id, user_id)
        self.ctx.members.ensure_member(actor)
        if consent:
            ConsentService(self.db, self.clock).record(actor)
        self.ctx.members.update_profile(WS, user_id, timezone=tz, country=country)
        self.ctx.members.join_group(WS, self.group.id, user_id, facilitator=facilitator)

    async def wait(self, delta: timedelta) -> None:
        await self.scheduler.advance(delta, after=self.drain)

    async def drain(self) -> None:
        await self.deliverer.drain_once()

    async def command(self, user_id: str, text: str):
        inv = Invocation(actor=Actor(WS, user_id, user_id), command="peer", text=text)
        return await self.core.handle_invocation(inv)

    async def press(self, user_id: str, value: str):
        return await self.core.handle_action(Action(actor=Actor(WS, user_id, user_id),
                                                    value=value))

    def prompts(self, user_id: str | None = None) -> list[tuple]:
        sql = "SELECT user_id, local_date, opened_at, slot FROM checkin_prompts"
        params: list = []
        if user_id:
            sql += " WHERE user_id = ?"
            params.append(user_id)
        return self.db.execute(sql + " ORDER BY id", params).fetchall()


def text_of(replies) -> str:
    return "\n".join(plain_text(r.message) for r in replies)


def answer_buttons(msg: Message) -> dict[tuple[str, str], str]:
    """(question, value) -> button value for a prompt message."""
    found = {}
    for block in msg.blocks:
        if isinstance(block, Buttons):
            for button in block.buttons:
                decoded = action_ids.decode(button.value)
                if decoded.name == "checkin.answer":
                    found[(decoded.args[1], decoded.args[2])] = button.value
    return found
