"""The one registry of schema migrations and the helper they share.

Its own module so that the migrations can live in more than one file (see
bot/store/migrations.py and bot/store/migrations_later.py) without an import cycle.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("peerbot")


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)
