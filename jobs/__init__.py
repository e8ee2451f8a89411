"""Scheduled work. Each topic module exposes ``jobs(ctx) -> list[JobSpec]``.

To add a job module, append it to ``JOB_MODULES``; the runtime collects them at start-up.
"""

from __future__ import annotations

import importlib

from bot.core.context import AppContext
from jobs.scheduler import JobSpec

JOB_MODULES: list[str] = ["bot.privacy.jobs", "bot.checkins.jobs", "bot.pairing.jobs"]


def collect_jobs(ctx: AppContext) -> list[JobSpec]:
    specs: list[JobSpec] = []
    for name in JOB_MODULES:
        specs.extend(importlib.import_module(name).jobs(ctx))
    ids = [s.id for s in specs]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate job ids: {ids}")
    return specs
