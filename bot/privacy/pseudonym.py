"""One-way keyed pseudonyms for the few records that must outlive a member's erasure.

A don't-pair entry another member declared about someone must keep protecting the
declarer after that someone erases their data (were they to come back with the same
platform id, they must still never be paired). Keeping their id would break the
promise that nothing names them, so the entry keeps ``HMAC-SHA256(key, workspace, id)``
instead: it cannot be turned back into an id, and it matches only when the same id is
presented again.

The key lives in a file beside the database (``<database>.key``, mode 0600), never in
the database: someone holding only the database or a backup cannot even test a guessed
id against a pseudonym. Losing the key file makes the old pseudonyms match nobody (the
erased person stays unnamed; only the declarer's protection against their return is
lost). An in-memory database (quick tests) keeps its key in a TEMP table of its
connection, which dies with it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import sqlite_utils

PREFIX = "erased:"
KEY_BYTES = 32


def key_path(db: sqlite_utils.Database) -> Path | None:
    """The key file of this database, or None for an in-memory one."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file + ".key") if file else None
    return None


def _file_key(path: Path) -> bytes:
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return key


def _memory_key(db: sqlite_utils.Database) -> bytes:
    db.execute("CREATE TEMP TABLE IF NOT EXISTS privacy_key (k BLOB NOT NULL)")
    row = db.execute("SELECT k FROM privacy_key").fetchone()
    if row:
        return bytes(row[0])
    key = secrets.token_bytes(KEY_BYTES)
    db.execute("INSERT INTO privacy_key (k) VALUES (?)", [key])
    return key


def erasure_key(db: sqlite_utils.Database) -> bytes:
    path = key_path(db)
    return _file_key(path) if path is not None else _memory_key(db)


def pseudonym(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> str:
    """``erased:<32 hex>``: the same for the same (workspace, id), unlinkable otherwise."""
    digest = hmac.new(erasure_key(db), f"{workspace_id}\x00{user_id}".encode(),
                      hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]


def is_pseudonym(value: str) -> bool:
    return value.startswith(PREFIX)
