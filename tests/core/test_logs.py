"""Log lines: text or JSON, no token, no typed text, no locals; tracebacks only at DEBUG;
one request id per incoming event, carried onto the outbox rows it queues and into the
log lines of their sends."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.core.logsafe import configure_logging, safe_traceback
from bot.core.model import Actor, Invocation
from bot.core.ports import Undeliverable
from bot.core.requestid import current_request_id, request_scope
from tests.support.world import WS, World

TOKEN = "xoxb-1111111111-2222222222-abcdefghijklmnop"
TYPED = "I cannot cope with Mr Quentin Example any more"


@pytest.fixture
def logs():
    """The CLI's logging set-up on a stream; the root logger is restored after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    stream = io.StringIO()

    def setup(fmt: str = "text", level: str = "DEBUG") -> io.StringIO:
        configure_logging(level, fmt, [TOKEN], stream)
        return stream

    yield setup
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def failing(secret_local: str) -> None:
    note = secret_local  # a local that must never reach a log
    try:
        raise KeyError(note)
    except KeyError as exc:
        raise ValueError(f"bad input: {note}") from exc


def test_json_lines_carry_the_fields_and_never_the_token(logs):
    stream = logs("json")
    log = logging.getLogger("peerbot.test")
    with request_scope("r-0123456789ab"):
        log.info("workspace %s answered with %s", "T1", TOKEN)
    log.warning("outside any request")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "peerbot.test"
    assert lines[0]["request_id"] == "r-0123456789ab"
    assert lines[0]["message"] == "workspace T1 answered with [redacted]"
    assert "time" in lines[0]
    assert lines[1]["request_id"] == "-"
    assert TOKEN not in stream.getvalue()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_traceback_at_debug_has_frames_but_no_message_and_no_locals(logs, fmt):
    stream = logs(fmt)
    try:
        failing(TYPED + " " + TOKEN)
    except ValueError:
        logging.getLogger("peerbot.test").debug("command failed", exc_info=True)
    out = stream.getvalue()
    assert "test_logs.py" in out and "failing" in out  # the frames are there
    assert "ValueError: [message redacted]" in out and "KeyError: [message redacted]" in out
    assert "Quentin" not in out and TOKEN not in out
    if fmt == "json":
        record = json.loads(out.splitlines()[0])
        assert "ValueError: [message redacted]" in record["traceback"]


def test_without_debug_an_error_names_the_exception_type_only(logs):
    stream = logs("text", level="INFO")
    try:
        failing(TYPED)
    except ValueError:
        logging.getLogger("peerbot.test").exception("home section failed")
    out = stream.getvalue()
    assert "home section failed (ValueError; traceback at DEBUG)" in out
    assert "Traceback" not in out and "Quentin" not in out


def test_safe_traceback_excludes_locals_even_when_asked_to_render_frames():
    try:
        failing(TYPED)
    except ValueError as exc:
        text = safe_traceback(exc)
    assert "raise KeyError(note)" in text  # the source line, which is code
    assert "Quentin" not in text  # neither the message nor the local it came from


async def test_each_event_gets_its_own_request_id_and_it_reaches_the_outbox(tmp_path, logs):
    stream = logs("text")
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan")
    seen: list[str | None] = []

    original = w.core.handle_invocation

    async def spy(inv):
        seen.append(current_request_id())
        return await original(inv)

    w.core.handle_invocation = spy  # type: ignore[method-assign]
    for _ in range(2):  # a round (its intros go to the outbox), then "still running"
        await w.assembly.handle_invocation(Invocation(Actor(WS, "fran", "fran"), "peer",
                                                      "pair round"))
    assert len(seen) == 2 and seen[0] != seen[1]
    assert all(rid and rid.startswith("r-") for rid in seen)
    rows = w.db.execute("SELECT DISTINCT request_id FROM outbox WHERE kind != ''").fetchall()
    assert seen[0] in {r[0] for r in rows}  # the intros carry the id of the event
    assert current_request_id() is None  # nothing leaks out of the event

    class Blocked:
        async def send(self, workspace_id, target, message):
            raise Undeliverable("user blocked the bot")

    w.deliverer.messenger = Blocked()
    await w.drain()
    lines = [line for line in stream.getvalue().splitlines() if "undeliverable" in line]
    assert lines and any(f"[{seen[0]}]" in line for line in lines), stream.getvalue()


async def test_a_job_run_has_a_request_id_on_the_rows_it_queues(tmp_path):
    from datetime import timedelta

    w = World.checkins(tmp_path)
    w.add("alice")
    await w.wait(timedelta(hours=2))  # Monday 09:00: the check-in prompt is queued
    rows = w.db.execute("SELECT request_id FROM outbox").fetchall()
    assert rows and all(r[0] and r[0].startswith("job-") for r in rows)
