"""Searching logs and database files for secrets: shared by the secret-leak tests."""

from __future__ import annotations

import socket
from pathlib import Path

from bot.core.logsafe import TOKEN_PATTERNS


def leaks(text: str, secrets: list[str]) -> list[str]:
    found = [s[:6] + "..." for s in secrets if s and s in text]
    return found + [p.pattern for p in TOKEN_PATTERNS if p.search(text)]


def database_text(path: str) -> str:
    return "".join(Path(path + s).read_bytes().decode("latin-1")
                   for s in ("", "-wal", "-shm") if Path(path + s).exists())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
