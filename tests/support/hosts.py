"""The smallest Hosts (bot.core.ports): no runtime, no database, no topic, no scheduler.

Adapter tests hand these to a real adapter to show that the protocol is all an adapter
needs. They define exactly the protocol's members (tests/core/test_host.py checks it)
and answer every request with an echo, so a test sees what the adapter handed over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.config import Settings
from bot.core.model import (
    Action,
    Actor,
    Form,
    Invocation,
    Message,
    Reply,
    Section,
    Target,
    message,
    reply,
)
from bot.core.ports import CommandShape, Messenger, PlatformLoop, Spelling


@dataclass(frozen=True)
class Shape:
    """A command as a platform sees it, without a handler or a router."""

    path: tuple[str, ...]
    summary: str
    usage: str
    form: Form | None = None

    @property
    def phrase(self) -> str:
        return " ".join(self.path)


HELLO = Shape(("hello",), "say hello", "hello [name]")


class EchoHost:
    """A Host with one command, ``hello``; every request is echoed back as a reply."""

    def __init__(self, settings: Settings, groups: tuple[str, ...] = ()) -> None:
        self.settings = settings
        self.groups = list(groups)
        self.seen: list[Invocation | Action] = []
        self.spelling: Spelling | None = None

    async def handle_invocation(self, invocation: Invocation) -> list[Reply]:
        self.seen.append(invocation)
        return [reply(Section(f"echo: {invocation.text}"))]

    async def handle_action(self, action: Action) -> list[Reply]:
        self.seen.append(action)
        return [reply(Section(f"pressed: {action.value}"))]

    async def home(self, actor: Actor, *, enrol: bool = True) -> Message:
        return message(Section(f"home of {actor.user_id}"))

    def command_specs(self) -> list[CommandShape]:
        return [HELLO]

    def group_names(self, workspace_id: str) -> list[str]:
        return list(self.groups)

    def set_spelling(self, spell: Spelling) -> None:
        self.spelling = spell

    def set_directory(self, directory: object) -> None:
        self.directory = directory

    async def serve(self, messenger: Messenger, run_platform: PlatformLoop) -> int:
        await run_platform()
        return 0


class EchoConsoleHost(EchoHost):
    """A ConsoleHost whose clock is a number of days and whose one "job" greets bob."""

    def __init__(self, settings: Settings, start: datetime) -> None:
        super().__init__(settings)
        self.clock = start
        self.outbox: list[tuple[Target, Message]] = []
        self.names = {"bob": "Bob B."}

    def now(self) -> datetime:
        return self.clock

    async def advance(self, delta: timedelta, messenger: Messenger) -> int:
        self.clock += delta
        self.outbox.append((Target(user_id="bob"), message(Section("a job ran"))))
        await self.deliver(messenger)
        return 1

    async def recover(self, messenger: Messenger) -> int:
        return 0

    async def deliver(self, messenger: Messenger) -> None:
        while self.outbox:
            target, msg = self.outbox.pop(0)
            await messenger.send("console", target, msg)

    def seed_demo(self, workspace_id: str) -> None:
        self.outbox.append((Target(user_id="bob"), message(Section(f"seeded {workspace_id}"))))

    def find_member(self, workspace_id: str, name: str) -> str | None:
        return name if name in self.names else None

    def display_name(self, workspace_id: str, user_id: str) -> str:
        return self.names.get(user_id, user_id)

    def local_now(self, workspace_id: str, user_id: str | None) -> str:
        return self.clock.strftime("%a %d %b %H:%M UTC")
