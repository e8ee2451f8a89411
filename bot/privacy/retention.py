"""Retention: check-in answers and notes older than ``privacy.retention_months`` are purged.

Only k-anonymous aggregates outlive them. Purging works on whole weeks (Monday to
Sunday of the prompt's local date): a week is aggregated and purged as soon as its
*first* day passes the cutoff, so no answer is ever kept longer than promised (some are
purged up to six days early) and each week's aggregate is computed once, complete.
Aggregates go to ``pulse_aggregates`` only for (group, week, question) buckets with at
least ``pulse.min_group_size`` distinct respondents; smaller buckets leave no trace.
Frozen pulse rows describing fewer than k people are dropped at the same cutoff, and
so are settled outbox rows (sent, undeliverable, failed, cancelled): a buddy nudge or
an introduction says more about a member than an aggregate does.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils

from bot.audit.log import AuditService
from bot.core.ports import Clock

WEEK_START = "date(p.local_date, '-6 days', 'weekday 1')"


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant ``months`` calendar months earlier (day clamped to month end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionReport:
    cutoff: str = ""
    answers: int = 0
    prompts: int = 0
    aggregates: int = 0
    small_pulse_rows: int = 0
    old_messages: int = 0
    by_workspace: dict[str, int] = field(default_factory=dict)


class RetentionService:
    def __init__(
        self, db: sqlite_utils.Database, clock: Clock, *, months: int, min_group_size: int
    ) -> None:
        self.db = db
        self.clock = clock
        self.months = months
        self.k = min_group_size

    def cutoff(self) -> datetime:
        return months_before(self.clock.now(), self.months)

    def purge(self) -> RetentionReport:
        """Aggregate, then delete, everything past retention, inside the caller's unit of
        work; the caller then empties the WAL (:func:`~bot.privacy.erasure.checkpoint`)
        so the purged text is gone from the files too."""
        cutoff = self.cutoff()
        report = RetentionReport(cutoff=cutoff.date().isoformat())
        tables = set(self.db.table_names())
        with self.db.atomic():
            # Settled messages past retention: their text (a buddy nudge, an intro) may
            # say more about a member than a count does. Pending rows are never touched.
            report.old_messages = self.db.execute(
                "DELETE FROM outbox WHERE status IN ('sent', 'undeliverable', 'failed',"
                " 'cancelled') AND created_at < ?",
                [cutoff.isoformat()],
            ).rowcount
            if {"checkin_prompts", "checkin_answers"} <= tables:
                self._purge_checkins(report, cutoff, tables)
        return report

    def _purge_checkins(self, report: RetentionReport, cutoff: datetime, tables: set) -> None:
        report.aggregates = self._aggregate(report.cutoff)
        for ws, count in self.db.execute(
            f"SELECT p.workspace_id, count(*) FROM checkin_prompts p WHERE {WEEK_START} < ?"
            " GROUP BY p.workspace_id",
            [report.cutoff],
        ).fetchall():
            report.by_workspace[ws] = count
        report.answers = self.db.execute(
            "DELETE FROM checkin_answers WHERE prompt_id IN (SELECT p.id FROM"
            f" checkin_prompts p WHERE {WEEK_START} < ?)",
            [report.cutoff],
        ).rowcount
        report.prompts = self.db.execute(
            f"DELETE FROM checkin_prompts AS p WHERE {WEEK_START} < ?", [report.cutoff]
        ).rowcount
        if {"checkin_pulse_periods", "checkin_pulse_counts"} <= tables:
            report.small_pulse_rows = self._drop_small_pulse(cutoff.isoformat())
        audit = AuditService(self.db, self.clock)
        for ws, count in report.by_workspace.items():
            audit.record(ws, "scheduler", "privacy.retention",
                         f"purged {count} check-in(s) from weeks before {report.cutoff}")

    def _aggregate(self, cutoff_date: str) -> int:
        now = self.clock.now().isoformat()
        cursor = self.db.execute(
            "INSERT INTO pulse_aggregates (workspace_id, group_id, period, question_key,"
            " respondents, answers, mean, created_at)"
            f" SELECT p.workspace_id, p.group_id, {WEEK_START}, a.question_key,"
            " count(DISTINCT p.user_id), count(*), round(avg(a.value), 3), ?"
            " FROM checkin_answers a JOIN checkin_prompts p ON p.id = a.prompt_id"
            f" WHERE {WEEK_START} < ? AND a.workspace_id = p.workspace_id"
            " GROUP BY 1, 2, 3, 4 HAVING count(DISTINCT p.user_id) >= ?"
            " ON CONFLICT (workspace_id, group_id, period, question_key) DO NOTHING",
            [now, cutoff_date, self.k],
        )
        return cursor.rowcount

    def _drop_small_pulse(self, cutoff: str) -> int:
        small = (
            "SELECT workspace_id, group_id, period FROM checkin_pulse_periods"
            " WHERE frozen_at < ? AND respondents < ?"
        )
        dropped = self.db.execute(
            f"DELETE FROM checkin_pulse_counts WHERE (workspace_id, group_id, period) IN ({small})",
            [cutoff, self.k],
        ).rowcount
        dropped += self.db.execute(
            "DELETE FROM checkin_pulse_periods WHERE frozen_at < ? AND respondents < ?",
            [cutoff, self.k],
        ).rowcount
        return dropped


def aggregates(db: sqlite_utils.Database, workspace_id: str, group_id: int) -> list[dict]:
    """The long-term pulse of a group, for the pulse topic to show beyond retention."""
    rows = db.execute(
        "SELECT period, question_key, respondents, answers, mean FROM pulse_aggregates"
        " WHERE workspace_id = ? AND group_id = ? ORDER BY period, question_key",
        [workspace_id, group_id],
    ).fetchall()
    keys = ("period", "question_key", "respondents", "answers", "mean")
    return [dict(zip(keys, r, strict=True)) for r in rows]
