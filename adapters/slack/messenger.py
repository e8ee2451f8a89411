"""The Slack Messenger: outbox deliveries through chat.postMessage, errors as the port's.

The retries themselves belong to slack_sdk (a rate-limit retry handler honours
``Retry-After`` inside the client); what is left after those retries is translated
into the delivery port's vocabulary so the one delivery path treats Slack like every
other platform: a recipient who cannot be reached is Undeliverable (not retried), a
rejected token makes the whole workspace unavailable (logged once, never the token),
and anything else is transient.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import msgspec
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render
from bot.core.attachments import MAX_ALT_TEXT
from bot.core.model import Attachment, Message, Target
from bot.core.ports import RateLimited, TransientDeliveryError, Undeliverable, WorkspaceUnavailable

log = logging.getLogger("peerbot.slack")

# The recipient is gone, blocked us or cannot be written to: retrying will not help.
UNDELIVERABLE = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_not_visible",
        "user_disabled",
        "user_is_bot",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        # an edit whose message is gone or may no longer be changed
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)
# The bot's credentials no longer work for this workspace: stop sending there at all.
WORKSPACE_GONE = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "team_disabled",
    }
)


def normalise_base_url(url: str) -> str:
    """AsyncWebClient joins method names onto the base URL, so it must end with '/'."""
    return url if url.endswith("/") else url + "/"


def build_client(
    token: str, base_url: str, *, rate_limit_retries: int = 1, timeout: int = 30,
    session: aiohttp.ClientSession | None = None,
) -> AsyncWebClient:
    """The one Web API client, with slack_sdk's retry handlers for 429, 5xx and resets.

    Without a ``session`` slack_sdk opens a new HTTP session, and so a new connection,
    for every call; a fan-out passes one, which keeps its connections alive (that
    alone was most of the client's CPU per message).
    """
    handlers: list = [AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries)]
    if not rate_limit_retries:  # a handler that never retries only costs a check a call
        handlers = []
    return AsyncWebClient(
        token=token,
        base_url=normalise_base_url(base_url),
        timeout=timeout,
        session=session,
        logger=_sdk_logger(),
        retry_handlers=[
            *handlers,
            AsyncServerErrorRetryHandler(max_retry_count=1),
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
        ],
    )


def outbox_session() -> aiohttp.ClientSession:
    """The outbox client's keep-alive HTTP session; request bodies are encoded with
    msgspec (several times faster than ``json.dumps`` for a message's blocks)."""
    return aiohttp.ClientSession(json_serialize=_json_text)


def build_outbox_client(token: str, base_url: str,
                        session: aiohttp.ClientSession | None) -> AsyncWebClient:
    """The client outbox sends go through: it retries nothing on 429 (the deliverer's
    limiter must see every rate limit to learn the pace, and waits without holding a
    send slot) and keeps its connections alive in ``session``."""
    return build_client(token, base_url, rate_limit_retries=0, session=session)


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _sdk_logger() -> logging.Logger:
    """slack_sdk formats every request and response into a debug line whenever its
    logger's own level is unset (``logger.level <= DEBUG``), even when nothing logs at
    debug: a child of its logger with the level in force now skips that work and still
    logs through the same handlers."""
    logger = logging.getLogger("slack_sdk.web.async_client.peerbot")
    logger.setLevel(logging.getLogger("slack_sdk.web.async_client").getEffectiveLevel())
    return logger


def webhook_retry_handlers() -> list:
    """response_url posts get the same treatment: one wait on 429, one retry on 5xx."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        AsyncServerErrorRetryHandler(max_retry_count=1),
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
    ]


class SlackMessenger:
    """Implements ``bot.core.ports.Messenger`` for one Slack workspace (one bot token)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._stopped: dict[str, str] = {}
        # Set by the adapter once it serves: Socket Mode's websocket, or the HTTP server.
        self.link: Callable[[], Awaitable[bool]] | None = None
        # Each member's DM channel, opened once: conversations.open has its own, lower
        # limit (Tier 3), so a prompt must cost one call, not two.
        self._dm_channels: dict[str, str] = {}
        self._opening: dict[str, asyncio.Future[Any]] = {}
        # Outbox rows whose text was posted but whose file is not yet uploaded.
        self._posted: dict[str, str] = {}

    async def close(self) -> None:
        """Close the client's own HTTP session, if it was given one."""
        session = getattr(self.client, "session", None)
        if session is not None and not session.closed:
            await session.close()

    def remember_channel(self, workspace_id: str, user_id: str, channel_id: str) -> None:
        """A DM channel known from an earlier send (the outbox keeps it across restarts)."""
        if channel_id.startswith("D"):
            self._dm_channels[user_id] = channel_id

    async def connected(self) -> bool:
        """For ``/readyz``: the Socket Mode connection is open (HTTP mode: listening)."""
        return self.link is not None and await self.link()

    async def send_keyed(self, workspace_id: str, target: Target, message: Message,
                         key: str) -> str:
        """Send one outbox row. A message with a file is two calls (the post, then the
        upload): when the upload fails after the post went out, the retry of the same
        row uploads only, so the text is not posted twice."""
        return await self.send(workspace_id, target, message, key=key)

    async def send(self, workspace_id: str, target: Target, message: Message,
                   *, key: str | None = None, thread_ts: str | None = None) -> str:
        """Post ``message`` (then upload its file) and return ``"<channel>:<ts>"``."""
        if workspace_id in self._stopped:
            raise WorkspaceUnavailable(self._stopped[workspace_id])
        try:
            channel = await self._channel(target)
            thread = {"thread_ts": thread_ts} if thread_ts else {}
            if target.reply_to:  # "<channel>:<ts>" of the message to answer in its thread
                channel, _, ts = target.reply_to.partition(":")
                thread = {"thread_ts": ts}
            ref = self._posted.get(key) if key else None
            if ref is None:
                rendered = render(message)
                # chat.postMessage through the client's api_call, as its chat_postMessage
                # does, without re-walking blocks that are plain dicts already
                resp = await self.client.api_call("chat.postMessage", json={
                    "channel": channel, "text": rendered.text, "blocks": rendered.blocks,
                    "unfurl_links": False, "unfurl_media": False, **thread})
                ref = f"{resp['channel']}:{resp['ts']}"
            if message.attachment is not None:
                if key:
                    self._posted[key] = ref
                await self.upload(channel, message.attachment)
                if key:
                    self._posted.pop(key, None)
        except SlackApiError as exc:
            raise self._translate(workspace_id, exc) from None
        except (SlackRequestError, aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientDeliveryError(type(exc).__name__) from None
        return ref

    async def send_reply(self, workspace_id: str, target: Target, message: Message,
                         ref: str) -> str:
        """A reply in the thread of the delivered message ``ref`` (``channel:ts``): it sits
        under that message, so a reminder points at the prompt it is about."""
        return await self.send(workspace_id, target, message,
                               thread_ts=ref.partition(":")[2] or None)

    async def edit(self, workspace_id: str, target: Target, ref: str, message: Message) -> str:
        """chat.update: show ``message`` in place of the delivered message ``ref``."""
        if workspace_id in self._stopped:
            raise WorkspaceUnavailable(self._stopped[workspace_id])
        channel, _, ts = ref.partition(":")
        if not ts:
            raise Undeliverable("not a Slack message reference")
        rendered = render(message)
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=rendered.text,
                                          blocks=rendered.blocks)
        except SlackApiError as exc:
            raise self._translate(workspace_id, exc) from None
        except (SlackRequestError, aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientDeliveryError(type(exc).__name__) from None
        return ref

    async def open_dm(self, user_id: str) -> str:
        """The member's DM channel: opened once, by one call even when two sends to
        them run at once (the second waits for the first one's answer)."""
        channel = self._dm_channels.get(user_id)
        if channel is not None:
            return channel
        opening = self._opening.get(user_id)
        if opening is None:
            opening = self._opening[user_id] = asyncio.ensure_future(
                self.client.conversations_open(users=user_id))
        try:
            resp = await asyncio.shield(opening)
        finally:
            if opening.done():
                self._opening.pop(user_id, None)
        channel = self._dm_channels[user_id] = resp["channel"]["id"]
        return channel

    async def upload(self, channel: str, attachment: Attachment) -> None:
        """Hand a file to a conversation with files upload v2 (get an upload URL, send
        the bytes, complete it into the channel); needs the files:write scope. An image
        carries its alt text (``alt_txt``) for screen readers."""
        alt = attachment.alt(MAX_ALT_TEXT) if attachment.is_image else ""
        await self.client.files_upload_v2(
            channel=channel,
            filename=attachment.filename,
            content=attachment.data,
            title=attachment.filename,
            alt_txt=alt or None,
        )

    async def upload_to_dm(self, user_id: str, attachment: Attachment) -> bool:
        """A reply's file, to the person's DM (an ephemeral reply holds no file, and a
        DM is private whatever the reply's visibility). A failure is logged and the
        text reply stands; False then."""
        try:
            await self.upload(await self.open_dm(user_id), attachment)
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError,
                OSError) as exc:
            log.warning("could not upload a reply's file to the DM: %s", type(exc).__name__)
            return False
        return True

    async def _channel(self, target: Target) -> str:
        if target.channel_id:
            return target.channel_id
        if target.user_id:
            return await self.open_dm(target.user_id)
        if len(target.user_ids) == 1:
            return await self.open_dm(target.user_ids[0])
        if not target.user_ids:
            raise Undeliverable("a message with no recipient")
        # A group DM (mpim:write); Slack allows up to 8 people besides the bot.
        resp = await self.client.conversations_open(users=",".join(target.user_ids))
        return resp["channel"]["id"]

    def _translate(self, workspace_id: str, exc: SlackApiError) -> Exception:
        status = exc.response.status_code
        data = exc.response.data
        error = str(data.get("error") or "") if isinstance(data, dict) else ""
        if status == 429 or error == "ratelimited":
            headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
            raw = headers.get("retry-after", "1")
            raw = raw[0] if isinstance(raw, list) else raw
            try:
                retry_after = float(raw)
            except ValueError:
                retry_after = 1.0
            return RateLimited(retry_after)
        if error in UNDELIVERABLE:
            return Undeliverable(error)
        if error in WORKSPACE_GONE:
            if workspace_id not in self._stopped:
                self._stopped[workspace_id] = error
                log.error(
                    "Slack refused the bot token for workspace %s (%s); sends to it are "
                    "stopped until the token is fixed and peerbot restarted",
                    workspace_id,
                    error,
                )
            return WorkspaceUnavailable(error)
        return TransientDeliveryError(error or f"HTTP {status}")
