"""Migrations of issue 19 part B (onboarding), numbered 1921-1929.

Registered one line each at the end of bot.store.migrations. Never edit one that has
shipped.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m1921_consent_pending(db: sqlite_utils.Database) -> None:
    """The command a consent card interrupted, kept server-side until "Agree" runs it.

    The Agree button carries only ``token`` (random, unguessable); the words typed stay
    here, bound to the member row (deleted with it on erasure) and the card's nonce,
    used once and gone after ``expires_at`` (bot.privacy.pending).
    """
    run_script(db,
        """
        CREATE TABLE consent_pending (
            token TEXT PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            nonce TEXT NOT NULL,
            command TEXT NOT NULL,
            text TEXT NOT NULL,
            channel_id TEXT,
            is_direct INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE INDEX consent_pending_by_member ON consent_pending(workspace_id, user_id);
        """
    )
