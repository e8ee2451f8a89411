"""The facade adapters call: an Invocation or Action in, Replies out.

Here the platform-neutral request is checked in order: workspace and member known,
command matched (or a helpful unknown-command reply), role allowed, gates passed
(consent), then the handler runs. Any unexpected error becomes a calm reply that says
nothing was changed; logs carry the command path and the error type, never the text a
member typed.
"""

from __future__ import annotations

import logging

from bot.core.context import AppContext
from bot.core.members import GroupChoiceError
from bot.core.model import Action, Actor, Message, Reply, Role, Section, reply
from bot.core.router import Request, Router, UsageError, call, refusal, tokenize

log = logging.getLogger("peerbot.core")


class Core:
    def __init__(self, ctx: AppContext, router: Router) -> None:
        self.ctx = ctx
        self.router = router
        self._synced: set[str] = set()

    # ---- workspace bootstrap ------------------------------------------------------

    def prepare_workspace(self, workspace_id: str) -> None:
        """Create the workspace and its configured groups the first time we meet it."""
        if workspace_id in self._synced:
            return
        bot = self.ctx.settings.bot
        members = self.ctx.members
        members.ensure_workspace(
            workspace_id,
            self.ctx.platform,
            timezone=bot.default_timezone,
            country=bot.default_country,
        )
        for group in self.ctx.settings.groups:
            members.ensure_group(workspace_id, group.name, group.channel)
        self._synced.add(workspace_id)

    def _enrol(self, actor: Actor) -> Request:
        self.prepare_workspace(actor.workspace_id)
        members = self.ctx.members
        ws, user = actor.workspace_id, actor.user_id
        member = members.ensure_member(actor)
        changed = False  # writes only when something differs: this runs on every event
        if member.undeliverable_reason:
            members.mark_undeliverable(ws, user, None)
            changed = True
        names = {user.lower(), (actor.display_name or "").lower()} - {""}
        if names & {a.lower() for a in self.ctx.settings.bot.admins} and member.role < Role.ADMIN:
            members.set_role(ws, user, Role.ADMIN)
            changed = True
        for group_cfg in self.ctx.settings.groups:
            if names & {f.lower() for f in group_cfg.facilitators}:
                group = members.group_by_name(ws, group_cfg.name)
                if group is not None and user not in members.facilitators(ws, group.id):
                    members.join_group(ws, group.id, user, facilitator=True)
        if changed:
            member = members.get(ws, user) or member
        return Request(ctx=self.ctx, actor=actor, member=member, role=members.role_of(actor))

    # ---- entry points ---------------------------------------------------------------

    async def handle_invocation(self, inv) -> list[Reply]:
        request = self._enrol(inv.actor)
        request.invocation = inv
        request.channel_id = inv.channel_id
        words = tokenize(inv.text)
        if inv.command == self.ctx.settings.bot.crisis_command:
            words = ["crisis", *words]
        group_tokens = [w for w in words if w.lower().startswith("group:")]
        if group_tokens:
            request.group_name = group_tokens[-1].split(":", 1)[1] or None
            words = [w for w in words if not w.lower().startswith("group:")]
        if not words:
            words = ["help"]
        spec, rest = self.router.match(words)
        if spec is None:
            return [self._unknown(words)]
        request.path, request.args = spec.path, rest
        if request.role < spec.role:
            log.info("refused %s for role %s", _loggable(spec.phrase), request.role.name)
            return [refusal(spec.role, self.ctx.command_name, spec.phrase)]
        return await self._run(spec.handler, request, spec.needs_consent, spec.usage, spec.phrase)

    async def handle_action(self, action: Action) -> list[Reply]:
        request = self._enrol(action.actor)
        request.action = action
        request.channel_id = action.channel_id
        spec, args = self.router.action_spec(action.value)
        if spec is None:
            log.info("unknown or malformed action id")
            return [reply(Section("That button is no longer valid. Nothing was changed."))]
        request.path, request.action_args = (spec.name,), args
        if request.role < spec.role:
            return [refusal(spec.role, self.ctx.command_name, spec.name)]
        return await self._run(spec.handler, request, spec.needs_consent, "", spec.name)

    async def home(self, actor: Actor) -> Message:
        """The member's home view, assembled from every topic's home section."""
        request = self._enrol(actor)
        blocks: list = []
        for section in self.router.home_sections:
            try:
                blocks.extend(section(request))
            except Exception:
                log.exception("home section failed")
        return Message(blocks=tuple(blocks), fallback="peerbot home")

    # ---- helpers ----------------------------------------------------------------------

    async def _run(
        self, handler, request: Request, needs_consent: bool, usage: str, name: str
    ) -> list[Reply]:
        for gate in self.router.gates:
            stop = gate(request, needs_consent)
            if stop is not None:
                return [stop]
        try:
            return await call(handler, request)
        except UsageError as exc:
            hint = f"\nUsage: `{self.ctx.slash(usage)}`" if usage else ""
            return [reply(Section(f"{exc}{hint}"))]
        except GroupChoiceError as exc:
            return [reply(Section(str(exc)))]
        except Exception as exc:
            log.error("command %s failed with %s", _loggable(name), type(exc).__name__)
            return [
                reply(
                    Section(
                        "Sorry, something went wrong on our side and nothing was changed. "
                        "Please try again in a moment."
                    )
                )
            ]

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


def _loggable(name: str) -> str:
    """Command names for logs; crisis requests are never logged, not even by name."""
    return "(a private command)" if name.split(" ")[0].startswith("crisis") else name
