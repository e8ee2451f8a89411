"""The re-erasure ledger: erasures survive the restore of a backup taken before them.

A backup is a copy of the database at one moment; restoring one taken before a member
ran forget-me would bring them back. So every erasure also appends one line to a ledger
file beside the pseudonym key (``<database>.erasures``, mode 0600, never inside the
database) naming the erased member only by their keyed pseudonym
(:mod:`bot.privacy.pseudonym`), and the same unit of work writes the line's random id
into the database (``privacy_erasures``). A database "has seen" exactly the erasures
whose ids it holds; after a restore, every ledger line the restored database has not
seen is an erasure made after that backup was taken, and is applied again
(:func:`reapply`) before the database is used: by ``peerbot db restore`` and, for a
database copied back by hand, at every start.

Why ids rather than times: clocks and backup tools disagree, ids do not. A member who
was erased, came back, and was backed up again is not erased by a restore of that
later backup: it already holds the id. Why the pseudonym: the ledger must say whom to
erase without naming anyone; with the key it matches the same platform id again and
nothing else, without it it matches nobody (so the restore refuses when the key is
missing but the ledger is not). The line is written (and fsynced) *before* the
erasure commits: a crash cannot lose it; an erasure that then failed is applied at the
next start or restore, which is what the member asked for.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from bot.core.ports import Clock
from bot.privacy.pseudonym import key_path, pseudonym

SUFFIX = ".erasures"
TABLE = "privacy_erasures"
# Columns that may hold a platform user id: every topic names them ..._id or ..._by.
ID_SUFFIXES = ("_id", "_by")
NOT_PEOPLE = {"workspace_id", "group_id", "prompt_id", "round_id", "request_id",
              "resource_id", "question_key"}


class LedgerError(Exception):
    """The ledger cannot be read or matched; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    id: str
    workspace_id: str
    who: str  # the keyed pseudonym, never the id
    at: str


def mark_seen(db: sqlite_utils.Database, clock: Clock, entry: Entry) -> None:
    db.execute("INSERT OR IGNORE INTO privacy_erasures (workspace_id, entry, applied_at)"
               " VALUES (?, ?, ?)", [entry.workspace_id, entry.id, clock.now().isoformat()])


@dataclass
class Reapplied:
    """What a reconciliation did: erasures the database had not seen, and how many of
    them found someone to erase."""

    entries: int = 0
    members: list[tuple[str, str]] = field(default_factory=list)

    def sentence(self) -> str:
        if not self.entries:
            return "re-applied 0 erasures (this database has seen every recorded erasure)"
        found = len(self.members)
        return (f"re-applied {self.entries} erasure(s) recorded after this backup was taken "
                f"({found} found someone to erase in it, {self.entries - found} had "
                "nothing left to erase)")


def ledger_path(db: sqlite_utils.Database) -> Path | None:
    key = key_path(db)
    return key.with_name(key.name[: -len(".key")] + SUFFIX) if key is not None else None


def record(db: sqlite_utils.Database, clock: Clock, workspace_id: str, user_id: str,
           entry: str | None = None) -> str | None:
    """Append this erasure to the ledger (durably) and mark the database as having seen
    it, inside the caller's unit of work. ``entry`` re-marks an existing ledger line (a
    re-application) instead of writing a new one. None for an in-memory database."""
    path = ledger_path(db)
    if path is None:
        return None
    if entry is None:
        entry = secrets.token_hex(16)
        line = json.dumps({"id": entry, "workspace": workspace_id,
                           "who": pseudonym(db, workspace_id, user_id),
                           "at": clock.now().isoformat(timespec="seconds")})
        _append(path, line)
    db.execute("INSERT OR IGNORE INTO privacy_erasures (workspace_id, entry, applied_at)"
               " VALUES (?, ?, ?)", [workspace_id, entry, clock.now().isoformat()])
    return entry


def _append(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(db: sqlite_utils.Database) -> list[Entry]:
    """Every ledger line, oldest first (empty without a ledger)."""
    path = ledger_path(db)
    if path is None or not path.exists():
        return []
    found = []
    lines = path.read_text().splitlines()
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            item = json.loads(text)
            found.append(Entry(item["id"], item["workspace"], item["who"], item["at"]))
        except (ValueError, KeyError, TypeError):
            if number == len(lines):
                continue  # a line cut short by a crash mid-append: its erasure never ran
            raise LedgerError(f"{path} line {number} is damaged; nothing was re-applied. "
                              "Restore the file from its own copy or remove that line.") \
                from None
    return found


def unseen(db: sqlite_utils.Database) -> list[Entry]:
    """Ledger lines this database has not seen: erasures made after it was copied."""
    recorded = entries(db)
    if not recorded:
        return []
    seen = ({row[0] for row in db.execute(f"SELECT entry FROM {TABLE}")}
            if TABLE in db.table_names() else set())
    todo = [e for e in recorded if e.id not in seen]
    key = key_path(db)
    if todo and (key is None or not key.exists()):
        raise LedgerError(f"the erasure ledger {ledger_path(db)} needs its key {key}, which "
                          "is missing: without it no erased member can be recognised. Put "
                          "the key file back beside the database; nothing was re-applied.")
    return todo


def people(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """Every (workspace, id) the database names in a column that may hold a person."""
    found: set[tuple[str, str]] = set()
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        if "workspace_id" not in columns:
            continue
        for column in columns:
            if column in NOT_PEOPLE or not column.endswith(ID_SUFFIXES):
                continue
            rows = db.execute(f"SELECT DISTINCT workspace_id, [{column}] FROM [{table}]"
                              f" WHERE typeof([{column}]) = 'text'")
            found.update((str(ws), str(value)) for ws, value in rows)
    return found
