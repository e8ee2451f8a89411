"""Starting and stopping the running bot's parts: connections per lane, signals, deadlines.

Used by ``bot.runtime.serve``: each lane gets its own connection (SQLite arbitrates
between them), SIGTERM/SIGINT set a stop event instead of killing the process, each
phase of the stop gets what is left of the deadline, and the last step checkpoints
the WAL into the database file so a stopped bot leaves one self-contained file.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import replace

from bot.core.context import AppContext
from bot.store.db import open_database

log = logging.getLogger("peerbot")


def lane_context(ctx: AppContext) -> AppContext:
    """The same parts on a connection of its own (one per lane: SQLite arbitrates)."""
    if ctx.settings.bot.database == ":memory:":
        return ctx
    db = open_database(ctx.settings.bot.database, migrate=False)
    gate = getattr(ctx.db, "write_gate", None)
    if gate is not None:  # the lanes of one process take turns (bot.store.gate)
        db.write_gate = gate
    return replace(ctx, db=db)


def on_signals(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> list[int]:
    """SIGTERM and SIGINT set ``stop`` (only possible on the main thread)."""
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (RuntimeError, ValueError, NotImplementedError):
            continue
        installed.append(sig)
    return installed


async def finish(task: asyncio.Task, seconds: float, what: str) -> None:
    try:
        await asyncio.wait_for(asyncio.shield(task), seconds)
    except TimeoutError:
        log.warning("in-flight %s not finished at the shutdown deadline", what)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    except asyncio.CancelledError:
        if not task.done():
            raise
    except Exception as exc:
        log.error("%s ended with %s", what, type(exc).__name__)


def close_connections(main: AppContext, *lanes: AppContext) -> None:
    """Close the lanes' connections, then checkpoint the WAL into the database file.

    The main connection stays open for whoever opened it (``run`` closes it).
    """
    for ctx in lanes:
        if ctx.db is main.db:
            continue
        try:
            ctx.db.close()
        except Exception as exc:
            log.error("closing a database connection failed: %s", type(exc).__name__)
    try:
        if not main.db.conn.in_transaction:
            main.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:
        log.warning("the final WAL checkpoint did not run: %s", type(exc).__name__)
