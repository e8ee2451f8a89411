"""Wiring the dashboard into `peerbot run`: started beside the platform, stopped with it.

Part of the composition root (like bot.runtime): it is the one place that knows both the
web adapter (adapters/web) and the dashboard's host (bot/dashboard/host.py), which runs
each request on its own lane and SQLite connection. Off unless ``[web] enabled``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.core.context import AppContext
from bot.core.lifecycle import lane_context
from bot.core.offload import Lane


@dataclass
class RunningDashboard:
    ctx: AppContext
    lane_ctx: AppContext
    server: object
    lane: Lane

    async def stop(self) -> None:
        """Stop listening (in-flight requests finish), then end the lane and its connection."""
        await self.server.stop()  # type: ignore[attr-defined]
        await asyncio.to_thread(self.lane.close)
        _close_own(self.ctx, self.lane_ctx)


def _close_own(ctx: AppContext, lane_ctx: AppContext) -> None:
    """Close the web lane's connection only: the main one (and its final checkpoint) is
    `serve`'s, and may be in use on the commands lane at this moment."""
    if lane_ctx.db is not ctx.db:
        lane_ctx.db.close()


async def start_dashboard(ctx: AppContext, port: int | None = None) -> RunningDashboard | None:
    if not ctx.settings.web.enabled:
        return None
    from adapters.web import WebServer
    from bot.dashboard.host import Dashboard

    lane_ctx, lane = lane_context(ctx), Lane("web")
    server = WebServer(Dashboard(lane_ctx, lane))
    try:
        await server.start(port)
    except BaseException:
        lane.close()
        _close_own(ctx, lane_ctx)
        raise
    return RunningDashboard(ctx, lane_ctx, server, lane)
