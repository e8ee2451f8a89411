"""Retention of check-ins: answers and notes past the cutoff go; k-anonymous means stay.

The privacy topic's daily job calls :func:`expire` (registered with
``router.owns_data(..., expire=expire)``) with the cutoff ``privacy.retention_months``
before now, inside its unit of work. Purging works on whole weeks (Monday to Sunday of
the prompt's local date): a week is aggregated and purged as soon as its *first* day
passes the cutoff, so no answer is ever kept longer than promised (some are purged up
to six days early) and each week's aggregate is computed once, complete. Aggregates go
to ``pulse_aggregates`` only for (group, week, question) buckets with at least
``pulse.min_group_size`` distinct respondents; smaller buckets leave no trace. Frozen
pulse weeks describing fewer than k people are dropped at the same cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.audit.log import record
from bot.core.context import AppContext
from bot.store.rows import fetch_all

# The Monday of the week of a prompt's local date: the week's key, as in the pulse.
WEEK_START = "date(p.local_date, '-6 days', 'weekday 1')"


@dataclass(frozen=True)
class _Expiring:
    """How many check-ins of one workspace are past the cutoff."""

    workspace_id: str
    prompts: int


def expire(ctx: AppContext, cutoff: datetime) -> dict[str, int]:
    """Aggregate, then delete, every check-in week that began before ``cutoff``.

    Runs inside the caller's unit of work and records one audit entry per workspace
    that lost check-ins; returns how many rows of each kind went (or were aggregated).
    """
    day = cutoff.date().isoformat()
    k = ctx.settings.pulse.min_group_size
    aggregated = _aggregate(ctx, day, k)
    expiring = fetch_all(
        ctx.db, _Expiring,
        f"SELECT p.workspace_id, count(*) AS prompts FROM checkin_prompts p WHERE {WEEK_START}"
        " < ? GROUP BY p.workspace_id",
        [day],
    )
    answers = ctx.db.execute(
        "DELETE FROM checkin_answers WHERE prompt_id IN (SELECT p.id FROM"
        f" checkin_prompts p WHERE {WEEK_START} < ?)",
        [day],
    ).rowcount
    prompts = ctx.db.execute(
        f"DELETE FROM checkin_prompts AS p WHERE {WEEK_START} < ?", [day]
    ).rowcount
    small = _drop_small_pulse(ctx.db, cutoff.isoformat(), k)
    for workspace in expiring:
        record(ctx, "scheduler", "privacy.retention",
               f"purged {workspace.prompts} check-in(s) from weeks before {day}",
               workspace_id=workspace.workspace_id)
    return {"prompts": prompts, "answers": answers, "aggregates": aggregated,
            "small_pulse_rows": small}


def _aggregate(ctx: AppContext, cutoff_day: str, k: int) -> int:
    cursor = ctx.db.execute(
        "INSERT INTO pulse_aggregates (workspace_id, group_id, period, question_key,"
        " respondents, answers, mean, created_at)"
        f" SELECT p.workspace_id, p.group_id, {WEEK_START}, a.question_key,"
        " count(DISTINCT p.user_id), count(*), round(avg(a.value), 3), ?"
        " FROM checkin_answers a JOIN checkin_prompts_counted p ON p.id = a.prompt_id"
        f" WHERE {WEEK_START} < ? AND a.workspace_id = p.workspace_id"
        " GROUP BY 1, 2, 3, 4 HAVING count(DISTINCT p.user_id) >= ?"
        " ON CONFLICT (workspace_id, group_id, period, question_key) DO NOTHING",
        [ctx.clock.now().isoformat(), cutoff_day, k],
    )
    return cursor.rowcount


def _drop_small_pulse(db: sqlite_utils.Database, cutoff: str, k: int) -> int:
    small = (
        "SELECT workspace_id, group_id, period FROM checkin_pulse_periods"
        " WHERE frozen_at < ? AND respondents < ?"
    )
    dropped = 0
    for table in ("checkin_pulse_counts", "checkin_pulse_questions", "checkin_pulse_bands"):
        dropped += db.execute(
            f"DELETE FROM {table} WHERE (workspace_id, group_id, period) IN ({small})",
            [cutoff, k],
        ).rowcount
    dropped += db.execute(
        "DELETE FROM checkin_pulse_periods WHERE frozen_at < ? AND respondents < ?",
        [cutoff, k],
    ).rowcount
    return dropped
