"""`peerbot db migrate [--dry-run]`, `peerbot db vacuum` and `peerbot db restore PATH`.

Each one that changes the database first takes the instance lock
(:mod:`bot.store.instance_lock`), so it refuses while a bot is running on that
database instead of racing it. A restore is checked before anything is touched: the
file must be an SQLite database that passes ``integrity_check`` and ``foreign_key_check``
and carries peerbot's migrations, none newer than this version knows. The database it
replaces is first copied aside (SQLite's backup API, so its WAL is included), and the
swap is a rename, so a crash mid-restore leaves either the old database or the new one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.store.db import SQLITE_MAGIC, StoreError, known_migrations, open_database
from bot.store.instance_lock import instance_lock
from bot.store.migrations import MIGRATIONS, apply_migrations


def migrate(database: str, out: TextIO, *, dry_run: bool = False) -> int:
    """Apply pending migrations now (they also apply at start-up); ``dry_run`` lists them."""
    if dry_run:
        db = open_database(database, migrate=False)
        try:
            pending = [m.name for m in MIGRATIONS.pending(db)]
        finally:
            db.close()
        out.write(f"{len(pending)} migration(s) would be applied"
                  + (": " + ", ".join(pending) if pending else "") + "; nothing was changed\n")
        return 0
    with instance_lock(database, purpose="migrate"):
        db = open_database(database, migrate=False)
        try:
            applied = apply_migrations(db)
        finally:
            db.close()
    out.write(f"{len(applied)} migration(s) applied" + (": " + ", ".join(applied) if applied
                                                         else " (already up to date)") + "\n")
    return 0


def vacuum(database: str, out: TextIO) -> int:
    """Rebuild the file to return the space erased rows left (secure_delete already
    zeroed them); needs the bot stopped, since VACUUM holds the write lock throughout."""
    with instance_lock(database, purpose="vacuum"):
        before = _size(database)
        db = open_database(database, migrate=False)
        try:
            db.execute("VACUUM")
            with db.ensure_autocommit_on():
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        after = _size(database)
    out.write(f"vacuumed {database}: {before:,} -> {after:,} bytes\n")
    return 0


def _size(database: str) -> int:
    return sum(p.stat().st_size for p in _files(Path(database)) if p.exists())


def _files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def inspect_backup(path: Path) -> tuple[list[str], list[str]]:
    """Check a file before restoring it; return (applied, pending) migration names.

    Raises StoreError naming the first problem; opens the file read-only.
    """
    if not path.is_file():
        raise StoreError(f"no backup file at {path}")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise StoreError(f"{path} is not an SQLite database; nothing was restored")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}; nothing was restored") from None
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise StoreError(f"{path} failed its integrity check ({integrity}); "
                             "nothing was restored")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            raise StoreError(f"{path} has rows pointing at missing rows (foreign_key_check); "
                             "nothing was restored")
        try:
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATIONS.name])]
        except sqlite3.Error:
            applied = []
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a readable database ({exc}); nothing was restored") \
            from None
    finally:
        conn.close()
    known = known_migrations()
    if not applied:
        raise StoreError(f"{path} is not a peerbot database (no peerbot migrations); "
                         "nothing was restored")
    newer = [name for name in applied if name not in known]
    if newer:
        raise StoreError(f"{path} was written by a newer peerbot (migration(s) "
                         f"{', '.join(newer)}); nothing was restored")
    return applied, [name for name in known if name not in applied]


def restore(database: str, path: Path, out: TextIO, *, now: datetime | None = None,
            after: Callable[[Path], list[str]] | None = None) -> int:
    """Replace the database with the backup at ``path``, keeping the old one aside.

    ``after`` runs on the restored database while the instance lock is still held, so
    nothing uses it first (the CLI passes the re-erasure of bot/privacy/ledger.py); its
    lines are printed after the restore's own.
    """
    target = Path(database)
    if database == ":memory:":
        raise StoreError("cannot restore into an in-memory database")
    if target.exists() and path.resolve() == target.resolve():
        raise StoreError(f"{path} is the database itself; choose a backup file")
    applied, pending = inspect_backup(path)
    if not target.parent.exists():
        raise StoreError(f"the folder for the database does not exist: {target.parent}")
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    with instance_lock(database, purpose="restore"):
        kept = _keep_current(target, stamp)
        staging = target.with_name(target.name + ".restoring")
        _copy(path, staging)
        for stale in _files(target)[1:]:  # the old WAL must never be replayed into the new
            stale.unlink(missing_ok=True)
        os.replace(staging, target)
        _fsync_dir(target.parent)
        open_database(target, migrate=False).close()  # opens, quick_check passes
        try:
            lines = after(target) if after is not None else []
        except Exception as exc:
            _put_back(target, kept)
            raise StoreError(f"{exc}; the database was put back as it was before the "
                             "restore") from None
    out.write(f"restored {target} from {path} (integrity ok; {len(applied)} migration(s), "
              f"{len(pending)} pending: applied at the next start or by `peerbot db migrate`)\n")
    if kept:
        out.write(f"the database it replaced is kept at {kept}\n")
    for line in lines:
        out.write(line + "\n")
    return 0


def _put_back(target: Path, kept: Path | None) -> None:
    """Undo a swap whose follow-up failed: the database it replaced comes back (or none,
    if there was none), and the restored file's WAL goes with it."""
    for stale in _files(target)[1:]:
        stale.unlink(missing_ok=True)
    if kept is None:
        target.unlink(missing_ok=True)
        return
    staging = target.with_name(target.name + ".restoring")
    _copy(kept, staging)
    os.replace(staging, target)
    _fsync_dir(target.parent)


def _keep_current(target: Path, stamp: str) -> Path | None:
    """A consistent copy of the database being replaced (WAL included), then its WAL
    emptied so nothing of it can be replayed later."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    kept = target.with_name(f"{target.name}.pre-restore-{stamp}")
    source = sqlite3.connect(str(target))
    try:
        _copy_connection(source, kept)
        with contextlib.suppress(sqlite3.Error):
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
    return kept


def _copy(path: Path, destination: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _copy_connection(source, destination)
    finally:
        source.close()


def _copy_connection(source: sqlite3.Connection, destination: Path) -> None:
    destination.unlink(missing_ok=True)
    fd = os.open(destination, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)  # private data
    os.close(fd)
    target = sqlite3.connect(str(destination))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if result != "ok":
        destination.unlink(missing_ok=True)
        raise StoreError(f"the copy at {destination} failed its integrity check ({result}); "
                         "nothing was restored")
    with open(destination, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
