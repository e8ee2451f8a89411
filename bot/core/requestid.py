"""One id per incoming event (and per job run), carried by every log line it causes and
stored on the outbox rows it queues, so a send that fails hours later names the
command or job that queued it.

The id lives in a :class:`contextvars.ContextVar`: the one piece of module-level state
in the core, because it *is* per-task state; asyncio tasks and the lanes
(:class:`bot.core.offload.Lane` copies the caller's context) each see their own value.
It is random (never derived from a user id or the text of a command).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("peerbot_request_id", default=None)


def new_request_id(prefix: str = "r") -> str:
    """``r-3f9c1a2b7d4e``: 48 random bits, short enough to read in a log line."""
    return f"{prefix}-{secrets.token_hex(6)}"


def current_request_id() -> str | None:
    return REQUEST_ID.get()


@contextlib.contextmanager
def request_scope(request_id: str | None = None, *, prefix: str = "r") -> Iterator[str]:
    """Everything inside (logs, outbox rows) carries ``request_id`` (a new one if None)."""
    value = request_id or new_request_id(prefix)
    token = REQUEST_ID.set(value)
    try:
        yield value
    finally:
        REQUEST_ID.reset(token)
