"""A fake Discord REST API on loopback, enough for discord.py's client and our adapter.

It answers login (/users/@me, /oauth2/applications/@me), command sync, interaction
callbacks and webhooks (followups, @original edits), DM channels, channel messages and
private threads; it records every request, and ``fail(...)`` makes the next matching
request(s) answer with an error (429 with ``retry_after``, 403 with code 50007, 5xx).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.discord_fake.limits import problems
from tests.support.discord_fake.v2 import edit_problems, is_v2

BOT_ID = "900000000000000001"
APP_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "800000000000000010"
INTRO_CHANNEL_ID = "800000000000000020"
TOKEN = "fake-token.not.real"


@dataclass
class Recorded:
    method: str
    path: str
    json: Any = None
    files: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)
    status: int = 200  # what the fake answered (429 or an injected error, else 2xx)
    file_data: list[bytes] = field(default_factory=list)  # each uploaded file's bytes


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Discord's exact content type (discord.py compares it verbatim)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def user(user_id: str, name: str = "someone", *, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name, "global_name": name.title(),
            "discriminator": "0", "avatar": None, "bot": bot}


# Discord: "Interaction endpoints are not bound to the bot's Global Rate Limit."
INTERACTION_ROUTES = re.compile(r"^/(interactions|webhooks)/")


class FakeDiscord:
    """Start with ``await fake.start()``; ``base`` is the value for Route.BASE."""

    def __init__(self, global_rate: int | None = None) -> None:
        self.global_rate = global_rate  # requests per sliding second, as Discord's global
        self._window: deque[float] = deque()
        self.global_429s = 0
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.threads: dict[str, list[str]] = {}
        self.nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self.v2_messages: set[str] = set()  # ids sent or edited with IS_COMPONENTS_V2
        self._ids = itertools.count(700000000000000001)
        self._runner: web.AppRunner | None = None
        self.base = ""

    # ---- control --------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}/api/v10"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def fail(self, method: str, path_regex: str, status: int, *, code: int = 0,
             message: str = "error", retry_after: float | None = None, times: int = 1) -> None:
        body: dict[str, Any] = {"message": message, "code": code}
        headers: dict[str, str] = {}
        if retry_after is not None:
            body["retry_after"] = retry_after
            body["global"] = False
            headers = {"Retry-After": str(retry_after), "Via": "1.1 google",
                       "X-RateLimit-Scope": "user"}
        self.faults.append(Fault(method, re.compile(path_regex), status, body, headers, times))

    def find(self, method: str, path_regex: str) -> list[Recorded]:
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method and pattern.search(r.path)]

    async def wait_for(self, method: str, path_regex: str, count: int = 1,
                       cap: float = 10.0) -> list[Recorded]:
        """Wait until ``count`` matching requests arrived (``cap`` only guards hangs)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + cap
        while len(found := self.find(method, path_regex)) < count:
            if loop.time() > deadline:
                seen = [f"{r.method} {r.path}" for r in self.requests]
                raise AssertionError(f"no {count}x {method} {path_regex}; saw {seen}")
            await asyncio.sleep(0.01)
        return found

    async def wait_for_any(self, path_regex: str, count: int) -> list[Recorded]:
        """Wait until ``count`` POST or PATCH requests match; returns them in order."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10.0
        pattern = re.compile(path_regex)
        while True:
            found = [r for r in self.requests
                     if r.method in ("POST", "PATCH") and pattern.search(r.path)]
            if len(found) >= count:
                return found
            if loop.time() > deadline:
                raise AssertionError(f"no {count}x {path_regex}; saw {len(found)}")
            await asyncio.sleep(0.01)

    # ---- payloads -------------------------------------------------------------------

    def next_id(self) -> str:
        return str(next(self._ids))

    def message(self, channel_id: str, body: dict[str, Any], *, flags: int = 0) -> dict:
        return {
            "id": self.next_id(), "channel_id": channel_id, "type": 0,
            "content": body.get("content") or "", "author": user(BOT_ID, "peerbot", bot=True),
            "embeds": body.get("embeds") or [], "components": body.get("components") or [],
            "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
            "tts": False, "mention_everyone": False, "flags": body.get("flags", flags),
            "timestamp": "2026-01-05T08:00:00+00:00", "edited_timestamp": None,
        }

    # ---- the handler ----------------------------------------------------------------

    async def _read(self, request: web.Request) -> tuple[Any, list[str], list[bytes]]:
        """JSON, or a multipart upload (``payload_json`` and ``files[n]`` parts, whose
        descriptions are in the payload's ``attachments``)."""
        if request.content_type.startswith("multipart/"):
            payload: Any = None
            files: list[str] = []
            data: list[bytes] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                else:
                    files.append(part.filename or part.name or "")
                    data.append(bytes(await part.read()))
            return payload, files, data
        text = await request.text()
        return (json.loads(text) if text else None), [], []

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files, data = await self._read(request)
        record = Recorded(request.method, path, body, files, dict(request.query), file_data=data)
        self.requests.append(record)
        if (self.global_rate is not None and not INTERACTION_ROUTES.match(path)
                and (limited := self._global_limit()) is not None):
            record.status = 429
            return limited
        for fault in self.faults:
            if fault.times > 0 and fault.method == request.method and fault.pattern.search(path):
                fault.times -= 1
                record.status = fault.status
                return reply(fault.body, fault.status, fault.headers)
        refused = problems(request.method, path, body)  # Discord's size and layout rules
        edited = re.fullmatch(r"/channels/\d+/messages/(\d+)", path)
        if edited and request.method == "PATCH" and isinstance(body, dict):
            refused += edit_problems(edited.group(1) in self.v2_messages, body)
        if refused:
            record.status = 400
            return reply({"code": 50035, "message": "Invalid Form Body",
                          "errors": {"body": {"_errors": [  # Discord's nested form
                              {"code": "BASE_TYPE_INVALID", "message": r} for r in refused]}}},
                         400)
        return await self._route(request.method, path, body or {})

    def _global_limit(self) -> web.Response | None:
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) < (self.global_rate or 0):
            self._window.append(now)
            return None
        self.global_429s += 1
        wait = round(1.0 - (now - self._window[0]), 3) + 0.001
        return reply({"message": "You are being rate limited.", "retry_after": wait,
                      "global": True}, 429,
                     {"Retry-After": str(wait), "X-RateLimit-Global": "true",
                      "X-RateLimit-Scope": "global", "Via": "1.1 google"})

    async def _route(self, method: str, path: str, body: dict[str, Any]) -> web.StreamResponse:
        ok = reply
        if path == "/users/@me" and method == "GET":
            return ok(user(BOT_ID, "peerbot", bot=True))
        if path == "/oauth2/applications/@me":
            return ok({"id": APP_ID, "name": "peerbot", "icon": None, "description": "",
                       "bot_public": False, "bot_require_code_grant": False,
                       "verify_key": "00", "flags": 0, "team": None,
                       "owner": user("1", "owner")})
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            return ok([dict(c, id=self.next_id(), application_id=APP_ID, version="1")
                       for c in body or []])
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return ok(self._callback(m.group(1), body))
        if m := re.fullmatch(r"/webhooks/\d+/[^/]+/messages/@original", path):
            return ok(self.message(CHANNEL_ID, body))
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and method == "POST":
            return ok(self.message(CHANNEL_ID, body))
        if path == "/users/@me/channels" and method == "POST":
            recipient = str(body["recipient_id"])
            return ok({"id": "5" + recipient[1:], "type": 1, "recipients": [user(recipient)],
                       "last_message_id": None})
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            return ok(self._create_message(m.group(1), body))
        if (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)) and method == "PATCH":
            if is_v2(body):
                self.v2_messages.add(m.group(2))
            edited = dict(self.message(m.group(1), body), id=m.group(2))
            return ok(dict(edited, edited_timestamp="2026-01-05T08:00:01+00:00"))
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            self.threads[m.group(2)] = []
            return ok({"id": m.group(2), "type": 11, "guild_id": GUILD_ID,
                       "parent_id": m.group(1), "name": body.get("name", ""),
                       "owner_id": BOT_ID, "thread_metadata": {
                           "archived": False, "auto_archive_duration": 10080,
                           "archive_timestamp": "2026-01-05T08:00:00+00:00",
                           "locked": False}, "message_count": 0, "member_count": 1,
                       "rate_limit_per_user": 0})
        if m := re.fullmatch(r"/channels/(\d+)/threads", path):
            thread_id = self.next_id()
            self.threads[thread_id] = []
            return ok({"id": thread_id, "type": body.get("type", 12), "guild_id": GUILD_ID,
                       "parent_id": m.group(1), "name": body.get("name", ""),
                       "owner_id": BOT_ID, "thread_metadata": {
                           "archived": False, "auto_archive_duration": 10080,
                           "archive_timestamp": "2026-01-05T08:00:00+00:00",
                           "locked": False, "invitable": body.get("invitable", True)},
                       "message_count": 0, "member_count": 1, "rate_limit_per_user": 0})
        if m := re.fullmatch(r"/channels/(\d+)/thread-members/(\d+)", path):
            self.threads.setdefault(m.group(1), []).append(m.group(2))
            return web.Response(status=204)
        if (m := re.fullmatch(r"/channels/(\d+)", path)) and method == "GET":
            return ok({"id": m.group(1), "type": 0, "guild_id": GUILD_ID, "name": "intros",
                       "position": 0, "permission_overwrites": [], "nsfw": False,
                       "parent_id": None, "rate_limit_per_user": 0, "topic": None})
        return reply({"message": f"fake: no route {method} {path}", "code": 0}, 404)

    def _create_message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Like Discord: a repeated ``nonce`` with ``enforce_nonce`` in the same channel
        returns the message already created instead of making a second one."""
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            seen = self.nonces.get((channel_id, str(nonce)))
            if seen is not None:
                return seen
        created = self.message(channel_id, body)
        if is_v2(body):
            self.v2_messages.add(created["id"])
        if nonce is not None:
            created["nonce"] = nonce
            self.nonces[(channel_id, str(nonce))] = created
        return created

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type")
        data = body.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & 64)
        out: dict[str, Any] = {"interaction": {
            "id": interaction_id, "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }}
        if kind in (4, 5, 7):
            msg = self.message(CHANNEL_ID, data)
            out["interaction"]["response_message_id"] = msg["id"]
            out["resource"] = {"type": kind, "message": msg}
        return out
