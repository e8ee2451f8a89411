"""One peerbot process per database: an OS file lock held for the process's life.

Two processes on one database would both run the jobs and both drain the outbox, so
every prompt and introduction would go out twice. ``peerbot run`` (and anything else
that must be alone with the database, such as a restore) takes an exclusive
``flock`` on ``<database>.lock`` first and keeps the file open until it exits. The
kernel drops the lock when the process ends, however it ends (kill -9 included), so a
crash never leaves a stale lock behind that an operator must delete by hand.

The standard library's ``fcntl.flock`` is used rather than a PID file (which outlives a
crash and can name a recycled PID) or a lock inside SQLite (a lock held in the database
would be released by any connection's rollback). The lock file records the holder's PID
only so the refusal can name it; the lock itself is the kernel's.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.store.db import StoreError


class InstanceLockError(StoreError):
    """Another process holds the database; the message says which and what to do."""


def lock_path(database: str | Path) -> Path:
    """The lock file beside the database: ``peerbot.sqlite`` -> ``peerbot.sqlite.lock``."""
    path = Path(database)
    return path.with_name(path.name + ".lock")


@dataclass
class InstanceLock:
    """A held lock; :meth:`release` (or the end of the process) lets the next one in."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

    @property
    def held(self) -> bool:
        return self.fd is not None


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        os.lseek(fd, 0, os.SEEK_SET)
        pid = int(os.read(fd, 32).decode("ascii", "replace").strip() or "0")
        if pid > 0:
            return f" (pid {pid})"
    return ""


def acquire(database: str | Path, *, purpose: str = "run") -> InstanceLock:
    """Take the database's instance lock now, or raise :class:`InstanceLockError`.

    ``":memory:"`` needs no lock (no other process can open it). The returned lock is
    held until :meth:`InstanceLock.release` or process exit.
    """
    if str(database) == ":memory:":
        return InstanceLock(Path(":memory:"), None)
    path = lock_path(database)
    if not path.parent.exists():
        raise StoreError(f"the folder for the database does not exist: {path.parent}")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = _holder(fd)
        os.close(fd)
        raise InstanceLockError(
            f"another peerbot process{holder} is already using the database {database}; "
            f"refusing to {purpose} (two would send every message twice). Stop the other "
            "one first, or point [bot] database at another file."
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    os.fsync(fd)
    return InstanceLock(path, fd)


@contextlib.contextmanager
def instance_lock(database: str | Path, *, purpose: str = "run") -> Iterator[InstanceLock]:
    """Hold the instance lock for the duration of a block (``peerbot run``, a restore)."""
    lock = acquire(database, purpose=purpose)
    try:
        yield lock
    finally:
        lock.release()
