"""A person's dashboard data: when they asked for links and signed in; nothing else.

Exported as times only (never a token: only hashes are stored, and they are useless to
the member). Erasure deletes every link and session of the person, which also signs
them out everywhere. The daily retention job deletes links and sessions that can no
longer be used, whatever the retention cutoff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.core.context import AppContext
from bot.dashboard.access import Access
from bot.store.rows import fetch_dicts


def export_dashboard(db: sqlite_utils.Database, workspace_id: str,
                     user_id: str) -> dict[str, Any]:
    where = "WHERE workspace_id = ? AND user_id = ? ORDER BY created_at"
    return {
        "sign_in_links": fetch_dicts(db, "SELECT created_at, expires_at, used_at"
                                         f" FROM dashboard_links {where}", [workspace_id, user_id]),
        "sessions": fetch_dicts(db, "SELECT created_at, expires_at, ended_at"
                                    f" FROM dashboard_sessions {where}", [workspace_id, user_id]),
    }


def erase_dashboard(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    params = [workspace_id, user_id]
    return (db.execute("DELETE FROM dashboard_links WHERE workspace_id = ? AND user_id = ?",
                       params).rowcount
            + db.execute("DELETE FROM dashboard_sessions WHERE workspace_id = ? AND user_id = ?",
                         params).rowcount)


def expire_dashboard(ctx: AppContext, cutoff: datetime) -> dict[str, int]:
    """Spent and expired links and sessions go at once (``cutoff`` is for member data)."""
    return Access(ctx.db, ctx.clock).expire(ctx.clock.now())
