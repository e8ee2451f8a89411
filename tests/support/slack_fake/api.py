"""A fake Slack Web API on 127.0.0.1 that records parsed request bodies per method.

Modelled on slack-bolt's ``tests/mock_web_api_server`` but in-process (aiohttp in the
test's own event loop): each call is recorded with its parsed body (query, form or
JSON merged) and the bearer token; faults can be queued per method to answer with a
429 and ``Retry-After``, an ``ok: false`` error, a 5xx, or after a delay. It also
serves ``response_url`` posts under ``/response/<name>``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

TEAM_ID = "T0PEER"
BOT_USER_ID = "UBOTPEER"
BOT_TOKEN = "xoxb-000000000000-000000000000-testtokentesttoken"


@dataclass
class Fault:
    """One queued answer: an HTTP status, an error code, a Retry-After, a delay."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    token: str | None
    status: int = 200


class FakeSlackApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.usergroups: dict[str, list[str]] = {}
        # users.info: a member's profile (display_name, real_name) and tz, when a test
        # sets one; otherwise only the old handle and Europe/London.
        self.profiles: dict[str, dict[str, Any]] = {}
        self.zones: dict[str, str] = {}
        self.uploads: dict[str, bytes] = {}
        self.pending_files: dict[str, dict[str, Any]] = {}
        # Files completed into a conversation: filename, alt_txt, length, channel, data.
        self.shared_files: list[dict[str, Any]] = []
        self.socket_acks: list[dict[str, Any]] = []
        self._envelopes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.socket_connected = asyncio.Event()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._always: dict[str, Fault] = {}
        self._limits: dict[str, tuple[int, deque[float]]] = {}
        self.limited: Counter[str] = Counter()  # 429s answered by an enforced limit
        self._ts = 0
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- control ------------------------------------------------------------------

    def fail(self, method: str, fault: Fault, *, times: int | None = 1) -> None:
        """Answer ``method`` with ``fault`` the next ``times`` calls (None: every call)."""
        if times is None:
            self._always[method] = fault
        else:
            self._faults[method].extend([fault] * times)

    def limit(self, method: str, per_second: int) -> None:
        """Enforce Slack's limit on ``method``: at most ``per_second`` calls in any
        sliding second; beyond it a 429 with a whole-second Retry-After, as Slack does."""
        self._limits[method] = (per_second, deque())

    def _over_limit(self, method: str) -> bool:
        if method not in self._limits:
            return False
        per_second, window = self._limits[method]
        now = time.monotonic()
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= per_second:
            self.limited[method] += 1
            return True
        window.append(now)
        return False

    def statuses(self, method: str) -> list[int]:
        return [c.status for c in self.calls if c.method == method]

    def bodies(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` calls of ``method`` arrived (or response posts, by name)."""
        async with asyncio.timeout(timeout):
            while len(self.bodies(method)) + len(self.responses.get(method, [])) < count:
                await asyncio.sleep(0.01)

    # ---- server -------------------------------------------------------------------

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _response(self, request: web.Request) -> web.Response:
        """A response_url post; faults queued for method ``response`` apply here."""
        fault = self._faults["response"].popleft() if self._faults["response"] else None
        if fault is not None and fault.status == 429:
            headers = {"Retry-After": str(fault.retry_after or 0)}
            return web.Response(status=429, text="rate limited", headers=headers)
        self.responses[request.match_info["name"]].append(await request.json())
        return web.Response(text="ok")

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to the connected app."""
        await self._envelopes.put(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, push queued envelopes, record the app's acks."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        self.socket_connected.set()

        async def push() -> None:
            while True:
                await ws.send_json(await self._envelopes.get())

        pusher = asyncio.get_running_loop().create_task(push())
        try:
            async for msg in ws:
                if msg.type == web.WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(msg.data))
        finally:
            pusher.cancel()
        return ws

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL; a fault queued for method ``upload`` answers its status."""
        fault = self._faults["upload"].popleft() if self._faults["upload"] else None
        if fault is not None:
            return web.Response(status=fault.status, text="upload refused")
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - uploaded")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body.update(await request.json())
        elif request.can_read_body:
            body.update(dict(await request.post()))
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, body, auth.removeprefix("Bearer ") or None))
        fault = self._faults[method].popleft() if self._faults[method] else None
        fault = fault or self._always.get(method)
        if fault is None and self._over_limit(method):
            fault = Fault(status=429, retry_after=1)
        if fault is not None:
            self.calls[-1].status = fault.status
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status == 429:
                headers = {
                    "Retry-After": str(1 if fault.retry_after is None else fault.retry_after)
                }
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers=headers
                )
            if fault.status >= 500:
                return web.Response(status=fault.status, text="upstream trouble")
            if fault.error:
                return web.json_response({"ok": False, "error": fault.error})
        return web.json_response({"ok": True, **self._answer(method, body)})

    def _complete(self, file_id: str, channel: Any) -> dict[str, Any]:
        """files.completeUploadExternal: the file is shared into ``channel``."""
        meta = self.pending_files.pop(file_id, {})
        self.shared_files.append(_shared(meta, self.uploads.get(file_id), channel))
        return {"id": file_id, "name": meta.get("filename"), "channels": [channel]}

    def _next_ts(self) -> str:
        self._ts += 1
        return f"1767600000.{self._ts:06d}"

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "url": "https://peer.example.slack.com/",
                "team": "Peer Team",
                "user": "peerbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "BPEER",
            }
        if method == "conversations.open":
            users = str(body.get("users", "")).split(",")
            prefix = "D" if len(users) == 1 else "G"
            return {"channel": {"id": prefix + "".join(sorted(users))}}
        if method == "chat.postMessage":
            ts = self._next_ts()
            return {"channel": body.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.postEphemeral":
            return {"message_ts": self._next_ts()}
        if method in ("views.open", "views.publish", "views.update"):
            return {"view": {"id": f"V{len(self.calls)}", **_view(body)}}
        if method == "usergroups.users.list":
            return {"users": self.usergroups.get(str(body.get("usergroup")), [])}
        if method == "apps.connections.open":
            return {"url": f"ws://127.0.0.1:{self.port}/socket"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.calls)}"
            url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
            self.pending_files[file_id] = dict(body)
            return {"upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            return {"files": [self._complete(f["id"], body.get("channel_id"))
                              for f in json.loads(body.get("files", "[]"))]}
        if method == "users.info":
            user = str(body.get("user"))
            return {"user": {"id": user, "name": user.lower(),
                             "tz": self.zones.get(user, "Europe/London"),
                             "profile": self.profiles.get(user, {})}}
        return {}


def _shared(meta: dict[str, Any], data: bytes | None, channel: Any) -> dict[str, Any]:
    """A completed upload as Slack describes it, with the bytes the upload URL got."""
    return {"filename": meta.get("filename"), "alt_txt": meta.get("alt_txt"),
            "length": int(meta.get("length") or 0), "channel": channel, "data": data}


def _view(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view", {})
    return json.loads(view) if isinstance(view, str) else view
