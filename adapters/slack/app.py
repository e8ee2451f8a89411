"""The Slack adapter: a slack-bolt AsyncApp that translates Slack requests for the core.

Every listener acknowledges first and does the work in a task the adapter tracks, so
Slack always gets its answer within 3 seconds and tests (and shutdown) can wait for
the work with :meth:`SlackAdapter.idle`. Replies to a slash command or a button go
through the request's ``response_url`` (ephemeral for private replies, in channel
otherwise); replies to something without one (the Home tab, a modal) go to the
member's DM. A request Slack redelivers (``X-Slack-Retry-Num``) is acknowledged and
not run again. Logs name the kind of request and the error type only: never what a
member typed, and never a crisis request.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import forms, inbound, modals
from adapters.slack.directory import SlackDirectory
from adapters.slack.door import Door
from adapters.slack.home import HomeTab
from adapters.slack.messenger import (
    SlackMessenger,
    build_client,
    build_outbox_client,
    outbox_session,
    webhook_retry_handlers,
)
from adapters.slack.render import render
from adapters.slack.roles import FacilitatorRoles
from adapters.slack.serving import Serving
from bot.core.config import Secrets
from bot.core.model import (
    FORM_BUTTON,
    Actor,
    Form,
    Invocation,
    Reply,
    Visibility,
    form_text,
)
from bot.core.ports import DeliveryError, Host, form_for
from bot.core.urgent import dm_reply

log = logging.getLogger("peerbot.slack")
SEEN_EVENTS = 2000  # event ids remembered to recognise Slack's redeliveries
FORM_WAIT = 2.0  # seconds a form's command may take before Slack's 3 s answer is due


class SlackAdapter(Serving, HomeTab):
    """One Slack workspace: the bolt app, its Web API client and the outbox Messenger.

    ``host`` is the running bot (:class:`~bot.core.ports.Host`): the adapter turns
    Slack requests into its calls and its replies into Slack messages.
    """

    def __init__(
        self,
        host: Host,
        secrets: Secrets,
        *,
        client: AsyncWebClient | None = None,
    ) -> None:
        self.host = host
        self.settings = host.settings
        slack = self.settings.slack
        self.secrets = secrets
        self.client = client or build_client(secrets.slack_bot_token, slack.api_base_url)
        # The outbox's own client retries nothing on 429 (the limiter must see them all).
        outbox_client = client if client is not None else build_outbox_client(
            secrets.slack_bot_token, slack.api_base_url, _keep_alive_session())
        self.messenger = SlackMessenger(outbox_client)
        self.roles = FacilitatorRoles(
            self.client, slack.facilitator_user_ids, slack.facilitator_usergroup
        )
        # Names and time zones from users.info, cached; the core asks through the Host.
        self.directory = SlackDirectory(self.client)
        host.set_directory(self.directory)
        self.door = Door(secrets.slack_signing_secret, team_ids=tuple(slack.team_ids))
        self.app = AsyncApp(
            client=self.client,
            signing_secret=secrets.slack_signing_secret,
            process_before_response=True,
            logger=logging.getLogger("peerbot.slack.bolt"),
            # bolt's own check logs the whole body of a refused request at INFO; the
            # door's check (first middleware below) logs counts only.
            request_verification_enabled=False,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen_events: dict[str, None] = {}
        self._homes: dict[tuple[str, str], str] = {}  # (adapters.slack.home)
        self._runner: web.AppRunner | None = None
        self._register()

    # ---- wiring -------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.middleware(self.door.middleware)
        app.middleware(self._skip_redelivery)
        bot = self.settings.bot
        for name in dict.fromkeys((bot.command_name, bot.crisis_command)):
            app.command(f"/{name}")(self._on_command)
        app.action(re.compile(".*"))(self._on_action)
        app.view(modals.PROFILE)(self._on_profile_submitted)
        app.view(modals.CONFLICTS)(self._on_conflicts_submitted)
        app.view(forms.CALLBACK)(self._on_form_submitted)
        app.event("app_home_opened")(self._on_home_opened)
        app.event("user_change")(self._on_user_change)
        app.error(self._on_error)

    async def _skip_redelivery(self, req, resp, next_) -> BoltResponse | None:
        """While peerbot stops, refuse new work with 503 (Slack shows the member an error
        rather than silence after an ack whose work would never run).

        Slack resends an event it thinks timed out: run each event id at most once.

        A redelivery (``X-Slack-Retry-Num``) of an event seen before is acknowledged and
        not run again; one whose first delivery never arrived runs, once. Requests other
        than events are never retried by Slack, so a retry header there is acknowledged.
        """
        if getattr(self.host, "stopping", False):
            return BoltResponse(status=503, body="peerbot is restarting; try again shortly")
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if not isinstance(event_id, str):
            event_id = None
        seen = event_id is not None and event_id in self._seen_events
        if event_id is not None:
            self._seen_events[event_id] = None
            while len(self._seen_events) > SEEN_EVENTS:
                self._seen_events.pop(next(iter(self._seen_events)))
        if req.headers.get("x-slack-retry-num") and (seen or event_id is None):
            log.info("acknowledged a redelivered Slack request without running it again")
            return BoltResponse(status=200, body="")
        await next_()
        return None

    def _spawn(self, work: Awaitable[None], kind: str) -> None:
        async def guarded() -> None:
            try:
                await work
            except DeliveryError as exc:  # Slack refused the answer (a person, not a bug)
                log.warning("Slack %s answered nobody: %s", kind, type(exc).__name__)
            except Exception as exc:
                log.error("Slack %s failed: %s", kind, type(exc).__name__)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every piece of work started by a request has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _on_error(self, error: Exception) -> None:
        log.error("Slack request failed: %s", type(error).__name__)

    # ---- listeners ------------------------------------------------------------------

    async def _on_command(self, ack, body, request) -> None:
        await ack()
        form = None
        if body.get("command") == f"/{self.settings.bot.command_name}":
            form = form_for(self.host.command_specs(), str(body.get("text") or ""))
        if form is not None:  # the trigger lasts 3 s: open the form before anything else
            view = forms.form_view(form, body.get("channel_id"))
            self._spawn(self.client.views_open(trigger_id=body.get("trigger_id", ""),
                                               view=view), "form")
            return
        self._spawn(self._run_command(body, request_id(request)), "command")

    async def _on_form_submitted(self, ack, body, view, request) -> None:
        phrase, channel, values = forms.submitted(view)
        form = form_for(self.host.command_specs(), phrase)
        if form is None:
            await ack()
            return
        await self._submit(ack, body, form, values, request_id(request), channel)

    async def _submit(self, ack, body: dict[str, Any], form: Form, values: dict[str, str],
                      request: str | None, channel: str | None) -> None:
        """Run a form's command before answering Slack, so a refusal shows under its field
        (``response_action: errors``) with the form still open; a command slower than
        :data:`FORM_WAIT` is answered as before: the form closes, the reply comes by DM."""
        actor = await self._actor(body)
        invocation = Invocation(
            actor=actor, command=self.settings.bot.command_name, text=form_text(form, values),
            channel_id=channel, is_direct=channel is None, request_id=request)
        running = asyncio.ensure_future(self.host.handle_invocation(invocation))
        try:
            replies = await asyncio.wait_for(asyncio.shield(running), FORM_WAIT)
        except TimeoutError:
            await ack()
            self._spawn(self._answer_form(actor, running), "form")
            return
        errors = forms.inline_errors(form, replies)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        self._spawn(self._answer_form(actor, running), "form")

    async def _answer_form(self, actor: Actor, running: Awaitable[list[Reply]]) -> None:
        await self._deliver(await running, actor, None)
        await self.publish_home(actor.workspace_id, actor.user_id, if_changed=True)

    async def _on_action(self, ack, body, request) -> None:
        await ack()
        value = inbound.action_value(body)
        if value in modals.ADAPTER_VALUES:
            self._spawn(self._open_modal(body, value), "modal")
            return
        form = self._button_form(value)
        if form is not None:  # "Change time zone" and the like: the form, while the
            view = forms.form_view(form, inbound.action(body).channel_id)  # trigger is fresh
            self._spawn(self.client.views_open(trigger_id=body.get("trigger_id", ""),
                                               view=view), "form")
            return
        self._spawn(self._run_action(body, request_id(request)), "action")

    def _button_form(self, value: str) -> Form | None:
        """The form a ``form.open|<phrase>`` button asks for (None: an ordinary button)."""
        name, _, phrase = value.partition("|")
        if name != FORM_BUTTON or not phrase:
            return None
        return form_for(self.host.command_specs(), phrase)

    async def _on_profile_submitted(self, ack, body, view, request) -> None:
        """The Home tab's profile modal: its fields are edit-profile's (tz, country,
        specialty), so it is that form, checked as one command with errors inline."""
        form = form_for(self.host.command_specs(), modals.PROFILE_PHRASE)
        values = modals.profile_values(view["state"]["values"])
        if form is None or not any(values.values()):
            await ack()
            return
        await self._submit(ack, body, form, values, request_id(request), None)

    async def _on_conflicts_submitted(self, ack, body, view, request) -> None:
        await ack()
        commands = modals.conflict_commands(view["state"]["values"])
        self._spawn(self._run_form(body, commands, request_id(request)), "conflict form")

    async def _on_home_opened(self, body, event) -> None:
        if event.get("tab", "home") != "home":
            return
        team = inbound.team_id(body)
        self._spawn(self.publish_home(team, str(event.get("user", ""))), "home")

    async def _on_user_change(self, body, event) -> None:
        user = event.get("user")
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            self.directory.forget(inbound.team_id(body), user["id"])

    # ---- work -----------------------------------------------------------------------

    async def _actor(self, body: dict[str, Any]) -> Actor:
        roles = await self.roles.roles_for(inbound.user_id(body))
        return inbound.actor(body, roles)

    async def _run_command(self, body: dict[str, Any], request: str | None = None) -> None:
        roles = await self.roles.roles_for(inbound.user_id(body))
        invocation = replace(inbound.invocation(body, roles), request_id=request)
        replies = await self.host.handle_invocation(invocation)
        await self._deliver(replies, invocation.actor, invocation.reply_handle)
        if not self._is_crisis(invocation):  # a crisis request leaves no trace, not even here
            await self.publish_home(invocation.actor.workspace_id, invocation.actor.user_id,
                                    if_changed=True)

    async def _run_action(self, body: dict[str, Any], request: str | None = None) -> None:
        roles = await self.roles.roles_for(inbound.user_id(body))
        action = replace(inbound.action(body, roles), request_id=request)
        replies = await self.host.handle_action(action)
        for form in [r.form for r in replies if r.form]:  # a button that opens a form (Edit)
            view = forms.form_view(form, action.channel_id)
            await self.client.views_open(trigger_id=body.get("trigger_id", ""), view=view)
        replies = [r for r in replies if r.form is None]
        await self._deliver(replies, action.actor, action.reply_handle, from_action=True)
        await self.publish_home(action.actor.workspace_id, action.actor.user_id,
                                if_changed=True)

    def _is_crisis(self, invocation: Invocation) -> bool:
        words = invocation.text.split()
        return (invocation.command == self.settings.bot.crisis_command
                or (bool(words) and words[0].lower() == "crisis"))

    async def _run_form(self, body: dict[str, Any], commands: list[str],
                        request: str | None = None, channel_id: str | None = None) -> None:
        actor = await self._actor(body)
        for n, text in enumerate(commands):
            invocation = Invocation(
                actor=actor, command=self.settings.bot.command_name, text=text,
                channel_id=channel_id, is_direct=channel_id is None,
                request_id=f"{request}:{n}" if request else None,
            )
            await self._deliver(await self.host.handle_invocation(invocation), actor, None)
        if commands:
            await self.publish_home(actor.workspace_id, actor.user_id)

    async def _open_modal(self, body: dict[str, Any], value: str) -> None:
        """Open a modal; the trigger expires after 3 s, so only a quick users.info first."""
        if value == modals.OPEN_PROFILE:
            view = modals.profile_modal(await self._slack_timezone(body))
        else:
            view = modals.conflicts_modal()
        await self.client.views_open(trigger_id=body.get("trigger_id", ""), view=view)

    async def _slack_timezone(self, body: dict[str, Any]) -> str:
        """The time zone set in the member's Slack profile (users.info, cached), or ''."""
        person = await self.directory.person(inbound.team_id(body), inbound.user_id(body))
        return person.timezone if person is not None else ""

    async def _deliver(
        self,
        replies: list[Reply],
        actor: Actor,
        response_url: str | None,
        *,
        from_action: bool = False,
    ) -> None:
        """Answer through response_url where there is one, else by DM.

        Only a button's reply may replace the message that carried the button; a slash
        command has no message of its own to replace.
        """
        if response_url and not self._reply_url_ok(response_url):
            log.info("ignored a response_url outside Slack; answering by DM")
            response_url = None
        for reply in replies:
            if response_url:
                await self._respond(
                    response_url, reply, replace=from_action and reply.replace_original
                )
            else:  # a DM: urgent in the outbox (bot.core.urgent), ahead of any fan-out
                await dm_reply(self.host, self.messenger, actor, reply.message)
                continue
            if reply.message.attachment is not None:  # an ephemeral reply holds no file
                await self.messenger.upload_to_dm(actor.user_id, reply.message.attachment)

    def _reply_url_ok(self, url: str) -> bool:
        """Replies go only to Slack's own hooks (or the configured API host, for GovSlack
        and tests): never to a URL a malformed payload made up."""
        api = urlsplit(self.settings.slack.api_base_url)
        allowed = ("https://hooks.slack.com/", f"{api.scheme}://{api.netloc}/")
        return url.startswith(allowed) and url.isprintable() and " " not in url

    async def _respond(self, response_url: str, reply: Reply, *, replace: bool) -> None:
        rendered = render(reply.message)
        public = reply.visibility is Visibility.CHANNEL
        webhook = AsyncWebhookClient(response_url, retry_handlers=webhook_retry_handlers())
        resp = await webhook.send(
            text=rendered.text,
            blocks=rendered.blocks,
            response_type="in_channel" if public else "ephemeral",
            replace_original=replace,
        )
        if resp.status_code >= 300:
            log.warning("Slack refused a reply through response_url: HTTP %s", resp.status_code)

def _keep_alive_session() -> aiohttp.ClientSession | None:
    """One HTTP session for the outbox's sends (connections reused), when built inside
    the running loop (``run_slack``); None elsewhere (slack_sdk then makes its own)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return None
    return outbox_session()


def request_id(request: Any) -> str | None:
    """The request's identity for replay protection: a digest of its signed timestamp and
    body, so the exact request replayed within Slack's window is recognised. (Socket
    Mode requests carry no signature; their envelope is acknowledged once by design.)"""
    headers = getattr(request, "headers", None) or {}
    stamp = (headers.get("x-slack-request-timestamp") or [""])[0]
    if not stamp:
        return None
    raw = getattr(request, "raw_body", "") or ""
    return "slack:" + hashlib.sha256(f"{stamp}:{raw}".encode()).hexdigest()


def build_slack(host: Host, secrets: Secrets) -> SlackAdapter:
    """An adapter with ``.messenger`` and ``async run()``, for :func:`run_slack`."""
    return SlackAdapter(host, secrets)
