"""Scheduled work: the scheduler that runs every topic's jobs.

Topics declare their jobs where the rest of the topic lives (``router.jobs(factory)``
in the topic package's ``register``; see docs/architecture.md); this package only runs
them: :mod:`jobs.scheduler` under APScheduler in production and on a manual clock in
tests and the console.
"""

from __future__ import annotations

from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.core.router import Router


def collect_jobs(ctx: AppContext, router: Router) -> list[JobSpec]:
    """Every registered topic's jobs, in topic order; ids must be unique."""
    specs: list[JobSpec] = []
    for factory in router.job_factories:
        specs.extend(factory(ctx))
    ids = [s.id for s in specs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate job ids: {ids}")
    return specs
