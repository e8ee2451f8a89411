"""The facilitators' web dashboard: sign-in links, sessions, and the group picture.

Pure parts, no web framework: who may see what (``access``), the page's figures read
from the same frozen pulse and participation as chat (``figures``), the SVG charts
(``svg``) and the CSV (``export_csv``). ``host`` serves them to the web adapter
(adapters/web) one unit of work per request. See docs/dashboard.md.
"""

from __future__ import annotations

from bot.core.model import Role
from bot.core.router import Router
from bot.dashboard.command import dashboard_link
from bot.dashboard.data import erase_dashboard, expire_dashboard, export_dashboard


def register(router: Router) -> None:
    router.command("admin dashboard", dashboard_link, role=Role.FACILITATOR,
                   summary="a one-time link to your groups' web dashboard (anonymous figures)",
                   usage="admin dashboard")
    router.owns_data("dashboard", export_dashboard, erase_dashboard, expire=expire_dashboard)
