"""Open the SQLite database with the pragmas our promises depend on.

WAL with synchronous=FULL so an acknowledged answer survives a power cut; a busy
timeout so a short lock is waited out rather than losing a write; foreign keys so
erasure cascades; secure_delete so erased rows are overwritten, not merely unlinked.
Problems are raised as :class:`StoreError` with a sentence an operator can act on,
before any migration writes anything.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from bot.store.gate import WriteGate
from bot.store.migrations import MIGRATIONS, applied_migrations, apply_migrations

# A write waits up to this long for another connection's lock. The promise is "a
# database locked for 10 s loses no answer", so the timeout keeps a 3x margin over it
# (tests/test_faults_lock.py; docs/reliability.md).
BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class StoreBusy(StoreError):
    """Another connection held the write lock longer than this unit could wait.

    Nothing was written (the unit never began). Members are told so honestly; background
    writers (delivery settles, job steps) wait and try again.
    """


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy": a wait, not a fault."""
    if isinstance(exc, StoreBusy):
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read database file {path}: {exc.strerror}") from None
    if header != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a peerbot database (not an SQLite file). "
            "Point [bot] database at another path, or move this file away."
        )


def configure(db: sqlite_utils.Database) -> None:
    """Apply the connection pragmas; safe to call on every new connection."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    with db.ensure_autocommit_on():
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")


@contextlib.contextmanager
def unit_of_work(db: sqlite_utils.Database, *, wait: float | None = None,
                 urgent: bool = False) -> Iterator[sqlite_utils.Database]:
    """One command, button press or job step: all of its writes commit together, or none.

    The caller that owns the work (the dispatcher for a command, a job for each of its
    steps) opens it; services only run inside it and never commit. It rolls back on any
    exception, so an error reply can truthfully say nothing was changed. Opening one
    while another transaction is open is a bug, and raises.

    It takes the write lock first (``BEGIN IMMEDIATE``): in WAL mode a transaction that
    *reads* first and writes later cannot wait for another writer; SQLite fails its
    first write at once with "database is locked" (the busy timeout is not applied,
    since its snapshot may be stale). Taking the lock first waits a busy database out.

    ``wait`` caps that wait (seconds; the connection's busy timeout otherwise): past it
    :class:`StoreBusy` is raised and nothing was written, so a member's command can be
    answered "busy, try again" in time instead of silently waiting out a long lock.

    A connection with a ``write_gate`` (:class:`~bot.store.gate.WriteGate`, shared by
    the runtime's lanes) first waits its turn behind the units of this process that
    asked before it, within the same ``wait``; an ``urgent`` unit (a member's command or
    button) before every waiting background unit (job steps, delivery settles).
    """
    if db.conn.in_transaction:
        raise RuntimeError("a unit of work cannot start inside an open transaction")
    gate: WriteGate | None = getattr(db, "write_gate", None)
    if gate is not None:  # this process's lanes take turns first (bot.store.gate)
        asked = time.monotonic()
        if not gate.acquire(BUSY_TIMEOUT_MS / 1000 if wait is None else wait,
                            urgent=urgent):
            raise StoreBusy("the database stayed busy with this process's other work")
        if wait is not None:
            wait = max(wait - (time.monotonic() - asked), 0.0)
    try:
        _begin(db, wait)
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
        if db.conn.in_transaction:
            db.conn.commit()
    finally:
        if gate is not None:
            gate.release()


def _begin(db: sqlite_utils.Database, wait: float | None) -> None:
    if wait is not None:
        db.execute(f"PRAGMA busy_timeout = {max(int(wait * 1000), 0)}")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise StoreBusy("the database stayed locked by another connection") from None
        raise
    finally:
        if wait is not None:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A unit of work, or a savepoint when one is already open (like ``db.atomic()``).

    For the owners of units that may also run nested: a job step, a delivery settle.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    with unit_of_work(db):
        yield db


def known_migrations() -> list[str]:
    """Every migration this version ships, in order."""
    return [m.name for m in MIGRATIONS.pending(sqlite_utils.Database(memory=True))]


def unknown_migrations(db: sqlite_utils.Database) -> list[str]:
    """Migrations recorded in ``db`` that this version does not ship: a newer peerbot
    wrote it."""
    known = set(known_migrations())
    return [name for name in applied_migrations(db) if name not in known]


def refuse_newer(db: sqlite_utils.Database, path: str | Path) -> None:
    """Stop before touching a database that a newer peerbot has migrated: this version
    would misread its tables, and downgrading the schema is not something we do."""
    newer = unknown_migrations(db)
    if newer:
        raise StoreError(
            f"the database {path} was written by a newer peerbot (it has migration(s) "
            f"{', '.join(newer)} that this version does not know). Nothing was changed: "
            "run the newer peerbot, or restore a backup taken before the upgrade "
            "(peerbot db restore PATH)."
        )


def open_database(path: str | Path, *, migrate: bool = True,
                  allow_newer: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``.

    ``":memory:"`` is accepted for quick tests of pure logic; everything user-facing
    uses a real file. A database from a newer version is refused (StoreError) unless
    ``allow_newer`` (a backup may copy it; nothing may read its tables).
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _check_file(path)
        if path.parent and not path.parent.exists():
            raise StoreError(f"the folder for the database does not exist: {path.parent}")
    try:
        # Not bound to the opening thread: each connection is used by one lane's thread
        # at a time (bot.core.offload), after being opened and migrated here.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        db = sqlite_utils.Database(conn)
        configure(db)
        result = db.execute("PRAGMA quick_check").fetchone()
        if result is None or result[0] != "ok":
            raise StoreError(
                f"the database {path} failed its integrity check ({result[0] if result else '?'}). "
                "Restore it from a backup (peerbot db backup) or run `peerbot db check`."
            )
        if not allow_newer:
            refuse_newer(db, path)
        if migrate:
            apply_migrations(db)
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreError(
                f"the database {path} is locked by another process (is another peerbot "
                "running?). Nothing was changed."
            ) from None
        if "not a database" in text or "malformed" in text:
            raise StoreError(
                f"the database {path} is corrupt or not a peerbot database ({text}). "
                "Nothing was changed; restore it from a backup."
            ) from None
        raise StoreError(f"cannot open the database {path}: {text}") from None
    return db
