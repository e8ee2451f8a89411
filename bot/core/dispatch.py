"""The facade adapters call: an Invocation or Action in, Replies out.

Each request is one unit of work: the member is enrolled, the command matched (or a
helpful unknown-command reply), the role checked, the gates passed (consent), and the
handler run, all inside one transaction that commits when the handler returns and rolls
back when it raises. So a :class:`~bot.core.errors.UserError` is answered with its own
message and nothing changed, and any other error becomes a calm reply that says nothing
was changed, which is then true. Logs carry the command path and the error type, never
the text a member typed.

Every unit runs on the commands :class:`~bot.core.offload.Lane` (its own thread and
connection), never on the event loop, so acknowledgements stay instant while a unit
computes or waits. A unit waits for a database locked by another process at most
``[bot] busy_reply_after_seconds`` from the request's arrival; then the member is told
it is busy (:data:`BUSY`), which is true: the unit never began.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from bot.core.confirming import guarded, is_answer, opened
from bot.core.context import AppContext
from bot.core.errors import FieldError, GroupChoiceError, UsageError, UserError
from bot.core.lifecycle import lane_context
from bot.core.limits import SLOW_DOWN, CommandLimiter
from bot.core.metrics import topic_of
from bot.core.model import (
    Action,
    Actor,
    Invocation,
    Message,
    Reply,
    Role,
    Section,
    message,
    reply,
    unmark,
)
from bot.core.offload import Lane
from bot.core.ports import Directory
from bot.core.prepare import prepare
from bot.core.router import ActionSpec, CommandSpec, Request, Router, call, refusal, tokenize
from bot.store.db import is_busy, unit_of_work, write_transaction

log = logging.getLogger("peerbot.core")

MAX_ID = 64  # platform ids are far shorter (Slack ~11, Discord snowflakes 17-20)
UNIDENTIFIED = "I couldn't tell who sent that, so nothing was done."
REPLAYED = "That request was already handled, so nothing was done again."
SORRY = ("Sorry, something went wrong on our side and nothing was changed. "
         "Please try again in a moment.")
NOTHING_HELD = "peerbot holds nothing about you in this workspace."
BUSY = ("peerbot is busy right now (its database is in use), so nothing was changed yet. "
        "Please try again in a minute; nothing was lost.")


class Core:
    def __init__(self, ctx: AppContext, router: Router, *, lane: Lane | None = None) -> None:
        self.ctx = ctx
        self.router = router
        self.lane = lane or Lane("commands")
        self._prepared: set[str] = set()
        limits = ctx.settings.limits
        self.limiter = CommandLimiter(ctx.clock, limits.command_burst, limits.command_rate)
        # What the platform knows about people (names, time zones): set by an adapter
        # that has a directory (Slack's users.info), through the Host.
        self.directory: Directory | None = None
        self._slow: Core | None = None

    def close(self) -> None:
        """Finish queued requests and end the commands thread (and the slow one)."""
        self.lane.close()
        if self._slow is not None:
            self._slow.close()
            if self._slow.ctx.db is not self.ctx.db:
                self._slow.ctx.db.close()

    def slow(self) -> Core:
        """Where slow commands (a spec with ``prepare``) run: a lane and a connection of
        their own, so a facilitator's 20,000-member round queues no one else's command."""
        if self._slow is None:
            self._slow = Core(lane_context(self.ctx), self.router, lane=Lane("slow"))
        return self._slow

    # ---- workspace bootstrap ------------------------------------------------------

    def prepare_workspace(self, workspace_id: str) -> None:
        """Create the workspace and its configured groups the first time we meet it
        (for callers outside a request: the console's demo, Discord's autocomplete)."""
        hooks: list[Callable[[], None]] = []
        with write_transaction(self.ctx.db):
            self._ensure_workspace(workspace_id, hooks)
        if not self.ctx.db.conn.in_transaction:  # committed, not a savepoint in another's
            for hook in hooks:
                hook()

    def _ensure_workspace(self, workspace_id: str, hooks: list[Callable[[], None]]) -> None:
        """Inside a unit of work; remembered only once that unit commits, so a request
        that rolls back never leaves a workspace we believe exists but does not."""
        if workspace_id in self._prepared:
            return
        bot = self.ctx.settings.bot
        members = self.ctx.members
        members.ensure_workspace(workspace_id, self.ctx.platform,
                                 timezone=bot.default_timezone, country=bot.default_country)
        for group in self.ctx.settings.groups:
            members.ensure_group(workspace_id, group.name, group.channel)
        hooks.append(lambda: self._prepared.add(workspace_id))

    def _enrol(self, actor: Actor, hooks: list[Callable[[], None]]) -> Request:
        self._ensure_workspace(actor.workspace_id, hooks)
        members = self.ctx.members
        ws, user = actor.workspace_id, actor.user_id
        member = members.ensure_member(actor)
        changed = False  # writes only when something differs: this runs on every event
        if member.undeliverable_reason:
            members.mark_undeliverable(ws, user, None)
            changed = True
        # Rights come from the platform's user id only. A display name, nickname or
        # username is chosen by its owner (a Discord nickname can be set to the admin's
        # id), so it never grants anything. The console uses names as ids, in its adapter.
        me = user.lower()
        if me in {a.lower() for a in self.ctx.settings.bot.admins} and member.role < Role.ADMIN:
            members.set_role(ws, user, Role.ADMIN)
            changed = True
        for group_cfg in self.ctx.settings.groups:
            if me in {f.lower() for f in group_cfg.facilitators}:
                group = members.group_by_name(ws, group_cfg.name)
                if group is not None and user not in members.facilitators(ws, group.id):
                    members.join_group(ws, group.id, user, facilitator=True)
        if changed:
            member = members.get(ws, user) or member
        return Request(ctx=self.ctx, router=self.router, actor=actor, member=member,
                       role=members.role_of(actor), after_commit_hooks=hooks,
                       rerun=self._rerun(hooks))

    # ---- entry points ---------------------------------------------------------------

    async def handle_invocation(self, inv: Invocation) -> list[Reply]:
        if not _identified(inv.actor):
            return [reply(Section(UNIDENTIFIED))]
        inv = replace(inv, text=unmark(inv.text))
        words, group_name = self._words(inv)
        # Crisis lines are never rate-limited: someone in distress may ask again and again.
        crisis = bool(words) and words[0].lower() == "crisis"
        if not crisis and not self.limiter.allow(inv.actor.workspace_id, inv.actor.user_id):
            return [reply(Section(SLOW_DOWN))]
        inv = replace(inv, actor=_clean(await self._known(inv.actor)))
        spec, rest = self.router.match(words)
        core = self.slow() if spec is not None and spec.prepare is not None else self
        return await core._command(inv, spec, rest, words, group_name)

    async def _command(self, inv: Invocation, spec: CommandSpec | None, rest: list[str],
                       words: list[str], group_name: str | None) -> list[Reply]:
        hooks: list[Callable[[], None]] = []
        prepared = None
        if spec is not None and spec.prepare is not None:
            prepared = await self.lane.run(prepare, self.ctx, self.router, spec, inv.actor, dict(
                path=spec.path, args=rest, group_name=group_name, channel_id=inv.channel_id,
                invocation=inv))

        def work() -> list[Reply]:
            request = self._enrol(inv.actor, hooks)
            if self._replayed(inv.actor, inv.request_id):
                return [reply(Section(REPLAYED))]
            request.prepared = prepared
            return self._invoke(request, inv, words, group_name)

        name = loggable(spec.phrase) if spec else "(unknown command)"
        topic = topic_of(spec.handler) if spec else "unknown"
        return await self._run(work, hooks, name, spec.usage if spec else "", (topic, "command"))

    def _words(self, inv: Invocation) -> tuple[list[str], str | None]:
        """The command's words (crisis command spelled out, ``group:`` lifted) and group."""
        words = tokenize(inv.text)
        if inv.command == self.ctx.settings.bot.crisis_command:
            words = ["crisis", *words]
        group_name = None
        group_tokens = [w for w in words if w.lower().startswith("group:")]
        if group_tokens:
            group_name = group_tokens[-1].split(":", 1)[1] or None
            words = [w for w in words if not w.lower().startswith("group:")]
        return words or ["help"], group_name

    def _invoke(self, request: Request, inv: Invocation, words: list[str],
                group_name: str | None) -> list[Reply]:
        """Match, check the role, pass the gates and run the handler: inside a unit."""
        spec, rest = self.router.match(words)
        request.invocation, request.channel_id = inv, inv.channel_id
        request.group_name = group_name
        if spec is None:
            return [self._unknown(words)]
        request.path, request.args = spec.path, rest
        if request.role < spec.role:
            log.info("refused %s for role %s", loggable(spec.phrase), request.role.name)
            return [refusal(spec.role, self.ctx.command_name, spec.phrase)]
        return self._gated(spec, request)

    def _rerun(self, hooks: list[Callable[[], None]]) -> Callable[[Invocation], list[Reply]]:
        """What ``request.rerun`` does: run a stored command inside the current unit of
        work, as its member now is (after "Agree", consent is recorded in this unit)."""

        def rerun(inv: Invocation) -> list[Reply]:
            words, group_name = self._words(inv)
            return self._invoke(self._enrol(inv.actor, hooks), inv, words, group_name)

        return rerun

    async def _known(self, actor: Actor) -> Actor:
        """The actor with what the platform's directory knows (a display name, the time
        zone of their profile), where the adapter offers one; as given otherwise."""
        if self.directory is None:
            return actor
        try:
            person = await self.directory.person(actor.workspace_id, actor.user_id)
        except Exception as exc:  # a directory is a nicety: never a reason to fail
            log.info("directory lookup failed: %s", type(exc).__name__)
            return actor
        if person is None:
            return actor
        return replace(actor, display_name=person.display_name or actor.display_name,
                       timezone=person.timezone or actor.timezone)

    async def handle_action(self, action: Action) -> list[Reply]:
        if not _identified(action.actor):
            return [reply(Section(UNIDENTIFIED))]
        if not self.limiter.allow(action.actor.workspace_id, action.actor.user_id):
            return [reply(Section(SLOW_DOWN))]
        action = replace(action, actor=_clean(await self._known(action.actor)))
        if is_answer(action.value):  # "Are you sure?" answered (bot.core.confirming)
            answer = opened(self.ctx, action)
            if isinstance(answer, Reply):
                return [answer]
            action = answer
        spec, args = self.router.action_spec(action.value)
        slow = spec is not None and spec.prepare is not None and not action.ask
        return await (self.slow() if slow else self)._act(action, spec, args)

    async def _act(self, action: Action, spec: ActionSpec | None,
                   args: tuple[str, ...]) -> list[Reply]:
        hooks: list[Callable[[], None]] = []
        prepared = None
        if spec is not None and spec.prepare is not None and not action.ask:
            prepared = await self.lane.run(prepare, self.ctx, self.router, spec, action.actor, dict(
                path=(spec.name,), action_args=args, channel_id=action.channel_id,
                action=action))

        def work() -> list[Reply]:
            request = self._enrol(action.actor, hooks)
            if self._replayed(action.actor, action.request_id):
                return [reply(Section(REPLAYED))]
            request.action, request.channel_id = action, action.channel_id
            request.prepared = prepared
            if spec is None:
                log.info("unknown or malformed action id")
                return [reply(Section("That button is no longer valid. Nothing was changed."))]
            request.path, request.action_args = (spec.name,), args
            if request.role < spec.role:
                return [refusal(spec.role, self.ctx.command_name, spec.name)]
            return guarded(self.ctx, action, spec, request,
                           lambda handler: self._gated(spec, request, handler))

        topic = topic_of(spec.handler) if spec else "unknown"
        return await self._run(work, hooks, spec.name if spec else "(unknown button)", "",
                               (topic, "button"))

    async def home(self, actor: Actor, *, enrol: bool = True) -> Message:
        """The member's home view, assembled from every topic's home section; without
        ``enrol``, someone with no member row (erased) gets :data:`NOTHING_HELD`."""
        blocks: list = []
        hooks: list[Callable[[], None]] = []
        if not _identified(actor):
            return Message(blocks=(Section(UNIDENTIFIED),), fallback=UNIDENTIFIED)
        actor = _clean(actor)

        def work() -> list[Reply]:
            if not enrol and self.ctx.members.get(actor.workspace_id, actor.user_id) is None:
                blocks.append(Section(NOTHING_HELD))
                return []
            request = self._enrol(actor, hooks)
            for section in self.router.home_sections:
                try:
                    blocks.extend(section(request))
                except Exception:
                    log.exception("home section failed")
            return []

        await self._run(work, hooks, "home", "")
        return Message(blocks=tuple(blocks), fallback="peerbot home")

    # ---- helpers ----------------------------------------------------------------------

    def _replayed(self, actor: Actor, request_id: str | None) -> bool:
        """A platform request seen before (a replayed signed request, an interaction
        delivered twice): claimed in this unit, so a request that failed can be retried."""
        if not request_id:
            return False
        return not self.ctx.receipts.claim(actor.workspace_id, "request", request_id)

    def _gated(self, spec: CommandSpec | ActionSpec, request: Request,
               handler: Callable[[Request], object] | None = None) -> list[Reply]:
        for gate in self.router.gates:
            stop = gate(request, spec.needs_consent)
            if stop is not None:
                return [stop]
        return call(handler or spec.handler, request)

    async def _run(self, work: Callable[[], list[Reply]], hooks: list[Callable[[], None]],
                   name: str, usage: str, counted: tuple[str, str] | None = None) -> list[Reply]:
        """Queue the unit on the commands lane; its lock wait counts from now."""
        deadline = time.monotonic() + self.ctx.settings.bot.busy_reply_after_seconds
        return await self.lane.run(self._unit, work, hooks, name, usage, deadline, counted)

    def _unit(self, work: Callable[[], list[Reply]], hooks: list[Callable[[], None]],
              name: str, usage: str, deadline: float | None = None,
              counted: tuple[str, str] | None = None) -> list[Reply]:
        """Run ``work`` as one unit of work and answer every way it can end.

        ``counted`` is (topic, kind) for ``peerbot_commands_total``: fixed names only.
        """
        wait = None if deadline is None else max(deadline - time.monotonic(), 0.0)

        def count(outcome: str) -> None:
            if counted is not None:
                self.ctx.metrics.command(counted[0], counted[1], outcome)

        try:
            with unit_of_work(self.ctx.db, wait=wait, urgent=True):  # before background
                replies = work()
        except UsageError as exc:
            count("user_error")
            hint = f"\nUsage: `{self.ctx.slash(usage)}`" if usage else ""
            return [Reply(message(Section(f"{exc}{hint}")), error_field=_field_of(exc))]
        except UserError as exc:
            count("user_error")
            return [Reply(message(Section(str(exc))), error_field=_field_of(exc))]
        except Exception as exc:
            if is_busy(exc):
                count("busy")
                log.warning("command %s not run: the database stayed locked", name)
                return [reply(Section(BUSY))]
            count("error")
            log.error("command %s failed with %s", name, type(exc).__name__)
            log.debug("traceback for command %s", name, exc_info=True)
            return [reply(Section(SORRY))]
        count("ok")
        for hook in hooks:
            try:
                hook()
            except Exception as exc:  # the change is committed; the reply still holds
                log.error("after-commit step of %s failed with %s", name, type(exc).__name__)
        return replies

    def _unknown(self, words: list[str]) -> Reply:
        near = self.router.suggestions(words)
        typed = " ".join(words[:3])
        if near:
            options = " or ".join(f"`{self.ctx.slash(p)}`" for p in near)
            text = f"I don't know `{self.ctx.slash(typed)}`. Did you mean {options}?"
        else:
            text = f"I don't know `{self.ctx.slash(typed)}`."
        text += f" `{self.ctx.slash('help')}` lists everything."
        return reply(Section(text))


def _field_of(exc: UserError) -> str:
    """The form field a refusal concerns: a FieldError names it; a group that cannot be
    told is the ``group`` field's; anything else concerns no one field ("")."""
    if isinstance(exc, FieldError):
        return exc.field
    return "group" if isinstance(exc, GroupChoiceError) else ""


def _identified(actor: Actor) -> bool:
    """A request must name its workspace and person; a malformed payload that names
    neither (or something no platform would) is answered without touching the store."""
    return all(
        0 < len(value) <= MAX_ID and value.isprintable() and value == value.strip()
        for value in (actor.workspace_id, actor.user_id)
    )


def _clean(actor: Actor) -> Actor:
    """The actor as the platform named them, minus anything posing as a core mention."""
    name = unmark(actor.display_name or "")
    return actor if name == actor.display_name else replace(actor, display_name=name)


def loggable(name: str) -> str:
    """Command names for logs; crisis requests are never logged, not even by name."""
    return "(a private command)" if name.split(" ")[0].startswith("crisis") else name
