"""Migrations: applied once on a fresh database, idempotent, upgrading an old one."""

from __future__ import annotations

import sqlite_utils

from bot.store.db import configure, open_database
from bot.store.migrations import MIGRATIONS, applied_migrations, apply_migrations


def test_fresh_database_gets_every_migration(tmp_path):
    db = open_database(tmp_path / "a.sqlite")
    assert applied_migrations(db) == [m.name for m in MIGRATIONS.pending(sqlite_utils.Database(
        memory=True))]
    assert {"workspaces", "members", "peer_groups", "memberships", "outbox"} <= set(
        db.table_names()
    )


def test_reopening_applies_nothing(tmp_path):
    open_database(tmp_path / "a.sqlite").close()
    db = open_database(tmp_path / "a.sqlite")
    assert apply_migrations(db) == []


def test_existing_database_is_upgraded_in_order(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite_utils.Database(path)
    configure(db)
    MIGRATIONS.apply(db, stop_before="0002_outbox")
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('w', 'console', 'x')")
    db.commit()
    db.close()
    db = open_database(path)
    assert "outbox" in db.table_names()
    assert db.execute("SELECT id FROM workspaces").fetchall() == [("w",)]


def test_pragmas_are_set(tmp_path):
    db = open_database(tmp_path / "a.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_every_table_carries_its_workspace(tmp_path):
    db = open_database(tmp_path / "a.sqlite")
    names = db.table_names()
    # A full-text index and its shadow tables hold rowids of a table that names it.
    indexes = {t for t in names if "_fts" in t and t.split("_fts", 1)[0] in names}
    for table in names:
        if table.startswith("_") or table == "workspaces" or table in indexes:
            continue
        columns = {c.name for c in db[table].columns}
        assert "workspace_id" in columns, table


def test_migrations_are_registered_in_numeric_order():
    names = [m.name for m in MIGRATIONS.pending(sqlite_utils.Database(memory=True))]
    assert names == sorted(names)
    assert len({n[:4] for n in names}) == len(names)
