"""`peerbot doctor`, `peerbot db backup` and `peerbot db check`."""

from __future__ import annotations

import io
import sqlite3
import threading

from bot.cli import main
from bot.store.db import open_database


def write_config(tmp_path, extra=""):
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\ndatabase = "{tmp_path / "p.sqlite"}"\n{extra}')
    return path


def test_doctor_reports_console_ok(tmp_path):
    out = io.StringIO()
    cfg = write_config(tmp_path, '[console]\nstart = "now"\n')
    env = {"PEERBOT_BOT__PLATFORM": "console"}
    assert main(["--config", str(cfg), "doctor"], stdout=out, env=env) == 0
    text = out.getvalue()
    assert "[ok] config:" in text and "[ok] database:" in text
    assert "would run: platform=console" in text
    assert "[ok] crisis directory: every entry verified recently" in text


def test_doctor_flags_missing_tokens_without_showing_values(tmp_path):
    cfg = write_config(tmp_path, '[slack]\nmode = "socket"\n')
    out = io.StringIO()
    env = {"SLACK_BOT_TOKEN": "xoxb-1111-2222-abcdefghijkl"}
    assert main(["--config", str(cfg), "doctor"], stdout=out, env=env) == 2
    text = out.getvalue()
    assert "[FAIL] platform: slack: missing environment variable(s) SLACK_APP_TOKEN" in text
    assert "xoxb-1111" not in text


def test_backup_while_another_connection_writes(tmp_path):
    cfg = write_config(tmp_path)
    db = open_database(tmp_path / "p.sqlite")
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('w0', 'console', 'x')")
    db.commit()
    db.close()
    stop = threading.Event()

    def writer():
        conn = sqlite3.connect(tmp_path / "p.sqlite", timeout=10)
        i = 1
        while not stop.is_set() and i < 5000:
            conn.execute("INSERT INTO workspaces (id, platform, created_at) VALUES (?, 'c', 'x')",
                         [f"w{i}"])
            conn.commit()
            i += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        out = io.StringIO()
        target = tmp_path / "backup.sqlite"
        assert main(["--config", str(cfg), "db", "backup", str(target)], stdout=out, env={}) == 0
    finally:
        stop.set()
        thread.join()
    assert "integrity ok" in out.getvalue()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM workspaces WHERE id = 'w0'").fetchone() == (1,)
    copy.close()


def test_backup_refuses_to_overwrite(tmp_path, capsys):
    cfg = write_config(tmp_path)
    existing = tmp_path / "exists.sqlite"
    existing.write_text("keep me")
    assert main(["--config", str(cfg), "db", "backup", str(existing)], env={}) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "keep me"


def test_db_check(tmp_path):
    cfg = write_config(tmp_path)
    open_database(tmp_path / "p.sqlite").close()
    out = io.StringIO()
    assert main(["--config", str(cfg), "db", "check"], stdout=out, env={}) == 0
    assert "integrity: ok" in out.getvalue() and "pending: none" in out.getvalue()
