"""Scheduled work as topics declare it: a stable id, an APScheduler trigger, the work.

Topics register job factories on the router (``router.jobs(factory)``); the scheduler
in ``jobs/`` runs them, under APScheduler in production and on a manual clock in tests
and the console. A job is a plain function of the context: it opens its own units of
work (``bot.store.db.write_transaction``) around each step, so one failing step never
undoes the others, and it never talks to a platform (it enqueues to the outbox).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger

from bot.core.context import AppContext

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
