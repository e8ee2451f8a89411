"""The port the web adapter (adapters/web) is handed: everything the dashboard may ask.

Like :class:`bot.core.ports.Host` for the chat platforms, this keeps the adapter on the
kernel side of the import rules: it speaks HTTP (cookies, forms, headers, templates) and
asks this object for the rest. The runtime wires the implementation
(:class:`bot.dashboard.host.Dashboard`): one unit of work per call, on the web lane.
Pages come back as plain objects for the templates; ``None`` always means "not for this
person" and is answered with the same page as "not found". Every call that takes a
session id checks the session and the person's groups again, in its own unit of work.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.core.config_web import WebSettings


class DashboardHost(Protocol):
    @property
    def web(self) -> WebSettings: ...

    async def link_usable(self, token: str) -> bool:
        """Would this sign-in link work now (without spending it)?"""
        ...

    async def redeem(self, token: str) -> str | None:
        """Spend the link; a new session id, or None (used, expired, forged, refused)."""
        ...

    async def viewer(self, session_id: str) -> Any | None:
        """The session's person with what they may see now (``.csrf``, ``.groups``,
        ``.is_admin``, ``.name``), or None when the session is over or unknown."""
        ...

    async def end(self, session_id: str) -> None: ...

    async def group_page(self, session_id: str, group_id: int) -> Any | None: ...

    async def group_csv(self, session_id: str, group_id: int) -> tuple[str, str] | None:
        """(file name, CSV text) of exactly the figures the group's page shows."""
        ...

    async def audit_page(self, session_id: str) -> Any | None: ...
