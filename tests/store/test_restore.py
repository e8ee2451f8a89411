"""`peerbot db restore PATH`: checked first, refused while the bot runs, never half done."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

import pytest

from bot.cli import main
from bot.store.db import open_database
from bot.store.instance_lock import lock_path
from tests.support.paths import REPO


def config(tmp_path) -> str:
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\nplatform = "console"\ndatabase = "{tmp_path / "live.sqlite"}"\n')
    return str(path)


def make_db(path, workspaces: list[str]) -> None:
    db = open_database(path)
    for ws in workspaces:
        db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES (?, 'slack', 'x')",
                   [ws])
    db.conn.commit()
    db.close()


def workspaces(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM workspaces ORDER BY id")]
    finally:
        conn.close()


def cli(tmp_path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    sys_err = sys.stderr
    sys.stderr = err
    try:
        code = main(["--config", config(tmp_path), *args], stdout=out, env={})
    finally:
        sys.stderr = sys_err
    return code, out.getvalue(), err.getvalue()


def test_backup_then_restore_brings_back_the_data(tmp_path):
    live = tmp_path / "live.sqlite"
    make_db(live, ["T1"])
    assert cli(tmp_path, "db", "backup", str(tmp_path / "b.sqlite"))[0] == 0
    make_db(live, ["T2"])  # written after the backup, and left in the WAL
    assert workspaces(live) == ["T1", "T2"]
    code, out, _ = cli(tmp_path, "db", "restore", str(tmp_path / "b.sqlite"))
    assert code == 0, out
    assert workspaces(live) == ["T1"]
    assert "restored" in out and "integrity ok" in out
    kept = [p for p in tmp_path.iterdir() if ".pre-restore-" in p.name]
    assert len(kept) == 1 and workspaces(kept[0]) == ["T1", "T2"]  # the WAL came along
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert cli(tmp_path, "db", "check")[0] == 0


def test_restore_into_a_missing_database(tmp_path):
    backup = tmp_path / "b.sqlite"
    make_db(backup, ["T9"])
    assert cli(tmp_path, "db", "restore", str(backup))[0] == 0
    assert workspaces(tmp_path / "live.sqlite") == ["T9"]


@pytest.mark.parametrize(("content", "expected"), [
    (None, "no backup file"),
    (b"hello, not a database", "is not an SQLite database"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "nothing was restored"),
])
def test_a_bad_file_is_refused_and_nothing_changes(tmp_path, content, expected):
    live = tmp_path / "live.sqlite"
    make_db(live, ["T1"])
    backup = tmp_path / "b.sqlite"
    if content is not None:
        backup.write_bytes(content)
    code, _, err = cli(tmp_path, "db", "restore", str(backup))
    assert code == 2 and expected in err
    assert workspaces(live) == ["T1"]
    assert not [p for p in tmp_path.iterdir() if "pre-restore" in p.name or "restoring" in p.name]


def test_a_database_that_is_not_peerbots_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    code, _, err = cli(tmp_path, "db", "restore", str(other))
    assert code == 2 and "not a peerbot database" in err


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    backup = tmp_path / "b.sqlite"
    make_db(backup, ["T1"])
    conn = sqlite3.connect(backup)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('peerbot', '9999_from_the_future', 'x')")
    conn.commit()
    conn.close()
    code, _, err = cli(tmp_path, "db", "restore", str(backup))
    assert code == 2 and "newer peerbot" in err and "9999_from_the_future" in err
    assert not (tmp_path / "live.sqlite").exists()


def test_a_corrupt_backup_is_refused(tmp_path):
    backup = tmp_path / "b.sqlite"
    make_db(backup, [f"T{i}" for i in range(300)])
    conn = sqlite3.connect(backup)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'workspaces'").fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(backup.read_bytes())
    start = (root[0] - 1) * size
    data[start + 8: start + 400] = b"\xff" * 392  # scribble over the table's b-tree page
    backup.write_bytes(bytes(data))
    code, _, err = cli(tmp_path, "db", "restore", str(backup))
    assert code == 2 and "nothing was restored" in err


def test_an_older_backup_restores_and_reports_its_pending_migrations(tmp_path):
    from bot.store.migrations import MIGRATIONS

    backup = tmp_path / "b.sqlite"
    db = open_database(backup, migrate=False)
    names = [m.name for m in MIGRATIONS.pending(db)]
    MIGRATIONS.apply(db, stop_before=names[-1])
    db.close()
    code, out, _ = cli(tmp_path, "db", "restore", str(backup))
    assert code == 0 and "1 pending" in out
    code, out, _ = cli(tmp_path, "db", "migrate")
    assert code == 0 and names[-1] in out


def test_restoring_the_database_onto_itself_is_refused(tmp_path):
    live = tmp_path / "live.sqlite"
    make_db(live, ["T1"])
    code, _, err = cli(tmp_path, "db", "restore", str(live))
    assert code == 2 and "the database itself" in err


HOLDER = """
import sys, time
from bot.store.instance_lock import acquire
lock = acquire(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_restore_refuses_while_the_bot_runs(tmp_path):
    """Another process holds the instance lock (as `peerbot run` does): no restore."""
    live = tmp_path / "live.sqlite"
    make_db(live, ["T1"])
    backup = tmp_path / "b.sqlite"
    make_db(backup, ["T2"])
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(live)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "held"
        code, _, err = cli(tmp_path, "db", "restore", str(backup))
        assert code == 2 and "already using the database" in err
        assert f"pid {holder.pid}" in err
        assert workspaces(live) == ["T1"]
        for command in (["db", "migrate"], ["db", "vacuum"]):
            assert cli(tmp_path, *command)[0] == 2
    finally:
        holder.kill()
        holder.wait()  # reaped: the kernel has released its lock, no sleep needed
    assert cli(tmp_path, "db", "restore", str(backup))[0] == 0  # the kernel freed the lock
    assert workspaces(live) == ["T2"]


def test_restore_refuses_while_peerbot_run_holds_the_database(tmp_path):
    """The real `peerbot run` (the console, blocked reading its stdin) holds the lock.

    Deterministic under load: the process says it is ready (the console's first line,
    written after it took the lock) before anything is asserted, and it runs with a
    clean environment, so no ``PEERBOT_*`` override or token leaking from the calling
    shell or an earlier test can point it at another database or platform. Its stderr is
    kept in a file (a pipe nobody reads could fill and block it) and shown on failure.
    """
    live = tmp_path / "live.sqlite"
    backup = tmp_path / "b.sqlite"
    make_db(backup, ["T2"])
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    with open(tmp_path / "run.err", "w+") as errors:
        bot = subprocess.Popen([sys.executable, "-m", "bot", "--config", config(tmp_path),
                                "run"], cwd=tmp_path, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
        try:
            ready = bot.stdout.readline()  # blocks until the console is up: no sleep
            errors.seek(0)
            assert "console workspace" in ready, (ready, errors.read())
            assert lock_holder(live) == bot.pid  # the readiness the test relies on
            code, _, err = cli(tmp_path, "db", "restore", str(backup))
            assert code == 2 and f"pid {bot.pid}" in err, err
            assert "T2" not in workspaces(live)
        finally:
            bot.communicate("quit\n", timeout=120)
    assert bot.returncode == 0
    assert cli(tmp_path, "db", "restore", str(backup))[0] == 0
    assert workspaces(live) == ["T2"]


def lock_holder(database) -> int:
    """The pid written into the instance lock file by the process holding it."""
    return int(lock_path(database).read_text().strip() or 0)
