"""Shared fixtures: a real SQLite file, a manual clock, the wired core, the console."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings, parse_config
from bot.core.model import Actor
from bot.runtime import Assembly, assemble
from bot.store.db import open_database

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def free_port() -> int:
    """A TCP port nobody on this machine is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(data: dict[str, Any] | None = None) -> Settings:
        data = dict(data or {})
        bot = dict(data.get("bot", {}))
        bot.setdefault("database", str(tmp_path / "peerbot.sqlite"))
        data["bot"] = bot
        console = dict(data.get("console", {}))
        console.setdefault("start", START.isoformat())
        data["console"] = console
        # Health and metrics listen on a port of this test's own: the default 9464 may
        # be held by another peerbot (or another test run) on the same machine.
        monitoring = dict(data.get("monitoring", {}))
        monitoring.setdefault("port", free_port())
        data["monitoring"] = monitoring
        return parse_config(data)

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def assembly(settings: Settings, clock: ManualClock) -> Assembly:
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "console")
    db.close()


@pytest.fixture
def actor() -> Callable[..., Actor]:
    def make(user_id: str, workspace_id: str = "console", **kwargs: Any) -> Actor:
        return Actor(workspace_id, user_id, kwargs.pop("display_name", user_id), **kwargs)

    return make


@pytest.fixture
def run_console(settings: Settings) -> Callable[..., str]:
    """Drive the console workspace with a script; return the transcript (without each
    delivery's time in its heading unless ``times=True``: tests of what was said)."""
    from bot.cli import main

    def run(script: str, *, config: Settings | None = None, times: bool = False) -> str:
        out = io.StringIO()
        cfg = config or settings
        path = Path(cfg.bot.database).with_suffix(".toml")
        path.write_text(
            f'[bot]\nplatform = "console"\ndatabase = "{cfg.bot.database}"\n'
            f'[console]\nstart = "{cfg.console.start}"\n'
            f'save_files = "{cfg.console.save_files}"\n'
        )
        code = main(["--config", str(path), "run"], stdin=io.StringIO(script), stdout=out, env={})
        assert code == 0, out.getvalue()
        return out.getvalue() if times else untimed(out.getvalue())

    return run


_DELIVERED_AT = re.compile(r"^(\[(?:DM to |#|group conversation: )[^\]\n]*?), [A-Z][a-z]{2} "
                           r"\d{2} [A-Z][a-z]{2}(?: \d{4})? \d{2}:\d{2} [A-Za-z0-9+-]+\]",
                           re.MULTILINE)


def untimed(transcript: str) -> str:
    """``[DM to alice, Mon 05 Jan 09:00 GMT]`` -> ``[DM to alice]``."""
    return _DELIVERED_AT.sub(r"\1]", transcript)
