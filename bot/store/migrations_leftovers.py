"""Migrations of issues 12 and 18's leftovers (1211-1219, 1811-1819), registered in order
by bot.store.migrations. Never edit one that has shipped."""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m1211_privacy_erasures(db: sqlite_utils.Database) -> None:
    """The ids of the re-erasure ledger lines this database has seen (bot/privacy/ledger.py).

    A random id and a time only: whom an erasure concerned is in the ledger file beside
    the key, as a keyed pseudonym, never here.
    """
    run_script(db, """
        CREATE TABLE privacy_erasures (
            workspace_id TEXT NOT NULL,
            entry TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL
        )
    """)
