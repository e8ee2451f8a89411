"""Serving Slack's requests: over HTTP (the Events API) or Socket Mode, until stopped.

A mixin of :class:`adapters.slack.app.SlackAdapter`, kept apart so the adapter's module
holds the listeners and their work; this one holds how requests arrive.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.response import BoltResponse

from adapters.slack.door import MAX_BODY_BYTES

log = logging.getLogger("peerbot.slack")
EVENTS_PATH = "/slack/events"


class Serving:
    """What the adapter (which sets these) needs to serve."""

    door: Any
    app: Any
    settings: Any
    secrets: Any
    messenger: Any
    client: Any
    _runner: web.AppRunner | None

    async def idle(self) -> None:  # the adapter's: waits for the work requests started
        raise NotImplementedError

    async def receive(self, raw: bytes, headers: Any,
                      query: str = "") -> BoltResponse:
        """One HTTP request, as bytes: through the door (size, signature, parsing), then
        the bolt app. The HTTP server and the tests both come in here."""
        return await self.door.receive(self.app, raw, headers, query)

    async def _on_http(self, request: web.Request) -> web.StreamResponse:
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            self.door.rejects.note("too large")
            return web.json_response({"error": "request too large"}, status=413)
        raw = await request.content.read(MAX_BODY_BYTES + 1)  # never more than the cap
        response = await self.receive(raw, request.headers, request.query_string)
        return await to_aiohttp_response(response)

    async def start_http(self, host: str | None = None,
                         port: int | None = None) -> int:
        """Serve the Events API at /slack/events; returns the port actually bound."""
        slack = self.settings.slack
        host = slack.host if host is None else host
        port = slack.port if port is None else port
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)
        web_app.add_routes([web.post(EVENTS_PATH, self._on_http)])
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("Slack HTTP mode listening on %s:%s%s", host, bound, EVENTS_PATH)
        return bound

    async def stop(self) -> None:
        await self.idle()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.messenger.client is not self.client:
            await self.messenger.close()

    async def run(self) -> None:
        """Serve until cancelled, in the configured mode (Socket Mode or HTTP)."""
        if self.settings.slack.mode == "http":
            await self.start_http()

            async def listening() -> bool:
                return self._runner is not None

            self.messenger.link = listening
            try:
                await asyncio.Event().wait()
            finally:
                await self.stop()
            return
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(self.app, self.secrets.slack_app_token)
        self.messenger.link = handler.client.is_connected
        log.info("Slack Socket Mode connecting")
        try:
            await handler.start_async()
        finally:
            await handler.close_async()
            await self.stop()
