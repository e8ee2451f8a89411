"""Retention: what members told us is kept for ``privacy.retention_months``, then removed.

Each topic knows what its data means, so each removes its own: a data owner that keeps
something time-bound registers an ``expire(ctx, cutoff)`` with ``router.owns_data``
(check-ins aggregate k-anonymous weekly means first, see bot/checkins/retention.py).
Settled outbox rows (sent, undeliverable, failed, cancelled) go at the same cutoff: a
buddy nudge or an introduction says more about a member than an aggregate does.
Pending messages are never touched.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.context import AppContext
from bot.core.router import DataOwner


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant ``months`` calendar months earlier (day clamped to month end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionReport:
    cutoff: str
    expired: dict[str, dict[str, int]] = field(default_factory=dict)  # topic -> kind -> rows
    old_messages: int = 0

    @property
    def removed_anything(self) -> bool:
        return bool(self.old_messages) or any(any(c.values()) for c in self.expired.values())


def cutoff(ctx: AppContext) -> datetime:
    return months_before(ctx.clock.now(), ctx.settings.privacy.retention_months)


def purge(ctx: AppContext, owners: Iterable[DataOwner]) -> RetentionReport:
    """Run every data owner's ``expire``, then drop settled messages, all past the cutoff.

    Runs inside the caller's unit of work; the caller then empties the WAL
    (:func:`~bot.privacy.erasure.checkpoint`) so the purged text is gone from the files
    too.
    """
    before = cutoff(ctx)
    report = RetentionReport(cutoff=before.date().isoformat())
    for owner in owners:
        if owner.expire is not None:
            report.expired[owner.topic] = owner.expire(ctx, before)
    report.old_messages = ctx.outbox.purge_settled_before(before)
    return report
