"""The Discord Messenger: outbox messages to DMs, channels and pair introductions.

Errors are translated into the delivery contract (bot.core.ports): discord.py already waits
out short 429s per route bucket; a long one (over the client's ``max_ratelimit_timeout``)
or an exhausted retry becomes RateLimited; error 50007 (the user accepts no DMs from
us) is Undeliverable so the member is marked and never retried; a rejected token or
lost guild access is WorkspaceUnavailable; 5xx and network errors are transient.

Discord bans clients that make 10,000 invalid requests (401, 403, 429) in 10 minutes.
:class:`InvalidRequestBudget` counts ours and pauses sending well before that.

Pair and trio introductions (``Target.user_ids``): bots cannot open group DMs, so with
``discord.intro_channel_id`` set we open a private thread in that channel and add each
member; with it unset each member gets their own DM naming the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import discord
from discord.http import MultipartParameters

from adapters.discord.render import clip, render
from adapters.discord.wire import allowed, body, mentions
from bot.core.model import Message, Target, plain_times
from bot.core.ports import (
    DeliveryError,
    RateLimited,
    TransientDeliveryError,
    Undeliverable,
    WorkspaceUnavailable,
)
from bot.core.ratelimit import SendWindow

log = logging.getLogger("peerbot.discord.messenger")

CANNOT_DM = 50007
MISSING_ACCESS = 50001
UNKNOWN_GUILD = 10004
THREAD_ARCHIVE_MINUTES = 10080  # a week: long enough to arrange the meeting


class InvalidRequestBudget:
    """Counts 401/403/429 answers in a sliding window and refuses to go near the ban."""

    def __init__(self, limit: int = 5000, window: float = 600.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.now = now
        self._hits: deque[float] = deque()

    def _trim(self) -> None:
        cutoff = self.now() - self.window
        while self._hits and self._hits[0] <= cutoff:
            self._hits.popleft()

    def record(self) -> None:
        self._hits.append(self.now())

    def check(self) -> None:
        """Raise RateLimited until the oldest counted answer leaves the window."""
        self._trim()
        if len(self._hits) >= self.limit:
            wait = self._hits[0] + self.window - self.now()
            raise RateLimited(max(wait, 1.0), "pausing: many rejected requests recently")


class Pacer:
    """Keeps our own requests below Discord's global limit (50 per second per bot).

    discord.py learns per-route buckets from response headers but meets the global
    limit only by hitting it, and every 429 counts against the invalid-request budget.
    Each request takes a slot of a :class:`~bot.core.ratelimit.SendWindow`: at most 49
    in any second, counted from their answers (Discord counted each before answering;
    one request a second is left for anything outside the outbox). The requests of a
    second leave back to back and the bot sleeps for the rest of it: a wake-up is most
    of what a paced request costs in CPU. (Evenly spaced at 48/s, 0.96 of the limit.)
    """

    def __init__(self, per_second: int = 49, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.window = SendWindow(per_second, 1.0)
        self.now = now
        self.sleep = sleep

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Around one request: wait for its slot, then count it from its answer."""
        slot = await self.window.take(self.now, self.sleep)
        try:
            yield
        except (discord.RateLimited, discord.HTTPException) as exc:
            if getattr(exc, "status", 429) == 429:  # Discord counts otherwise than we think
                self.window.distrust(self.now())
            raise
        finally:
            self.window.answered(slot, self.now())


def classify(exc: discord.HTTPException) -> DeliveryError:
    """Map a Discord HTTP error to the delivery contract."""
    status, code = exc.status, exc.code
    if status == 429:
        header = exc.response.headers.get("Retry-After") if exc.response is not None else None
        try:
            wait = float(header) if header else 5.0
        except ValueError:
            wait = 5.0
        return RateLimited(wait)
    if code == CANNOT_DM:
        return Undeliverable("cannot send messages to this user (Discord 50007)")
    if status == 401 or code in (MISSING_ACCESS, UNKNOWN_GUILD):
        return WorkspaceUnavailable(f"Discord refused access ({status}/{code})")
    if status in (403, 404):
        return Undeliverable(f"Discord refused this recipient ({status}/{code})")
    if status >= 500:
        return TransientDeliveryError(f"Discord server error {status}")
    return DeliveryError(f"Discord rejected the message ({status}/{code})")


def _member_nonce(key: str, user: int) -> str:
    """One nonce per member's DM of a group message (a nonce is at most 25 characters)."""
    return "pb" + hashlib.sha256(f"{key}|{user}".encode()).hexdigest()[:23]


class DiscordMessenger:
    """Implements bot.core.ports.Messenger on a logged-in discord.Client."""

    def __init__(self, client: discord.Client, *, intro_channel_id: int = 0,
                 budget: InvalidRequestBudget | None = None, pacer: Pacer | None = None) -> None:
        self.client = client
        self.intro_channel_id = intro_channel_id
        self.budget = budget or InvalidRequestBudget()
        self.pacer = pacer or Pacer()
        self.ready = asyncio.Event()  # set by the adapter once the client has logged in
        self._dm_channels: dict[int, int] = {}
        self._threads: dict[str, int] = {}
        self._group_sent: dict[str, dict[int, str]] = {}
        self._quiet: dict | None = None  # allowed_mentions of a send that notifies nobody

    async def connected(self) -> bool:
        """For ``/readyz``: logged in, and the gateway connection open."""
        return self.ready.is_set() and not self.client.is_closed()

    def remember_channel(self, workspace_id: str, user_id: str, channel_id: str) -> None:
        """A DM channel known from an earlier send (kept in the outbox across restarts)."""
        try:
            self._dm_channels[int(user_id)] = int(channel_id)
        except ValueError:
            return

    async def send_keyed(self, workspace_id: str, target: Target, message: Message,
                         key: str) -> str:
        """Send with a nonce (``enforce_nonce``): a retry of the same outbox row within
        Discord's window returns the message already created instead of a second one."""
        return await self.send(workspace_id, target, message, key=key)

    async def send(self, workspace_id: str, target: Target, message: Message,
                   *, key: str | None = None) -> str:
        return await self._guarded(self._send(workspace_id, target, message, key))

    async def _send(self, workspace_id: str, target: Target, message: Message,
                    key: str | None) -> str:
        if target.user_id:
            return await self._dm(workspace_id, int(target.user_id), message, nonce=key)
        if target.reply_to:
            return await self._reply(workspace_id, target.reply_to, message, key)
        if target.channel_id:
            return await self._post(int(target.channel_id), workspace_id, message,
                                    nonce=key, thread=target.thread, dm=False)
        return await self._group(workspace_id, target, message, key)

    async def send_reply(self, workspace_id: str, target: Target, message: Message,
                         ref: str) -> str:
        """A new message that quotes and links the delivered message ``ref``
        (``channel:message``): a reminder shows which prompt it is about."""
        channel, _, message_id = ref.partition(":")
        if not target.user_id or not message_id.isdigit() or not channel.isdigit():
            return await self.send(workspace_id, target, message)
        reference = discord.MessageReference(message_id=int(message_id), channel_id=int(channel),
                                             fail_if_not_exists=False)
        return await self._guarded(self._post(int(channel), workspace_id, message,
                                              reference=reference, dm=True))

    async def edit(self, workspace_id: str, target: Target, ref: str, message: Message) -> str:
        """Show ``message`` in place of the delivered message ``ref`` (a message edit),
        rendered as its send was: a components v2 prompt stays v2 (Discord cannot
        remove the flag), with its server in the custom_ids when it is a DM."""
        channel, _, message_id = ref.partition(":")
        if not channel.isdigit() or not message_id.isdigit():
            raise Undeliverable("not a Discord message reference")

        async def edit() -> str:
            guild = workspace_id if target.user_id else None
            kwargs = render(message, guild_id=guild, summary=True).kwargs()
            kwargs.pop("files", None)
            kwargs.setdefault("content", None)
            if kwargs.get("view") is None:
                kwargs["view"] = None  # a message without buttons loses the old ones
            partial = self.client.get_partial_messageable(int(channel))
            async with self.pacer.slot():
                await partial.get_partial_message(int(message_id)).edit(**kwargs)
            return ref

        return await self._guarded(edit())

    async def _guarded(self, call: Awaitable[str]) -> str:
        """One send or edit, its errors in the delivery contract's words."""
        await self.ready.wait()
        try:
            self.budget.check()
        except RateLimited:
            if hasattr(call, "close"):
                call.close()  # type: ignore[attr-defined]
            raise
        try:
            return await call
        except discord.RateLimited as exc:
            self.budget.record()
            raise RateLimited(exc.retry_after) from None
        except discord.HTTPException as exc:
            if exc.status in (401, 403, 429):
                self.budget.record()
            raise classify(exc) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TransientDeliveryError(type(exc).__name__) from None
        except ValueError:  # not a Discord snowflake: no retry can fix it
            raise Undeliverable("not a Discord user or channel id") from None

    # ---- targets ----------------------------------------------------------------

    async def _post(self, channel_id: int, workspace_id: str, message: Message,
                    content: str | None = None, notify: tuple[int, ...] = (),
                    nonce: str | None = None, thread: str = "",
                    reference: discord.MessageReference | None = None, dm: bool = True) -> str:
        """Post to a channel; ``dm``: a DM, whose custom_ids carry the server (a click
        there carries none). A lead ``content`` (an introduction's mentions) needs the
        embed form: a components v2 message has no content. The body is built as plain
        JSON (adapters.discord.wire) and posted by discord.py's HTTP client; a message
        with a file goes through discord.py's own send."""
        guild = workspace_id if dm else None
        payload = body(message, guild_id=guild, layout=not content)
        if payload is None:
            sent_id = await self._send_file(channel_id, message, guild, content, notify,
                                            nonce, reference)
        else:
            if content:
                payload["content"] = clip(f"{content}\n{payload.get('content', '')}".strip(),
                                          2000)
            # discord.py sends a nonce (with enforce_nonce) on every send; ours is the
            # outbox row's, so a retried send cannot create a second message
            payload["nonce"] = nonce[:25] if nonce else str(secrets.randbits(64))
            payload["enforce_nonce"] = True
            if reference is not None:
                payload["message_reference"] = reference.to_message_reference_dict()
            payload["tts"] = False
            payload["allowed_mentions"] = self._mentions(notify)
            async with self.pacer.slot():
                data = await self.client.http.send_message(
                    channel_id, params=MultipartParameters(payload, None, None))
            sent_id = int(data["id"])
        if thread:  # replies belong in a thread on the message; the message stands anyway
            try:
                async with self.pacer.slot():
                    await self.client.http.start_thread_with_message(
                        channel_id, sent_id, name=clip(thread, 100),
                        auto_archive_duration=THREAD_ARCHIVE_MINUTES)
            except discord.HTTPException as exc:
                log.warning("could not open a thread on a posted message: Discord %s",
                            exc.status)
        return f"{channel_id}:{sent_id}"

    def _mentions(self, notify: tuple[int, ...]) -> dict:
        """allowed_mentions as discord.py sends it (adapters.discord.wire.mentions)."""
        if notify:
            return mentions(self.client.allowed_mentions, notify)
        if self._quiet is None:
            self._quiet = mentions(self.client.allowed_mentions, ())
        return dict(self._quiet)

    async def _send_file(self, channel_id: int, message: Message, guild: str | None,
                         content: str | None, notify: tuple[int, ...], nonce: str | None,
                         reference: discord.MessageReference | None) -> int:
        """A message with an attachment: discord.py's send (multipart)."""
        kwargs = render(message, guild_id=guild, summary=True, layout=not content).kwargs()
        if content:
            kwargs["content"] = clip(f"{content}\n{kwargs.get('content', '')}".strip(), 2000)
        if nonce:  # discord.py sends enforce_nonce with it
            kwargs["nonce"] = nonce[:25]
        if reference is not None:
            kwargs["reference"] = reference
        channel = self.client.get_partial_messageable(channel_id)
        async with self.pacer.slot():
            sent = await channel.send(allowed_mentions=allowed(notify), **kwargs)
        return sent.id

    async def _reply(self, workspace_id: str, ref: str, message: Message,
                     nonce: str | None) -> str:
        """Into the thread opened on the message ``ref`` (a thread started from a message
        has the message's id); if there is none (it was refused), into its channel."""
        channel, _, message_id = ref.partition(":")
        try:
            return await self._post(int(message_id), workspace_id, message, nonce=nonce,
                                    dm=False)
        except discord.NotFound:
            return await self._post(int(channel), workspace_id, message, nonce=nonce, dm=False)

    async def _dm_channel(self, user_id: int) -> int:
        if user_id not in self._dm_channels:
            async with self.pacer.slot():
                channel = await self.client.create_dm(discord.Object(id=user_id))
            self._dm_channels[user_id] = channel.id
        return self._dm_channels[user_id]

    async def _dm(self, workspace_id: str, user_id: int, message: Message,
                  content: str | None = None, nonce: str | None = None) -> str:
        channel_id = await self._dm_channel(user_id)
        return await self._post(channel_id, workspace_id, message, content, nonce=nonce)

    async def _group(self, workspace_id: str, target: Target, message: Message,
                     key: str | None = None) -> str:
        users = [int(u) for u in target.user_ids]
        outbox_key = key
        key = hashlib.sha256(
            f"{workspace_id}|{target.key()}|{message.text()}".encode()
        ).hexdigest()
        if self.intro_channel_id:
            return await self._thread(key, workspace_id, users, message, nonce=outbox_key)
        done = self._group_sent.setdefault(key, {})
        undeliverable = 0
        for user in users:
            if user in done:
                continue
            others = ", ".join(f"<@{u}>" for u in users if u != user)
            try:
                nonce = _member_nonce(outbox_key, user) if outbox_key else None
                done[user] = await self._dm(workspace_id, user, message,
                                            content=f"Also in this introduction: {others}",
                                            nonce=nonce)
            except discord.HTTPException as exc:
                if exc.code != CANNOT_DM:
                    raise
                self.budget.record()
                undeliverable += 1
                done[user] = ""
                log.info("one member of an introduction accepts no DMs")
        refs = [r for r in done.values() if r]
        if not refs:
            raise Undeliverable("no member of this introduction accepts DMs")
        self._group_sent.pop(key, None)
        return ",".join(refs)

    async def _thread(self, key: str, workspace_id: str, users: list[int],
                      message: Message, nonce: str | None = None) -> str:
        if key not in self._threads:  # a retry reuses the thread; adding members is idempotent
            parent = self.client.get_channel(self.intro_channel_id)
            if parent is None:
                async with self.pacer.slot():
                    parent = await self.client.fetch_channel(self.intro_channel_id)
            async with self.pacer.slot():
                thread = await parent.create_thread(  # type: ignore[union-attr]
                    name=clip(plain_times(message.fallback) or "Peer introduction", 100),
                    type=discord.ChannelType.private_thread,
                    invitable=False,
                    auto_archive_duration=THREAD_ARCHIVE_MINUTES,
                )
            self._threads[key] = thread.id
        thread_id = self._threads[key]
        added = 0
        for user in users:
            try:
                async with self.pacer.slot():  # PUT: idempotent
                    await self.client.http.add_user_to_thread(thread_id, user)
                added += 1
            except discord.HTTPException as exc:
                if exc.status not in (403, 404):
                    raise
                if exc.status == 403:
                    self.budget.record()
                log.info("a member of an introduction could not be added to its thread")
        if not added:
            raise Undeliverable("no member of this introduction could join its thread")
        mentions = " ".join(f"<@{u}>" for u in users)
        ref = await self._post(thread_id, workspace_id, message, content=mentions,
                               notify=tuple(users), nonce=nonce, dm=False)
        self._threads.pop(key, None)
        return ref
