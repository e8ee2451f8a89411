"""A turn at the write lock for the lanes of one process: members first, then in order.

SQLite hands its write lock to whoever asks at the moment it is free. A connection that
finds it taken sleeps in its busy handler (1, 2, 5 ... then 100 ms at a time) and asks
again, so a lane that writes all the time (delivery settling 50 messages a second, a
large round queued in steps) takes it again and again while a member's command sleeps
between its attempts: measured, a `/peer help` waited 0.4-1.5 s for a lock that was
never held for more than 30 ms at a time, and a round's step over 10 s.

Inside one process the lanes' units of work therefore queue here first and only then
take SQLite's lock (which another process may still hold: the busy timeout applies to
that as before). Two queues, each first come, first served:

- **members' units** (a command or a button: ``urgent``, bot.core.dispatch) go before
  every waiting background unit, so under saturation (an introductions' fan-out
  settling, a round written in steps) a member waits for the unit holding the lock and
  the members who asked before them, not for the background queue;
- **background units** (job steps, delivery settles) are never starved: after
  :data:`URGENT_RUN` members' units in a row while one waits, the oldest background
  unit goes next.

Shared by every connection the runtime opens on one database
(bot.core.lifecycle.lane_context), and released whether the unit commits or rolls back.
A waiter that gives up (its ``timeout`` passed) leaves its queue.
"""

from __future__ import annotations

import threading
import time
from collections import deque

URGENT_RUN = 4  # members' units granted in a row while a background unit waits


class _Ticket:
    __slots__ = ("granted",)

    def __init__(self) -> None:
        self.granted = False


class WriteGate:
    """A lock with two FIFO queues: members' units first, background never starved."""

    def __init__(self, urgent_run: int = URGENT_RUN) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._urgent: deque[_Ticket] = deque()
        self._background: deque[_Ticket] = deque()
        self._run = 0  # members' units granted in a row while background waited
        self.urgent_run = urgent_run

    def acquire(self, timeout: float | None = None, *, urgent: bool = False) -> bool:
        """Wait for this caller's turn; False if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            if not self._held and not self._urgent and not self._background:
                self._held = True
                return True
            queue = self._urgent if urgent else self._background
            ticket = _Ticket()
            queue.append(ticket)
            while not ticket.granted:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    queue.remove(ticket)
                    return False
                self._cond.wait(left)
            return True

    def release(self) -> None:
        with self._cond:
            ticket = self._next()
            if ticket is None:
                self._held = False
                return
            ticket.granted = True  # the lock passes straight to it: still held
            self._cond.notify_all()

    def _next(self) -> _Ticket | None:
        if self._urgent and (not self._background or self._run < self.urgent_run):
            self._run = self._run + 1 if self._background else 0
            return self._urgent.popleft()
        self._run = 0
        return self._background.popleft() if self._background else None

    def waiting(self) -> tuple[int, int]:
        """(members' units, background units) waiting now: for tests and metrics."""
        with self._cond:
            return len(self._urgent), len(self._background)
