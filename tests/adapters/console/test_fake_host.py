"""The console needs only a ConsoleHost: no runtime, no database, no scheduler."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from adapters.console.workspace import run_console
from tests.support.hosts import EchoConsoleHost

SCRIPT = "as bob\n/peer hello there\nwait 2d\ntime\nquit\n"


async def test_the_console_runs_on_a_minimal_console_host(settings):
    host = EchoConsoleHost(settings, datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    out = io.StringIO()
    assert await run_console(host, io.StringIO(SCRIPT), out) == 0
    text = out.getvalue()
    assert "You are now bob." in text
    assert "[private reply to bob]\n  echo: hello there\n" in text
    assert "[DM to Bob B., Wed 07 Jan 08:00 UTC]\n  a job ran\n" in text  # delivered then
    assert "1 message(s) delivered" in text
    assert "Clock: Wed 2026-01-07 08:00 UTC" in text
    [invocation] = host.seen
    assert (invocation.actor.user_id, invocation.text) == ("bob", "hello there")
