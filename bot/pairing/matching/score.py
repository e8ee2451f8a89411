"""The one score the engine maximises, built from tiers that cannot trade against each other.

From most to least important: members placed in a group; fewest pairs who met in the
last K rounds (then, among unavoidable repeats, the least recent); fairness (members
left out or in a trio last time, then those with more trios so far, are kept out of
the trio); then soft preferences: shared working hours, the group's specialty
preference, and novelty (never met beats met long ago). Each tier's unit is larger
than the largest possible total of every tier below it, so one integer carries the
whole order and a maximum-weight matching maximises it directly.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.pairing.matching.types import Candidate, MatchConfig, ScoreParts

SLOTS_PER_WEEK = 7 * 48
OVERLAP_CAP_HOURS = 40  # more shared hours than a working week earns nothing extra
OVERLAP_POINTS_PER_HOUR = 10
OVERLAP_STEP_HOURS = 5  # an hour a working day: finer differences should not decide a pair
SPECIALTY_POINTS = 500  # a group's stated preference outweighs hours
NEVER_MET_POINTS = 200
LONG_AGO_POINTS_PER_ROUND = 25
LONG_AGO_CAP = 150
SOFT_MAX = 1200  # >= 40*10 + 500 + 200
LEVEL_MAX = 7


def slots_from_minutes(minutes: set[int] | frozenset[int]) -> frozenset[int]:
    """Half-hour slots from minutes since Monday 00:00 UTC (as pairing_members computes)."""
    return frozenset(m // 30 for m in minutes if 0 <= m < 7 * 24 * 60)


def weekly_mask(candidate: Candidate, week_of: date) -> int:
    """A bit per half-hour of the UTC week the candidate works (bit 0 = Monday 00:00)."""
    if candidate.utc_slots is not None:
        return sum(1 << s for s in candidate.utc_slots if 0 <= s < SLOTS_PER_WEEK)
    zone = ZoneInfo(candidate.tz)
    monday = datetime.combine(week_of - timedelta(days=week_of.weekday()), time(), ZoneInfo("UTC"))
    span = (candidate.work_end - candidate.work_start) % 24 or 24  # 0-24 is the whole day
    mask = 0
    for day in range(-1, 8):  # local days that can spill into this UTC week
        local_day = (monday + timedelta(days=day)).date()
        if local_day.weekday() not in candidate.workdays:
            continue
        start = datetime.combine(local_day, time(), zone) + timedelta(hours=candidate.work_start)
        for step in range(int(span * 2)):
            offset = (start + timedelta(minutes=30 * step) - monday).total_seconds() // 1800
            if 0 <= offset < SLOTS_PER_WEEK:
                mask |= 1 << int(offset)
    return mask


def overlap_points(half_hours: int) -> int:
    """Points for shared half-hours a week, in whole steps of OVERLAP_STEP_HOURS, capped."""
    steps = min(half_hours // (2 * OVERLAP_STEP_HOURS), OVERLAP_CAP_HOURS // OVERLAP_STEP_HOURS)
    return steps * OVERLAP_STEP_HOURS * OVERLAP_POINTS_PER_HOUR


def fairness_level(candidate: Candidate) -> int:
    """0..7: how strongly this member should be kept out of the trio (or of being left out)."""
    recent = 4 if candidate.left_out_or_trio_last else 0
    return recent + min(candidate.times_left_out + candidate.times_in_trio, LEVEL_MAX - 4)


class Scorer:
    """Indexes one round's members and scores pairs and groupings of them.

    Members are indexed in a seeded order (``order``), which is also the order the
    solver sees, so ties break differently per seed but identically for the same seed.
    """

    def __init__(
        self,
        candidates: list[Candidate],
        conflicts: Iterable[frozenset[str]],
        history: list[list[tuple[str, ...]]],
        config: MatchConfig,
    ) -> None:
        ids = sorted({c.member_id for c in candidates})
        if len(ids) != len(candidates):
            raise ValueError("each member may appear only once")
        by_id = {c.member_id: c for c in candidates}
        random.Random(config.seed).shuffle(ids)
        self.config = config
        self.k = config.recent_rounds
        self.ids: list[str] = ids
        self.index = {m: i for i, m in enumerate(ids)}
        self.candidates = [by_id[m] for m in ids]
        masks: dict[tuple, int] = {}
        self.mask = [self._mask(c, masks) for c in self.candidates]
        self.spec = [(c.specialty or "").strip().lower() for c in self.candidates]
        self.level = [fairness_level(c) for c in self.candidates]
        self.conflict: list[set[int]] = [set() for _ in ids]
        index = self.index
        for pair in conflicts:
            if len(pair) != 2:
                continue
            x, y = pair
            a, b = index.get(x), index.get(y)
            if a is not None and b is not None:
                self.conflict[a].add(b)
                self.conflict[b].add(a)
        self.met: list[dict[int, int]] = [{} for _ in ids]  # partner -> rounds ago (1 = last)
        for ago, groups in enumerate(history, start=1):
            for group in groups:
                members = [self.index[m] for m in group if m in self.index]
                for a in members:
                    for b in members:
                        if a != b:
                            self.met[a].setdefault(b, ago)
        n = len(ids) + 3
        self.fair_unit = SOFT_MAX * n + 1
        self.age_unit = self.fair_unit * (LEVEL_MAX + 1) * n
        self.repeat_unit = self.age_unit * (self.k + 1) * n
        self.grouped_unit = self.repeat_unit * 2 * n

    def _mask(self, c: Candidate, cache: dict[tuple, int]) -> int:
        key = (c.tz, c.work_start, c.work_end, c.workdays, c.utc_slots)
        if key not in cache:
            cache[key] = weekly_mask(c, self.config.week_of)
        return cache[key]

    # ---- pair terms ------------------------------------------------------------------

    def overlap_hours(self, a: int, b: int) -> float:
        return (self.mask[a] & self.mask[b]).bit_count() / 2

    def same_specialty(self, a: int, b: int) -> bool | None:
        if not self.spec[a] or not self.spec[b]:
            return None
        return self.spec[a] == self.spec[b]

    def class_soft(self, a: int, b: int) -> int:
        """The part of the soft score that depends only on hours and specialty."""
        points = overlap_points((self.mask[a] & self.mask[b]).bit_count())
        pref = self.config.specialty_preference
        same = self.same_specialty(a, b)
        if (pref == "same" and same) or (pref == "mixed" and same is False):
            points += SPECIALTY_POINTS
        return points

    def novelty(self, a: int, b: int) -> int:
        ago = self.met[a].get(b)
        if ago is None:
            return NEVER_MET_POINTS
        if ago <= self.k:
            return 0
        return min(LONG_AGO_CAP, LONG_AGO_POINTS_PER_ROUND * (ago - self.k))

    def is_repeat(self, a: int, b: int) -> bool:
        ago = self.met[a].get(b)
        return ago is not None and ago <= self.k

    def pair_value(self, a: int, b: int) -> int:
        """Soft points minus the repeat penalty (the pair's share of the score)."""
        value = self.class_soft(a, b) + self.novelty(a, b)
        ago = self.met[a].get(b)
        if ago is not None and ago <= self.k:
            value -= self.repeat_unit + self.age_unit * (self.k - ago)
        return value

    def edge_weight(self, a: int, b: int) -> int:
        """Matching weight: two members placed, the pair's value, and both fairness levels.

        Adding each endpoint's level to its edges means a maximum-cardinality matching
        leaves out (for the trio) the member with the lowest level.
        """
        return (
            2 * self.grouped_unit
            + self.pair_value(a, b)
            + self.fair_unit * (self.level[a] + self.level[b])
        )

    # ---- whole groupings ---------------------------------------------------------------

    def parts(self, groups: list[tuple[int, ...]], unmatched: list[int]) -> ScoreParts:
        grouped = repeats = recency = soft = fairness = 0
        for group in groups:
            grouped += len(group)
            if len(group) == 3:
                fairness += sum(self.level[m] for m in group)
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    soft += self.class_soft(a, b) + self.novelty(a, b)
                    if self.is_repeat(a, b):
                        repeats += 1
                        recency += self.k - self.met[a][b]
        fairness += sum(self.level[m] for m in unmatched)
        return ScoreParts(grouped, repeats, recency, fairness, soft)

    def total(self, parts: ScoreParts) -> int:
        return (
            self.grouped_unit * parts.grouped
            - self.repeat_unit * parts.repeats
            - self.age_unit * parts.repeat_recency
            - self.fair_unit * parts.fairness_cost
            + parts.soft
        )

    def score(self, groups: list[tuple[int, ...]], unmatched: list[int]) -> int:
        return self.total(self.parts(groups, unmatched))
