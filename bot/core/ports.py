"""Ports: what the core needs from the outside world, as Protocols.

Adapters implement :class:`Messenger`; the runtime injects a :class:`Clock` and the
:class:`CrisisCards`. The delivery errors are part of the contract so that one delivery
path can treat every platform alike: wait on a rate limit, stop on an undeliverable
user, stop a whole workspace on revoked credentials.

The other way round, the runtime hands each adapter a :class:`Host` (the console a
:class:`ConsoleHost`): everything an adapter may ask of the running bot. So adapters
import only the kernel, never the runtime, the scheduler or a topic, and the runtime
is the one module that knows both sides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.config import Settings
from bot.core.model import Action, Actor, Form, Invocation, Message, Reply, Target


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class DeliveryError(Exception):
    """Base of what a Messenger may raise; anything else counts as transient."""


class RateLimited(DeliveryError):
    """The platform said slow down; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float, detail: str = "rate limited") -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Undeliverable(DeliveryError):
    """This recipient cannot be reached (blocked DMs, deactivated, unknown). Don't retry."""


class WorkspaceUnavailable(DeliveryError):
    """Credentials revoked or workspace gone: stop sending to this workspace at all."""


class TransientDeliveryError(DeliveryError):
    """A network or server error: retry with backoff."""


class Messenger(Protocol):
    """Sends neutral messages on one platform. Implemented by each adapter.

    Optional, found by name (bot.core.delivery): ``edit(workspace_id, target, ref,
    message) -> ref`` shows ``message`` in place of the delivered message ``ref``;
    ``send_reply(workspace_id, target, message, ref) -> ref`` sends a new message that
    points at ``ref`` (a thread reply, a reply reference). Both raise the errors below.
    """

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        """Deliver ``message`` and return the platform's reference to it (for edits)."""
        ...


class CrisisCards(Protocol):
    """Crisis-line cards for a country (a code or alias; unknown gets the fallback card).

    The crisis topic implements it; the runtime builds it once and puts it on the
    context, so any topic can offer the lines (after a low check-in answer, say)
    without depending on how the directory is kept.
    """

    def card(
        self, country: str | None, *, command: str = "peer", audience: str | None = None
    ) -> Message:
        """The card a member asked for (counted, never stored); ``audience`` narrows it."""
        ...

    def colleague_card(self, country: str | None, *, command: str = "peer") -> Message:
        """What to do when worried about a colleague, with the country's card."""
        ...

    def home_card(self, country: str | None, *, command: str = "peer") -> Message:
        """The card on the member's home view (not a request, not counted)."""
        ...

    def resolve(self, code: str | None) -> str | None:
        """The directory's code for a code or alias (``england`` -> GB), else None."""
        ...


@dataclass(frozen=True)
class Person:
    """What a platform's directory says about someone (Slack's users.info)."""

    display_name: str = ""
    timezone: str = ""  # an IANA name as the platform gives it; checked before use


class Directory(Protocol):
    """Looks people up on the platform, for names and time zones the event lacks.

    An adapter that has one hands it over with :meth:`Host.set_directory`; it caches
    (with expiry) and answers quickly or with None, never raising for a missing person.
    """

    async def person(self, workspace_id: str, user_id: str) -> Person | None: ...


PlatformLoop = Callable[[], Awaitable[None]]
"""Serves one platform's events until shutdown (an adapter's ``run``)."""
Spelling = Callable[[str], str]
"""How a platform spells a core phrase: ``checkin pause 2w`` -> ``checkin pause span:2w``."""


class CommandShape(Protocol):
    """What a platform reads of a command to build its menus and docs (a CommandSpec)."""

    @property
    def path(self) -> tuple[str, ...]: ...

    @property
    def phrase(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def usage(self) -> str: ...

    @property
    def form(self) -> Form | None:
        """The form shown when the command is typed alone, where the platform has forms."""
        ...


def form_for(specs: Sequence[CommandShape], text: str) -> Form | None:
    """The form to show for ``text`` typed after the command, if it is a bare phrase
    that has one (``resources add``); None otherwise, so the command runs as typed."""
    typed = " ".join(text.lower().split())
    return next((s.form for s in specs if s.form is not None and s.phrase == typed), None)


class Host(Protocol):
    """The running bot as a platform adapter sees it; all an adapter is handed.

    The composition root implements it (``bot.runtime``). An adapter translates its
    platform's events into these calls and the replies back, and asks nothing else.
    """

    @property
    def settings(self) -> Settings:
        """The validated configuration (command names, platform sections)."""
        ...

    async def handle_invocation(self, invocation: Invocation) -> list[Reply]:
        """Run a slash command: one unit of work, replies in order."""
        ...

    async def handle_action(self, action: Action) -> list[Reply]:
        """Run a button press or menu choice."""
        ...

    async def home(self, actor: Actor, *, enrol: bool = True) -> Message:
        """The member's home view (Slack's Home tab). ``enrol=False`` (a refresh after
        a command, not the member opening it) never creates a member row: after an
        erasure the view says nothing is held, and nothing is stored again."""
        ...

    def command_specs(self) -> Sequence[CommandShape]:
        """Every visible command, for a platform's command tree and its docs."""
        ...

    def group_names(self, workspace_id: str) -> list[str]:
        """The workspace's peer-group names, for autocomplete (anyone may see them)."""
        ...

    def set_spelling(self, spell: Spelling) -> None:
        """Hints and help then spell phrases as people type them on this platform."""
        ...

    def set_directory(self, directory: Directory) -> None:
        """People's names and time zones are then looked up through ``directory``."""
        ...

    async def serve(self, messenger: Messenger, run_platform: PlatformLoop) -> int:
        """Recover the outbox, start the jobs, drain continuously, and run the platform
        until it returns (shutdown); the exit status."""
        ...


class ConsoleHost(Host, Protocol):
    """A Host for the local console: a manual clock, and the demo it starts with."""

    def now(self) -> datetime:
        """The workspace clock."""
        ...

    async def advance(self, delta: timedelta, messenger: Messenger) -> int:
        """Move the clock on by ``delta``, running each job as it falls due and
        delivering its messages to ``messenger``; how many job runs happened."""
        ...

    async def recover(self, messenger: Messenger) -> int:
        """Settle outbox rows a previous run left mid-send; how many there were."""
        ...

    async def deliver(self, messenger: Messenger) -> None:
        """Send everything due now through ``messenger``."""
        ...

    def seed_demo(self, workspace_id: str) -> None:
        """Create the demo group and its members once; again, it changes nothing."""
        ...

    def find_member(self, workspace_id: str, name: str) -> str | None:
        """The user id of the member with this id, name or mention, if known."""
        ...

    def display_name(self, workspace_id: str, user_id: str) -> str:
        """How to show a member (the user id when unknown)."""
        ...

    def local_now(self, workspace_id: str, user_id: str | None) -> str:
        """The workspace clock as this member reads it (None: the workspace's zone)."""
        ...
