"""Running synchronous core work off the event loop: database lanes and worker processes.

Handlers, job steps and outbox settles are plain sync functions over an SQLite
connection. Run on the event loop they stall every acknowledgement while they compute
or wait for a lock (a 15 s lock held by another process made every Slack ack take
14.6 s). Two mechanisms take them off it:

- :class:`Lane`: one thread that owns one connection. Work submitted to a lane runs in
  order, one call at a time, so a connection is never used from two threads at once and
  one unit of work never interleaves with another on it. The runtime keeps a lane per
  kind of work (members' commands, jobs, delivery), each on its own connection: SQLite
  in WAL mode lets them all read at once and one write at a time, so a long job that
  commits in chunks delays a command by one chunk at most, never by the whole job.
  Chosen over aiosqlite because handlers run many statements in one transaction as
  plain sync code (the house rule); aiosqlite would make every statement a coroutine,
  and it too is one thread per connection with a queue underneath.
- :class:`Compute`: CPU-bound pure functions (matching) in a worker process, so neither
  the loop nor the interpreter lock is held while they run. The function and its
  arguments must be picklable (a module-level function over plain data). Inline mode
  runs them in the caller (tests and the console, whose clock is manual anyway).

Nothing here is module state: the runtime builds one of each and closes them on stop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Lane:
    """A single worker thread: submitted calls run in order, off the event loop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending = 0

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=f"peerbot-{self.name}")
            return self._pool

    @property
    def pending(self) -> int:
        """Calls submitted and not yet finished (queued or running)."""
        return self._pending

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` on the lane's thread and return its result (or raise)."""
        loop = asyncio.get_running_loop()
        self._pending += 1
        try:
            # The caller's context (its request id) goes with the call onto the lane.
            call = functools.partial(contextvars.copy_context().run, fn, *args)
            return await loop.run_in_executor(self._executor(), call)
        finally:
            self._pending -= 1

    def on_lane(self) -> bool:
        """True when called from this lane's own thread."""
        return threading.current_thread().name.startswith(f"peerbot-{self.name}")

    def close(self) -> None:
        """Let queued and running calls finish, then end the thread."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


def _in_event_loop_thread() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def exit_with_parent(parent: int, every: float = 1.0) -> None:
    """In a worker: end when the bot that started it is gone.

    A bot killed with SIGKILL cannot shut its pool down, and a spawned worker blocked
    on its task queue does not notice: it lived on, holding the dead bot's pipes (a
    supervisor waiting for them hangs) and a share of memory, one more per restart.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class Compute:
    """Pure CPU-bound functions in a worker process (or inline, when told to).

    ``run`` is for sync code already off the loop (a job on its lane): it waits for the
    worker. Called on the event loop's thread it refuses, since waiting there would
    stall every request; use ``await run_async`` from coroutines.
    """

    def __init__(self, *, workers: int = 1, inline: bool = False) -> None:
        self.workers = workers
        self.inline = inline
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @classmethod
    def in_process(cls) -> Compute:
        """Run everything in the caller: tests, the console and benchmarks of the engine."""
        return cls(inline=True)

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn: a fork of a process with threads and open SQLite connections
                # can deadlock or corrupt; a spawned worker imports only what it needs.
                context = multiprocessing.get_context("spawn")
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=context,
                    initializer=exit_with_parent, initargs=(os.getpid(),))
            return self._pool

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return fn(*args)
        if _in_event_loop_thread():
            raise RuntimeError("Compute.run would block the event loop; await run_async")
        return self._executor().submit(fn, *args).result()

    async def run_async(self, fn: Callable[..., T], *args: Any) -> T:
        if self.inline:
            return fn(*args)
        future = self._executor().submit(fn, *args)
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
