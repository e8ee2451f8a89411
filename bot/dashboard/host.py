"""The dashboard's side of :class:`bot.core.ports_web.DashboardHost`: one unit per call.

Every call runs on the web lane (its own thread and SQLite connection, like the commands
lane), as one unit of work: reading a closed week for the first time freezes it, as
`/peer pulse` does, so the page and chat always show the same frozen figures. Each call
that takes a session id re-checks the session and what the person may see, so a
facilitator removed from a group loses it on their next click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.core.config_web import WebSettings
from bot.core.context import AppContext
from bot.core.offload import Lane
from bot.core.timeparse import local_text
from bot.dashboard.access import Access, Viewer
from bot.dashboard.audit_page import AuditPage, audit_page
from bot.dashboard.export_csv import file_name, group_csv
from bot.dashboard.figures import group_figures
from bot.dashboard.page import GroupPage, build_page
from bot.store.db import unit_of_work

T = TypeVar("T")


class Dashboard:
    def __init__(self, ctx: AppContext, lane: Lane | None = None) -> None:
        self.ctx = ctx
        self.lane = lane or Lane("web")

    @property
    def web(self) -> WebSettings:
        return self.ctx.settings.web

    def close(self) -> None:
        self.lane.close()

    async def _unit(self, work: Callable[[], T]) -> T:
        def run() -> T:
            with unit_of_work(self.ctx.db):
                return work()
        return await self.lane.run(run)

    @property
    def _access(self) -> Access:
        return Access(self.ctx.db, self.ctx.clock)

    async def link_usable(self, token: str) -> bool:
        return await self._unit(lambda: self._access.link_usable(token))

    async def redeem(self, token: str) -> str | None:
        return await self._unit(lambda: self._access.redeem(token))

    async def viewer(self, session_id: str) -> Viewer | None:
        return await self._unit(lambda: self._access.viewer(session_id))

    async def end(self, session_id: str) -> None:
        await self._unit(lambda: self._access.end(session_id))

    def _group(self, session_id: str, group_id: int):
        viewer = self._access.viewer(session_id)
        if viewer is None or not viewer.may_see(group_id):
            return None, None
        return viewer, self.ctx.members.group(viewer.workspace_id, group_id)

    async def group_page(self, session_id: str, group_id: int) -> GroupPage | None:
        def work() -> GroupPage | None:
            viewer, group = self._group(session_id, group_id)
            if viewer is None or group is None:
                return None
            zone = self.ctx.members.zone_of(viewer.workspace_id, viewer.user_id)
            now = self.ctx.clock.now()  # plain text: a web page has no platform date token
            return build_page(group_figures(self.ctx, group, zone),
                              local_text(now, zone, now=now))
        return await self._unit(work)

    async def group_csv(self, session_id: str, group_id: int) -> tuple[str, str] | None:
        def work() -> tuple[str, str] | None:
            viewer, group = self._group(session_id, group_id)
            if viewer is None or group is None:
                return None
            zone = self.ctx.members.zone_of(viewer.workspace_id, viewer.user_id)
            figures = group_figures(self.ctx, group, zone)
            return file_name(figures), group_csv(figures)
        return await self._unit(work)

    async def audit_page(self, session_id: str) -> AuditPage | None:
        def work() -> AuditPage | None:
            viewer = self._access.viewer(session_id)
            if viewer is None or not viewer.is_admin:
                return None
            return audit_page(self.ctx, viewer)
        return await self._unit(work)
