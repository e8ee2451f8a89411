"""`peerbot db backup` and `peerbot db check`, and the write check behind ``/readyz``.

The backup uses SQLite's online backup API, which copies a consistent snapshot page by
page while the bot keeps writing, so it is safe to run against a live database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TextIO

from bot.store.db import StoreError, open_database
from bot.store.migrations import MIGRATIONS, applied_migrations


def backup(database: str, path: Path, out: TextIO) -> int:
    if path.exists():
        raise StoreError(f"{path} already exists; choose a new file name for the backup")
    if not path.parent.exists():
        raise StoreError(f"the folder {path.parent} does not exist")
    source = open_database(database, migrate=False, allow_newer=True)
    target = sqlite3.connect(str(path))
    try:
        source.conn.backup(target, pages=256)
    finally:
        target.close()
        source.close()
    check = sqlite3.connect(str(path))
    result = check.execute("PRAGMA integrity_check").fetchone()[0]
    check.close()
    if result != "ok":
        raise StoreError(f"the backup at {path} failed its integrity check: {result}")
    out.write(f"backup written to {path} (integrity ok)\n")
    return 0


def check(database: str, out: TextIO) -> int:
    db = open_database(database, migrate=False)
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    applied = applied_migrations(db) if "_sqlite_migrations" in db.table_names() else []
    pending = [m.name for m in MIGRATIONS.pending(db)]
    out.write(f"integrity: {result}\nforeign keys: {'ok' if not fk else f'{len(fk)} problem(s)'}\n"
              f"migrations applied: {len(applied)}; pending: {', '.join(pending) or 'none'}\n")
    db.close()
    return 0 if result == "ok" and not fk else 2


def writable(database: str, timeout: float) -> tuple[bool, str]:
    """Whether the database takes its write lock within ``timeout`` seconds, on a
    connection of its own (for ``/readyz``: a locked database answers quickly)."""
    try:
        conn = sqlite3.connect(database, timeout=timeout)
    except sqlite3.Error as exc:
        return False, f"cannot open: {exc}"
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return True, "accepts writes"
    except sqlite3.Error as exc:
        return False, f"cannot take the write lock: {exc}"
    finally:
        conn.close()
