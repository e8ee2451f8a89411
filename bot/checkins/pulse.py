"""The group pulse: response rate, banded answers and trend, never an individual.

The rules (docs/privacy.md, rule A) and where each lives:

* **Whole closed weeks only.** Every prompt of the week closed, and the week over
  everywhere on Earth plus the answer window. A live count would move as one person
  answers and so reveal that answer.
* **Frozen once computed.** The first time a closed week is read, what it shows is
  decided and stored (``checkin_pulse_periods``, ``checkin_pulse_questions``,
  ``checkin_pulse_bands``). Later erasures, retention or a changed question set cannot
  change it, so two views of the same week can never be differenced.
* **Coarsened, then k and dominance per question.** Each member's latest answer to a
  question counts once; answers are counted in bands (five options: 1-2, 3, 4-5), and a
  question is shown only when at least k distinct members answered *it* and no band
  holds all, or all but one, of them (:func:`bot.core.disclosure.verdict`). Sub-k
  distributions are never stored. There is no slicing below the whole group.
* **One member, one group per week.** A member of several groups counts in one group's
  pulse a week: the group of their first prompt that week, from that group's prompts
  only (the ``checkin_prompts_counted`` view, migration 1212). Two groups' pulses never
  share an answer, so a facilitator of both cannot difference them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from bot.checkins.questions import all_questions, band_of, bands, short_name
from bot.core.config import Question, Settings
from bot.core.disclosure import Verdict, verdict
from bot.core.members import Group
from bot.core.ports import Clock
from bot.store.rows import columns, convert, fetch_all, fetch_one

# The latest local date of a week ends this long after Monday 00:00 UTC of the next
# week (UTC-12 is the furthest behind), plus a margin for the last prompt's time.
LAST_TIMEZONE_LAG = timedelta(hours=26)


@dataclass(frozen=True)
class BandCount:
    """One band of a shown question, as frozen: its label and how many answered in it."""

    band: int
    label: str
    count: int


@dataclass(frozen=True)
class QuestionFigure:
    """What a frozen week shows of one question."""

    key: str
    name: str
    verdict: Verdict
    respondents: int  # 0 below k: a sub-k count is never stored
    bands: tuple[BandCount, ...] = ()

    def band_mean(self) -> float | None:
        """Average band position on a 0-1 scale (for the trend), None unless shown."""
        n = sum(b.count for b in self.bands)
        if self.verdict is not Verdict.SHOWN or not n or len(self.bands) < 2:
            return None
        top = max(b.band for b in self.bands) or 1
        return sum(b.band * b.count for b in self.bands) / n / top


@dataclass(frozen=True)
class Week:
    period: str
    monday: date
    prompted: int
    respondents: int
    questions: tuple[QuestionFigure, ...] = ()

    def figure(self, key: str) -> QuestionFigure | None:
        return next((q for q in self.questions if q.key == key), None)


@dataclass(frozen=True)
class _Period:
    """A frozen week: how many were prompted, how many answered."""

    prompted: int
    respondents: int


@dataclass(frozen=True)
class _FrozenQuestion:
    question_key: str
    respondents: int
    verdict: Verdict = field(metadata=convert(Verdict))


@dataclass(frozen=True)
class _FrozenBand:
    question_key: str
    band: int
    label: str
    count: int


@dataclass(frozen=True)
class _Vote:
    """One answer of one member in the week being frozen."""

    user_id: str
    question_key: str
    value: int


@dataclass(frozen=True)
class _LegacyCount:
    """A raw count frozen before bands existed (migration 1201 converts on first read)."""

    question_key: str
    value: int
    count: int


@dataclass(frozen=True)
class Decision:
    """Everything a week's view carries about one question: no more is stored or shown."""

    verdict: Verdict
    respondents: int  # 0 below k
    counts: tuple[int, ...]  # per band, only when shown


def decide(question: Question, values: list[int], k: int) -> Decision:
    """Coarsen one answer per member into bands, then apply k and dominance."""
    counts = [0] * len(bands(question))
    for value in values:
        index = band_of(question, value)
        if index is not None:
            counts[index] += 1
    decided = verdict(counts, k)
    return Decision(decided, sum(counts) if decided is not Verdict.FEW else 0,
                    tuple(counts) if decided is Verdict.SHOWN else ())


def period_of(day: date) -> str:
    """The week's key: its Monday as an ISO date (the retention job uses the same)."""
    return monday_of(day).isoformat()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class PulseService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    @property
    def k(self) -> int:
        return max(3, self.settings.pulse.min_group_size)

    def is_closed(self, group: Group, monday: date) -> bool:
        window = timedelta(hours=self.settings.group(group.name).checkins.window_hours)
        end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=UTC)
        if self.clock.now() < end + LAST_TIMEZONE_LAG + window:
            return False
        still_open = self.db.execute(
            "SELECT 1 FROM checkin_prompts_by_group WHERE workspace_id = ? AND group_id = ?"
            " AND local_date >= ? AND local_date <= ? AND closed_at IS NULL LIMIT 1",
            [group.workspace_id, group.id, monday.isoformat(),
             (monday + timedelta(days=6)).isoformat()],
        ).fetchone()
        return still_open is None

    def closed_weeks(self, group: Group, weeks: int = 8) -> list[Week]:
        """The last ``weeks`` closed weeks, oldest first, each frozen on first sight."""
        this_monday = monday_of(self.clock.now().date())
        mondays = [this_monday - timedelta(days=7 * i) for i in range(weeks + 2)]
        closed = [m for m in mondays if self.is_closed(group, m)][:weeks]
        found = [self.week(group, m) for m in reversed(closed)]
        return [w for w in found if w.prompted]  # weeks without check-ins are no weeks

    def week(self, group: Group, monday: date) -> Week:
        """The frozen figures of one closed week (frozen now if this is the first read)."""
        period = period_of(monday)
        key = [group.workspace_id, group.id, period]
        frozen = fetch_one(
            self.db, _Period,
            f"SELECT {columns(_Period)} FROM checkin_pulse_periods WHERE workspace_id = ?"
            " AND group_id = ? AND period = ?",
            key,
        )
        if frozen is None:
            self._freeze(group, monday)
            return self.week(group, monday)
        self._convert_legacy(group, period)
        names = {k: short_name(q) for k, q in all_questions(self.settings).items()}
        band_rows = fetch_all(
            self.db, _FrozenBand,
            f"SELECT {columns(_FrozenBand)} FROM checkin_pulse_bands WHERE workspace_id = ?"
            " AND group_id = ? AND period = ? ORDER BY question_key, band",
            key,
        )
        figures = tuple(
            QuestionFigure(
                q.question_key, names.get(q.question_key, q.question_key), q.verdict,
                q.respondents,
                tuple(BandCount(b.band, b.label, b.count) for b in band_rows
                      if b.question_key == q.question_key),
            )
            for q in fetch_all(
                self.db, _FrozenQuestion,
                f"SELECT {columns(_FrozenQuestion)} FROM checkin_pulse_questions"
                " WHERE workspace_id = ? AND group_id = ? AND period = ? ORDER BY position",
                key,
            )
        )
        return Week(period, monday, frozen.prompted, frozen.respondents, figures)

    # ---- freezing -------------------------------------------------------------------------

    def _freeze(self, group: Group, monday: date) -> None:
        period = period_of(monday)
        last = (monday + timedelta(days=6)).isoformat()
        params = [group.workspace_id, group.id, monday.isoformat(), last]
        prompted = self.db.execute(
            "SELECT count(DISTINCT user_id) FROM checkin_prompts_counted WHERE workspace_id = ?"
            " AND group_id = ? AND local_date >= ? AND local_date <= ?",
            params,
        ).fetchone()[0]
        # Each member's latest answer to each question in the week: one vote per person.
        latest = fetch_all(
            self.db, _Vote,
            "SELECT p.user_id, a.question_key, a.value FROM checkin_answers a"
            " JOIN checkin_prompts_counted p ON p.id = a.prompt_id WHERE p.workspace_id = ?"
            " AND p.group_id = ? AND p.local_date >= ? AND p.local_date <= ?"
            " ORDER BY p.opened_at, p.id",
            params,
        )
        per_member: dict[tuple[str, str], int] = {}
        for vote in latest:
            per_member[(vote.user_id, vote.question_key)] = vote.value
        values: dict[str, list[int]] = {}
        for (_, question_key), value in per_member.items():
            values.setdefault(question_key, []).append(value)
        respondents = len({user_id for user_id, _ in per_member})
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO checkin_pulse_periods (workspace_id, group_id, period,"
                " prompted, respondents, frozen_at) VALUES (?, ?, ?, ?, ?, ?)",
                [group.workspace_id, group.id, period, prompted, respondents,
                 self.clock.now().isoformat()],
            )
            self._freeze_questions(group, period, values)

    def _freeze_questions(self, group: Group, period: str, values: dict[str, list[int]]) -> None:
        """Decide and store, per question, what this week shows; nothing else is kept."""
        questions = all_questions(self.settings)
        order = list(questions)
        for key in sorted(values, key=lambda q: (order.index(q) if q in order else 99, q)):
            question = questions.get(key)
            if question is None:  # a question no set defines any more cannot be banded
                continue
            decided = decide(question, values[key], self.k)
            row = [group.workspace_id, group.id, period, key]
            self.db.execute(
                "INSERT OR IGNORE INTO checkin_pulse_questions (workspace_id, group_id, period,"
                " question_key, position, respondents, verdict) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [*row, order.index(key) if key in order else 99, decided.respondents,
                 decided.verdict.value],
            )
            for cell, count in zip(bands(question), decided.counts, strict=False):
                self.db.execute(
                    "INSERT OR IGNORE INTO checkin_pulse_bands (workspace_id, group_id, period,"
                    " question_key, band, label, count) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [*row, cell.index, cell.label, count],
                )

    def _convert_legacy(self, group: Group, period: str) -> None:
        """A week frozen as raw counts (before 1201): decide it once, then drop the raw."""
        key = [group.workspace_id, group.id, period]
        legacy = fetch_all(
            self.db, _LegacyCount,
            f"SELECT {columns(_LegacyCount)} FROM checkin_pulse_counts WHERE workspace_id = ?"
            " AND group_id = ? AND period = ?",
            key,
        )
        if not legacy:
            return
        values: dict[str, list[int]] = {}
        for row in legacy:
            values.setdefault(row.question_key, []).extend([row.value] * row.count)
        with self.db.atomic():
            self._freeze_questions(group, period, values)
            self.db.execute(
                "DELETE FROM checkin_pulse_counts WHERE workspace_id = ? AND group_id = ?"
                " AND period = ?",
                key,
            )
