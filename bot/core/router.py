"""The `/peer ...` grammar and every topic's registrations, in one registry.

How a topic registers, from its package's ``__init__`` (see bot/checkins/__init__.py)::

    def register(router: Router) -> None:
        router.command("checkin history", history, summary="...", usage="checkin history")
        router.command("pair round", run_round, role=Role.FACILITATOR, summary="...")
        router.action("checkin.answer", on_answer)
        router.owns_data("checkins", export_checkins, erase_checkins)
        router.home_section(home_blocks)
        router.gate(consent_gate)
        router.jobs(checkin_jobs)

A command path is matched on the longest run of leading words; the remaining words
are ``request.args``. A ``group:<name>`` token anywhere is lifted into
``request.group_name``. Handlers are plain functions (not coroutines): each runs as one
unit of work that the dispatcher commits, or rolls back when it raises. They return a
Reply, a list of Replies, or None, and raise a :class:`~bot.core.errors.UserError` for
input they cannot use (a :class:`~bot.core.errors.UsageError` adds the usage line).
Roles are checked before the handler runs, so a refused command changes nothing.
"""

from __future__ import annotations

import difflib
import inspect
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.errors import NotAllowed
from bot.core.jobs import JobFactory
from bot.core.members import Group, Member
from bot.core.model import Action, Actor, Confirm, Form, Invocation, Reply, Role, Section, reply

HandlerResult = Reply | list[Reply] | None
Handler = Callable[["Request"], HandlerResult]
Prepare = Callable[["Request"], Any]
ConfirmFn = Callable[["Request"], Confirm | None]  # "Are you sure?" for this press, or None
Gate = Callable[["Request", bool], Reply | None]
HomeSection = Callable[["Request"], list[Any]]
WelcomeLine = Callable[["Request"], str | None]
ExportFn = Callable[[Any, str, str], dict[str, Any]]
EraseFn = Callable[[Any, str, str], int]


ExpireFn = Callable[["AppContext", datetime], dict[str, int]]
FarewellFn = Callable[[Any, Any, str, str], None]  # (db, clock, workspace_id, user_id)


@dataclass(frozen=True)
class ProfileExtra:
    """A fact another topic keeps that `/peer profile` shows and sets (the career stage).

    ``show(request)`` is the value as shown; ``set(request, words)`` stores what the
    member typed after ``word`` and returns it as shown, or raises a UserError.
    """

    word: str
    label: str
    show: Callable[[Request], str]
    set: Callable[[Request, list[str]], str]
    example: str


@dataclass(frozen=True)
class DataOwner:
    """A topic's promise about personal data: how to export, erase and expire it.

    ``export(db, workspace_id, user_id)`` returns JSON-ready data; ``erase(db,
    workspace_id, user_id)`` deletes it and returns the number of rows removed;
    ``expire(ctx, cutoff)``, where given, deletes (or aggregates k-anonymously) what is
    older than the retention cutoff and returns counts by kind (it gets the context
    because what it keeps may depend on the settings, such as the pulse's k). All three
    run inside the caller's unit of work. `/peer export` and `/peer forget-me` call every owner; the
    daily retention job calls every ``expire``. ``farewell(db, clock, workspace_id,
    user_id)``, where given, runs first in an erasure: it queues the kind word owed to
    someone whose shared arrangement ends with it (never naming the erased member).
    """

    topic: str
    export: ExportFn
    erase: EraseFn
    expire: ExpireFn | None = None
    farewell: FarewellFn | None = None


@dataclass
class Request:
    """Everything a handler needs about one invocation or action."""

    ctx: AppContext
    router: Router
    actor: Actor
    member: Member
    role: Role
    path: tuple[str, ...] = ()
    args: list[str] = field(default_factory=list)
    group_name: str | None = None
    channel_id: str | None = None
    invocation: Invocation | None = None
    action: Action | None = None
    action_args: tuple[str, ...] = ()
    after_commit_hooks: list[Callable[[], None]] = field(default_factory=list)
    prepared: Any = None  # what the spec's ``prepare`` computed before the unit of work
    # Runs another command in this same unit of work (the dispatcher sets it): "Agree"
    # uses it to run the command the consent card interrupted.
    rerun: Callable[[Invocation], list[Reply]] | None = None

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once this request's writes are committed (never on rollback).

        For work that cannot happen inside a transaction, such as emptying the
        write-ahead log after an erasure.
        """
        self.after_commit_hooks.append(hook)

    @property
    def workspace_id(self) -> str:
        return self.actor.workspace_id

    @property
    def user_id(self) -> str:
        return self.actor.user_id

    @property
    def zone(self) -> str:
        """The member's own time zone (the workspace's default until they set one)."""
        return self.ctx.members.local_timezone(self.member)

    def local_time(self, at: datetime) -> str:
        """An instant as this member reads it: ``Mon 05 Jan 10:00 EST``, in their zone."""
        return self.ctx.local_time(at, self.zone)

    def group(self, name: str | None = None) -> Group:
        """The group this request is about: ``name`` (else ``group:<name>``), else the
        channel's, else the member's only one. A GroupChoiceError says what to add."""
        return self.ctx.members.resolve_group(self.workspace_id, self.user_id,
                                              self.channel_id, name or self.group_name)

    def facilitated_group(self, group: Group | None = None) -> Group:
        """``group`` (a button names it), else :meth:`group`, when the person may run
        facilitator commands for it.

        The router's role check lets in a facilitator of *any* group; this is the check
        that they facilitate *this* one. Raises NotAllowed, so nothing is changed.
        """
        group = group or self.group()
        if not self.ctx.members.facilitates(self.actor, group.id):
            what = (f"`{self.ctx.slash(' '.join(self.path))}`" if self.action is None
                    else "that button")
            raise NotAllowed(refusal_text(Role.FACILITATOR, what, f"*{group.name}*"))
        return group


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]
    handler: Handler
    role: Role
    summary: str
    usage: str
    needs_consent: bool
    hidden: bool = False
    form: Form | None = None
    prepare: Prepare | None = None  # slow work before the unit: see Router.command

    @property
    def phrase(self) -> str:
        return " ".join(self.path)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    handler: Handler
    role: Role
    needs_consent: bool
    prepare: Prepare | None = None
    confirm: ConfirmFn | None = None


ROLE_NAMES = {Role.MEMBER: "member", Role.FACILITATOR: "facilitator", Role.ADMIN: "admin"}


def tokenize(text: str) -> list[str]:
    """Split like a shell (quotes group words) but never fail on a stray quote."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


class Router:
    def __init__(self) -> None:
        self._commands: dict[tuple[str, ...], CommandSpec] = {}
        self._actions: dict[str, ActionSpec] = {}
        self.gates: list[Gate] = []
        self.home_sections: list[HomeSection] = []
        self.welcome_lines: list[tuple[int, WelcomeLine]] = []
        self.profile_extras: list[ProfileExtra] = []
        self.data_owners: list[DataOwner] = []
        self.job_factories: list[JobFactory] = []

    def jobs(self, factory: JobFactory) -> None:
        """Contribute scheduled jobs: ``factory(ctx)`` returns the topic's JobSpecs.

        A factory, not a list, because schedules depend on the config (one round job
        per scheduled group) and jobs may keep per-run state (see checkins.jobs).
        """
        self.job_factories.append(factory)

    def owns_data(self, topic: str, export: ExportFn, erase: EraseFn,
                  expire: ExpireFn | None = None, farewell: FarewellFn | None = None) -> None:
        """Declare the tables a topic keeps about members (see :class:`DataOwner`)."""
        self.data_owners.append(DataOwner(topic, export, erase, expire, farewell))

    def gate(self, gate: Gate) -> None:
        """Run ``gate(request, needs_consent)`` before every handler; a Reply stops it.

        The privacy topic uses this for the consent card; gates see the request after
        the role check, so they never reveal anything to someone without access.
        """
        self.gates.append(gate)

    def profile_extra(self, extra: ProfileExtra) -> None:
        """Show (and set) one more fact in `/peer profile` (see :class:`ProfileExtra`)."""
        self.profile_extras.append(extra)

    def home_section(self, section: HomeSection) -> None:
        """Contribute blocks to the member's home view (Slack App Home, `/peer home`)."""
        self.home_sections.append(section)

    def welcome(self, line: WelcomeLine, *, order: int = 50) -> None:
        """Contribute to "What happens next" on the welcome a new member sees first:
        ``line(request)`` returns a sentence (in the member's zone), or None to say
        nothing; lower ``order`` first. Check-ins say when the first prompt comes (10),
        pairing how pairing works (20)."""
        self.welcome_lines.append((order, line))

    # ---- registration -------------------------------------------------------------

    def command(
        self,
        phrase: str,
        handler: Handler,
        *,
        role: Role = Role.MEMBER,
        summary: str = "",
        usage: str = "",
        needs_consent: bool = True,
        hidden: bool = False,
        form: Form | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        """Register a command; with a ``form``, platforms that have forms show it when
        the command is typed with nothing after it (see :class:`~bot.core.model.Form`).

        With ``prepare`` the command is slow (a facilitator's pairing round): it runs on
        a lane of its own, so other members' commands are not queued behind it, and
        ``prepare(request)`` runs first, outside any transaction (reads only, no write
        lock held), its result handed to the handler as ``request.prepared``; the handler
        checks it still applies inside its unit of work."""
        path = tuple(phrase.split())
        _check_plain_function(handler, phrase)
        if path in self._commands:
            raise ValueError(f"command registered twice: {phrase!r}")
        self._commands[path] = CommandSpec(
            path, handler, role, summary, usage or phrase, needs_consent, hidden, form, prepare
        )

    def action(
        self, name: str, handler: Handler, *, role: Role = Role.MEMBER, needs_consent: bool = True,
        prepare: Prepare | None = None, confirm: ConfirmFn | None = None,
    ) -> None:
        """Register a button; ``prepare`` as for :meth:`command`; ``confirm`` gives the
        question a platform without a dialog asks first (bot.core.confirming): the same
        Confirm the topic puts on the button, or None when this press needs none."""
        _check_plain_function(handler, name)
        if name in self._actions:
            raise ValueError(f"action registered twice: {name!r}")
        self._actions[name] = ActionSpec(name, handler, role, needs_consent, prepare, confirm)

    def commands(self, *, up_to: Role = Role.ADMIN) -> list[CommandSpec]:
        specs = [s for s in self._commands.values() if s.role <= up_to and not s.hidden]
        return sorted(specs, key=lambda s: (s.role, s.path))

    def spec(self, phrase: str) -> CommandSpec | None:
        return self._commands.get(tuple(phrase.split()))

    # ---- matching -----------------------------------------------------------------

    def match(self, words: list[str]) -> tuple[CommandSpec | None, list[str]]:
        lowered = [w.lower() for w in words]
        for n in range(min(len(words), 4), -1, -1):
            spec = self._commands.get(tuple(lowered[:n]))
            if spec is not None:
                return spec, words[n:]
        return None, words

    def suggestions(self, words: list[str], limit: int = 3) -> list[str]:
        """The valid phrases nearest to what was typed, for the unknown-command reply."""
        phrases = [s.phrase for s in self._commands.values() if s.path and not s.hidden]
        typed = " ".join(w.lower() for w in words[:3])
        near: list[str] = []
        for n in (3, 2, 1):
            candidate = " ".join(w.lower() for w in words[:n])
            for p in difflib.get_close_matches(candidate, phrases, n=limit, cutoff=0.6):
                if p not in near:
                    near.append(p)
        if not near and words:
            first = difflib.get_close_matches(words[0].lower(), {p.split()[0] for p in phrases})
            near = sorted({p for p in phrases if p.split()[0] in first})[:limit]
        if not near:
            near = sorted(p for p in phrases if p.startswith(typed.split(" ")[0]))[:limit]
        return near[:limit]

    def action_spec(self, value: str) -> tuple[ActionSpec | None, tuple[str, ...]]:
        try:
            decoded = action_ids.decode(value)
        except action_ids.ActionIdError:
            return None, ()
        return self._actions.get(decoded.name), decoded.args


def _check_plain_function(handler: Handler, name: str) -> None:
    """Handlers run inside one database transaction, so they must not await anything.

    An await would let another coroutine (the delivery loop, another command) commit
    or roll back this handler's half-done writes on the shared connection.
    """
    if inspect.iscoroutinefunction(handler):
        raise TypeError(f"handler for {name!r} must be a plain function, not a coroutine")


def call(handler: Handler, request: Request) -> list[Reply]:
    """Run a handler and normalise its result to a list of replies."""
    result: Any = handler(request)
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    return list(result)


def refusal_text(role: Role, what: str, where: str = "this group") -> str:
    """One wording for every refusal: what was refused, who may, and that nothing changed."""
    return (f"Sorry, {what} is for {ROLE_NAMES[role]}s of {where}. Nothing was changed. "
            "If you think you should have access, ask a facilitator.")


def refusal(spec_role: Role, command_name: str, phrase: str) -> Reply:
    return reply(Section(refusal_text(spec_role, f"`/{command_name} {phrase}`")))
