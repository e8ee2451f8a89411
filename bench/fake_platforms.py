"""The loopback fakes of Slack and Discord with the platforms' limits enforced, in a
process of their own (so the bot's CPU figure is the bot's alone).

    .venv/bin/python bench/fake_platforms.py slack --latency 0.05 --port 0

prints ``port <n>`` once listening; ``GET /stats`` returns what was accepted (per
channel), the 429s drawn, and the first and last accepted send times.

Slack (docs.slack.dev/apis/web-api/rate-limits): ``chat.postMessage`` one message per
second per channel with short bursts (a bucket of 3 refilled at 1/s here) plus a
workspace-wide limit Slack does not publish (``--slack-rate``, 50/s by default, the
figure the issue's measurements used); ``conversations.open`` Tier 3, 50 per minute.
Every 429 carries a whole-second ``Retry-After`` as Slack's do.
Discord (discord.com/developers/docs/topics/rate-limits): 50 requests per second per
bot globally (a global 429 with ``retry_after``), and per route the bucket discord.py
reads from ``X-RateLimit-*`` headers: 5 messages per 5 s per channel.
``--latency`` delays every answer (0 or 50 ms in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from tests.support.discord_fake.server import FakeDiscord, reply  # noqa: E402
from tests.support.slack_fake.api import FakeSlackApi  # noqa: E402


class Window:
    """At most ``limit`` events in any sliding ``span`` seconds."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit, self.span = limit, span
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """0 and counted when allowed, else the seconds until a slot frees."""
        while self.times and now - self.times[0] >= self.span:
            self.times.popleft()
        if len(self.times) < self.limit:
            self.times.append(now)
            return 0.0
        return self.span - (now - self.times[0])


class Bucket:
    """A token bucket: ``capacity`` at once, refilled at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.at = capacity, time.monotonic()

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class Stats:
    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()
        self.limited = 0
        self.first = 0.0
        self.last = 0.0

    def accept(self, channel: str) -> None:
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.accepted[channel] += 1

    def json(self) -> dict[str, Any]:
        return {"accepted": dict(self.accepted), "limited": self.limited,
                "first": self.first, "last": self.last}


class LimitedSlack(FakeSlackApi):
    def __init__(self, latency: float, workspace_rate: int) -> None:
        super().__init__()
        self.latency = latency
        self.stats = Stats()
        self.workspace = Window(workspace_rate, 1.0)
        self.opens = Window(50, 60.0)
        self.channels: dict[str, Bucket] = {}
        self.replies = 0
        self.reply_at: dict[str, float] = {}  # first reply per response_url name (epoch s)
        self.reply_body: dict[str, str] = {}  # and its body (GET /reply/{name})

    async def start(self, port: int = 0) -> LimitedSlack:
        app = web.Application()
        app.router.add_get("/stats", self._stats)
        app.router.add_route("*", "/api/{method}", self._limited)
        app.router.add_post("/response/{name}", self._replied)
        app.router.add_get("/reply/{name}", self._reply)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({**self.stats.json(), "replies": self.replies,
                                  "reply_at": self.reply_at})

    async def _replied(self, request: web.Request) -> web.Response:
        """A reply to a slash command through its response_url (counted and timed, not
        kept)."""
        body = await request.read()
        self.replies += 1
        self.reply_at.setdefault(request.match_info["name"], time.time())
        self.reply_body.setdefault(request.match_info["name"], body.decode())
        return web.Response(text="ok")

    async def _reply(self, request: web.Request) -> web.Response:
        return web.Response(text=self.reply_body.get(request.match_info["name"], ""))

    async def _limited(self, request: web.Request) -> web.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        method = request.match_info["method"]
        now = time.monotonic()
        wait = 0.0
        if method == "chat.postMessage":
            if request.content_type == "application/json":
                body = await request.json()
            else:
                body = dict(await request.post())
            channel = str(body.get("channel", ""))
            bucket = self.channels.setdefault(channel, Bucket(3, 1.0))
            wait = self.workspace.wait(now) or bucket.wait(now)
        elif method == "conversations.open":
            wait = self.opens.wait(now)
        if wait:
            self.stats.limited += 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(max(math.ceil(wait), 1))})
        response = await self._api(request)
        if method == "chat.postMessage":
            self.stats.accept(channel)
        self.calls.clear()  # a benchmark makes thousands; keep no history
        return response


class LimitedDiscord(FakeDiscord):
    def __init__(self, latency: float) -> None:
        super().__init__(global_rate=50)
        self.latency = latency
        self.stats = Stats()
        self.routes: dict[str, Window] = {}

    async def start(self, port: int = 0) -> str:  # type: ignore[override]
        app = web.Application()
        app.router.add_get("/stats", self._stats)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._limited)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats.json())

    async def _limited(self, request: web.Request) -> web.StreamResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        path = "/" + request.match_info["tail"]
        is_post = request.method == "POST" and path.endswith("/messages")
        if (limited := self._global_limit()) is not None:
            self.stats.limited += 1
            return limited
        headers: dict[str, str] = {}
        if is_post:
            window = self.routes.setdefault(path, Window(5, 5.0))
            now = time.monotonic()
            if wait := window.wait(now):
                self.stats.limited += 1
                return reply({"message": "You are being rate limited.", "retry_after": wait,
                              "global": False}, 429,
                             {"Retry-After": f"{wait:.3f}", "X-RateLimit-Scope": "user",
                              "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                              "X-RateLimit-Reset-After": f"{wait:.3f}",
                              "X-RateLimit-Bucket": "messages"})
            remaining = 5 - len(window.times)
            reset_after = 5.0 - (now - window.times[0])
            headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": str(remaining),
                       "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                       "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                       "X-RateLimit-Bucket": "messages"}
        body, *_ = await self._read(request)  # (payload, file names, file bytes)
        response = await self._route(request.method, path, body or {})
        if is_post and response.status == 200:
            self.stats.accept(path.split("/")[2])
            for name, value in headers.items():
                response.headers[name] = value
        self.requests.clear()
        self.nonces.clear() if len(self.nonces) > 100_000 else None
        return response


async def serve(platform: str, port: int, latency: float, slack_rate: int) -> None:
    if platform == "slack":
        fake: Any = await LimitedSlack(latency, slack_rate).start(port)
    else:
        fake = LimitedDiscord(latency)
        await fake.start(port)
    print(f"port {fake.port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform", choices=["slack", "discord"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--slack-rate", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(serve(args.platform, args.port, args.latency, args.slack_rate))


if __name__ == "__main__":
    main()
