"""Listening and stopping: the dashboard's aiohttp site, started by `peerbot run`."""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.web.app import build_app
from bot.core.config import ConfigError
from bot.core.ports_web import DashboardHost

log = logging.getLogger("peerbot.web")


class WebServer:
    def __init__(self, host: DashboardHost) -> None:
        self.host = host
        self._runner: web.AppRunner | None = None

    async def start(self, port: int | None = None) -> int:
        """Listen on ``[web] host:port`` (``port=0``: a free one, for tests); the port."""
        cfg = self.host.web
        # No access log: a sign-in link's token is in its path.
        self._runner = web.AppRunner(build_app(self.host), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, cfg.host, cfg.port if port is None else port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise ConfigError(
                f"config error: cannot listen on {cfg.host}:{cfg.port} for the dashboard "
                f"({exc.strerror}); set [web] port (PEERBOT_WEB__PORT) to a free port, or "
                "enabled = false") from None
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("dashboard on %s (listening on %s:%s)", cfg.root, cfg.host, bound)
        return bound

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
