"""A first-come, first-served turn at the write lock for the lanes of one process.

SQLite hands its write lock to whoever asks at the moment it is free. A connection that
finds it taken sleeps in its busy handler (1, 2, 5 ... then 100 ms at a time) and asks
again, so a lane that writes all the time (delivery settling 50 messages a second, a
large round queued in steps) takes it again and again while a member's command sleeps
between its attempts: measured, a `/peer help` waited 0.4-1.5 s for a lock that was
never held for more than 30 ms at a time, and a round's step over 10 s.

Inside one process the lanes' units of work therefore queue here first, in the order
they asked, and only then take SQLite's lock (which another process may still hold: the
busy timeout applies to that as before). A unit waits for the units that asked before
it, never for the ones that ask after it. Shared by every connection the runtime opens
on one database (bot.core.lifecycle.lane_context), and released whether the unit
commits or rolls back.
"""

from __future__ import annotations

import threading
import time


class WriteGate:
    """A fair (FIFO) lock: tickets are served in the order they were taken."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0  # the next ticket to hand out
        self._serving = 0  # the ticket whose turn it is
        self._abandoned: set[int] = set()  # tickets whose holder stopped waiting

    def acquire(self, timeout: float | None = None) -> bool:
        """Wait for this caller's turn; False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            ticket = self._next
            self._next += 1
            while ticket != self._serving:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    self._abandoned.add(ticket)
                    return False
                self._cond.wait(left)
            return True

    def release(self) -> None:
        with self._cond:
            self._serving += 1
            while self._serving in self._abandoned:  # skip those who gave up waiting
                self._abandoned.discard(self._serving)
                self._serving += 1
            self._cond.notify_all()
