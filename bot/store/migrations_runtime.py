"""Migrations of the runtime's own tables (issue 14's second session: 1411-1419)."""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m1411_outbox_fairness(db: sqlite_utils.Database) -> None:
    """Fair delivery under a rate limit (bot.core.fairness): each row's class
    (0 urgent, 1 normal, 2 bulk), the flow it belongs to (who or what queued it) and its
    place in the fair order (``seq``). Rows queued before this migration are all normal,
    in one flow, at 0: they go first, as they would have."""
    run_script(db,
        """
        ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE outbox ADD COLUMN flow TEXT NOT NULL DEFAULT '';
        ALTER TABLE outbox ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX outbox_fair ON outbox(status, priority, seq);
        CREATE INDEX outbox_flows ON outbox(flow, priority, seq);
        CREATE INDEX outbox_conversation ON outbox(workspace_id, target_key, status, id);
        """
    )
