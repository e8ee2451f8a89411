"""Migrations of the dashboard (issue 20: 2001-2009), registered by bot.store.migrations.

Never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m2001_dashboard(db: sqlite_utils.Database) -> None:
    """Sign-in links and browser sessions of the facilitators' dashboard.

    Only a SHA-256 of each link token and each session id is stored, so a copy of the
    database (a backup) signs nobody in. ``platform_roles`` keeps what the platform
    vouched for when the link was asked for (a Slack user group, a Discord role); the
    stored role and group duties are re-read on every request. ``groups`` is the JSON
    list of group ids the person facilitated when the link was made: a session never
    sees more than that, and loses a group as soon as the person stops facilitating it.
    """
    run_script(db,
        """
        CREATE TABLE dashboard_links (
            token_hash TEXT PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            platform_roles TEXT NOT NULL,
            groups TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX dashboard_links_user ON dashboard_links (workspace_id, user_id);
        CREATE TABLE dashboard_sessions (
            id_hash TEXT PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            platform_roles TEXT NOT NULL,
            groups TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE INDEX dashboard_sessions_user ON dashboard_sessions (workspace_id, user_id)
        """)
