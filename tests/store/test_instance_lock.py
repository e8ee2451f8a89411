"""One peerbot per database: a second `peerbot run` refuses with a clear message, and a
crashed holder (kill -9) never leaves a lock behind."""

from __future__ import annotations

import io
import signal
import subprocess
import sys

import pytest

from bot.cli import main
from bot.store.db import StoreError
from bot.store.instance_lock import InstanceLockError, acquire, instance_lock, lock_path
from tests.support.paths import REPO

HOLDER = """
import sys, time
from bot.store.instance_lock import acquire
lock = acquire(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def _holder(db: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, db], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_holder_in_another_process_is_refused_and_named(tmp_path):
    db = str(tmp_path / "peerbot.sqlite")
    proc = _holder(db)
    try:
        with pytest.raises(InstanceLockError, match=rf"pid {proc.pid}\).*already using"):
            acquire(db)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    acquire(db).release()  # the kernel dropped the dead process's lock: no stale file


def test_a_second_run_on_the_same_database_exits_2_without_touching_it(tmp_path, capsys):
    db = tmp_path / "peerbot.sqlite"
    cfg = tmp_path / "peerbot.toml"
    cfg.write_text(f'[bot]\nplatform = "console"\ndatabase = "{db}"\n')
    with instance_lock(db):
        code = main(["--config", str(cfg), "run"], stdin=io.StringIO("quit\n"), env={})
    assert code == 2
    err = capsys.readouterr().err
    assert "another peerbot process" in err and "already using the database" in err
    assert not db.exists()  # refused before opening (let alone migrating) it


def test_the_lock_is_released_when_run_returns(tmp_path):
    db = tmp_path / "peerbot.sqlite"
    cfg = tmp_path / "peerbot.toml"
    cfg.write_text(f'[bot]\nplatform = "console"\ndatabase = "{db}"\n')
    out = io.StringIO()
    assert main(["--config", str(cfg), "run"], stdin=io.StringIO("quit\n"), stdout=out,
                env={}) == 0
    assert main(["--config", str(cfg), "run"], stdin=io.StringIO("quit\n"), stdout=out,
                env={}) == 0
    acquire(db).release()


def test_the_same_process_cannot_take_it_twice_and_release_is_idempotent(tmp_path):
    db = tmp_path / "peerbot.sqlite"
    first = acquire(db)
    with pytest.raises(InstanceLockError):
        acquire(db)
    first.release()
    first.release()
    assert not first.held
    assert lock_path(db).name == "peerbot.sqlite.lock"
    acquire(db).release()


def test_memory_databases_and_missing_folders(tmp_path):
    assert not acquire(":memory:").held
    with pytest.raises(StoreError, match="folder for the database does not exist"):
        acquire(tmp_path / "nowhere" / "peerbot.sqlite")
