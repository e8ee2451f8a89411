"""The one shared world: a workspace on a real SQLite file, a manual clock, the real core,
the real outbox and delivery, and the topic's real jobs on a clock-driven scheduler.

Two presets keep each topic's tests short: :meth:`World.checkins` (members in UTC, GB by
default, the check-in tick) and :meth:`World.pairing` (facilitator fran already in, the
demo time zones, the pairing jobs). Both use the group Circle, facilitated by fran.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core import action_ids
from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.context import AppContext
from bot.core.delivery import Deliverer
from bot.core.jobs import JobSpec
from bot.core.model import Action, Actor, Buttons, Invocation, Message, Reply, plain_text
from bot.runtime import assemble
from bot.store.db import open_database
from jobs.scheduler import ClockDrivenScheduler
from tests.support.messenger import RecordingMessenger

WS = "W"
MONDAY = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ZONES = {"alice": "Europe/London", "bob": "America/New_York", "carol": "Europe/Paris",
         "dan": "Europe/Dublin", "erin": "Europe/Berlin", "fran": "America/Toronto"}
JobFactory = Callable[[AppContext], list[JobSpec]]


class World:
    """One workspace with the group Circle (facilitator fran) and consenting members."""

    def __init__(self, tmp_path: Path, *, config: dict | None = None, start: datetime = MONDAY,
                 jobs: JobFactory | None = None, zones: dict[str, str] | None = None,
                 country: str | None = None) -> None:
        data = dict(config or {})
        data.setdefault("bot", {})["database"] = str(tmp_path / "peerbot.sqlite")
        data.setdefault("groups", [{"name": "Circle", "facilitators": ["fran"]}])
        self.settings = parse_config(data)
        self.clock = ManualClock(start)
        self.db = open_database(self.settings.bot.database)
        self.assembly = assemble(self.settings, self.db, self.clock, "console")
        self.ctx = self.assembly.ctx
        self.core = self.assembly.core
        self.core.prepare_workspace(WS)
        group = self.ctx.members.group_by_name(WS, "Circle")
        assert group is not None
        self.group = group
        self.zones = zones or {}
        self.country = country
        self.messenger = RecordingMessenger()
        self.deliverer = Deliverer(self.ctx.outbox, self.ctx.members, self.messenger, self.clock)
        self.scheduler = ClockDrivenScheduler(self.ctx, self.clock, jobs(self.ctx) if jobs else [])

    @classmethod
    def checkins(cls, tmp_path: Path, start: datetime = MONDAY,
                 config: dict | None = None) -> World:
        """Members default to UTC and GB; the check-in minute tick runs on ``wait``."""
        from bot.checkins.jobs import jobs

        return cls(tmp_path, config=config, start=start, jobs=jobs, country="GB")

    @classmethod
    def pairing(cls, tmp_path: Path, *, pairing: dict | None = None, start: datetime = MONDAY,
                pulse_k: int = 5) -> World:
        """fran is in already; members default to the demo zones; pairing jobs run."""
        from bot.pairing.jobs import jobs

        config = {"pulse": {"min_group_size": pulse_k},
                  "groups": [{"name": "Circle", "facilitators": ["fran"],
                              "pairing": dict(pairing or {})}]}
        world = cls(tmp_path, config=config, start=start, jobs=jobs, zones=ZONES)
        world.add("fran", facilitator=True)
        return world

    # ---- people --------------------------------------------------------------------

    def add(self, user_id: str, tz: str | None = None, *, country: str | None = None,
            specialty: str | None = None, facilitator: bool = False,
            consent: bool = True, agreed: bool = True) -> None:
        """A member of Circle (who agreed to the consent card unless ``consent=False``,
        and takes part in the group, as after agreeing to its agreement, unless
        ``agreed=False``)."""
        actor = Actor(WS, user_id, user_id)
        members = self.ctx.members
        members.ensure_member(actor)
        if consent:
            members.record_consent(actor)
        members.update_profile(WS, user_id, timezone=tz or self.zones.get(user_id, "UTC"),
                               country=country or self.country, specialty=specialty)
        members.join_group(WS, self.group.id, user_id, facilitator=facilitator)
        if agreed:
            members.set_hold(WS, self.group.id, user_id, None)

    async def join(self, *users: str) -> None:
        """Add each (if new) and opt them in to pairing."""
        for user in users:
            if self.ctx.members.get(WS, user) is None:
                self.add(user)
            await self.say(user, "pair join")

    # ---- acting --------------------------------------------------------------------

    async def command(self, user: str, text: str) -> list[Reply]:
        inv = Invocation(actor=Actor(WS, user, user), command="peer", text=text)
        return await self.core.handle_invocation(inv)

    async def say(self, user: str, text: str) -> str:
        return text_of(await self.command(user, text))

    async def press(self, user: str, value: str) -> list[Reply]:
        return await self.core.handle_action(Action(actor=Actor(WS, user, user), value=value))

    async def tap(self, user: str, value: str) -> str:
        return text_of(await self.press(user, value))

    async def answer(self, user: str, value: str) -> str:
        """Tap a check-in answer and deliver: the prompt as the member now sees it (edited
        in place through the outbox), then any reply of its own (the warm follow-up)."""
        replies = await self.press(user, value)
        await self.drain()
        prompt_id = action_ids.decode(value).args[0]
        row = self.db.execute("SELECT platform_ref FROM outbox WHERE round_key = ?",
                              [f"checkin.prompt:{prompt_id}"]).fetchone()
        shown = plain_text(self.messenger.current(row[0])) if row and row[0] else ""
        return "\n".join(t for t in (shown, text_of(replies)) if t)

    # ---- time and delivery ---------------------------------------------------------------

    async def drain(self) -> None:
        await self.deliverer.drain_once()

    async def wait(self, delta: timedelta) -> int:
        return await self.scheduler.advance(delta, after=self.drain)

    # ---- looking -------------------------------------------------------------------------

    def outbox(self, kind: str | None = None) -> list[tuple[str, str, str]]:
        """(target_key, kind, status) of every outbox row, oldest first."""
        sql = "SELECT target_key, kind, status FROM outbox"
        params: list = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        return [tuple(r) for r in self.db.execute(sql + " ORDER BY id", params).fetchall()]

    def prompts(self, user_id: str | None = None) -> list[tuple]:
        sql = "SELECT user_id, local_date, opened_at, slot FROM checkin_prompts"
        params: list = []
        if user_id:
            sql += " WHERE user_id = ?"
            params.append(user_id)
        return self.db.execute(sql + " ORDER BY id", params).fetchall()


def text_of(replies: list[Reply]) -> str:
    return "\n".join(plain_text(r.message) for r in replies)


def text(msg: Message) -> str:
    return plain_text(msg)


def buttons(msg: Message) -> dict[str, str]:
    """Label -> value of every button in a message."""
    return {b.label: b.value for block in msg.blocks if isinstance(block, Buttons)
            for b in block.buttons}


def answer_buttons(msg: Message) -> dict[tuple[str, str], str]:
    """(question, value) -> button value for a check-in prompt."""
    found = {}
    for block in msg.blocks:
        if isinstance(block, Buttons):
            for button in block.buttons:
                decoded = action_ids.decode(button.value)
                if decoded.name == "checkin.answer":
                    found[(decoded.args[1], decoded.args[2])] = button.value
    return found
