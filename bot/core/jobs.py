"""Scheduled work as topics declare it: a stable id, an APScheduler trigger, the work.

Topics register job factories on the router (``router.jobs(factory)``); the scheduler
in ``jobs/`` runs them, under APScheduler in production and on a manual clock in tests
and the console. A job is a plain function of the context: it opens its own units of
work (``bot.store.db.write_transaction``) around each step, so one failing step never
undoes the others, and it never talks to a platform (it enqueues to the outbox).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import sqlite_utils
from apscheduler.triggers.base import BaseTrigger

from bot.core.context import AppContext
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.jobs")
T = TypeVar("T")
JobFunc = Callable[["AppContext"], None]
JobFactory = Callable[["AppContext"], list["JobSpec"]]


@dataclass(frozen=True)
class JobSpec:
    """One recurring job; ``id`` is stable across restarts (APScheduler replaces by id)."""

    id: str
    trigger: BaseTrigger
    func: JobFunc
    misfire_grace_seconds: int = 3600

    def __post_init__(self) -> None:
        if inspect.iscoroutinefunction(self.func):
            raise TypeError(f"job {self.id!r} must be a plain function, not a coroutine: "
                            "it runs inside a database transaction and must not await")


def step(db: sqlite_utils.Database, name: str, work: Callable[[], T]) -> tuple[bool, T | None]:
    """Run one independent step of a job in its own unit of work: (committed, result).

    A step that fails is rolled back alone and logged by its name and error type (the
    traceback at DEBUG), so the job goes on with its other steps and the next run tries
    this one again.
    """
    try:
        with write_transaction(db):
            return True, work()
    except Exception as exc:
        log.error("job step %s failed with %s; the other steps go on", name,
                  type(exc).__name__)
        log.debug("traceback for job step %s", name, exc_info=True)
        return False, None
