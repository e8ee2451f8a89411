"""A database that is corrupt, locked or not a database: a clear error, nothing written."""

from __future__ import annotations

import sqlite3

import pytest

from bot.cli import main
from bot.store.db import StoreError, open_database


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 20)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a peerbot database"):
        open_database(path)
    assert path.read_bytes() == before


def test_corrupt_database(tmp_path):
    path = tmp_path / "c.sqlite"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"corrupt|integrity"):
        open_database(path)


def test_locked_database(tmp_path, monkeypatch):
    import bot.store.db as store

    path = tmp_path / "l.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE x (a)")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    with pytest.raises(StoreError, match="locked by another process"):
        open_database(path)
    holder.execute("ROLLBACK")
    holder.close()
    db = open_database(path)
    assert "x" not in db.table_names()


def test_cli_reports_bad_database_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("plain text")
    cfg = tmp_path / "peerbot.toml"
    cfg.write_text(f'[bot]\nplatform = "console"\ndatabase = "{bad}"\n')
    assert main(["--config", str(cfg), "run"], env={}) == 2
    assert "not a peerbot database" in capsys.readouterr().err
