"""The one score the engine maximises, built from tiers that cannot trade against each other.

From most to least important: members placed in a group; nobody in a trio (or left
out) two rounds running when anyone else could take the turn; then, weighed against
each other, turns fairly shared (the trio and anyone left out are those with the fewest
such turns so far) and meeting pressure (how often two people met, each meeting
weighing a little less the longer ago it was, exponential above the round's least-met
pair, so pairs who met least and least recently are preferred and nobody meets the
same colleague again and again while others never meet); fewest pairs who met in the
last K rounds; then soft preferences: shared working hours, the group's specialty
preference, and novelty (never met beats met long ago). Each tier's unit is larger
than the largest possible total of every tier below it, so one integer carries the
whole order and a maximum-weight matching maximises it directly. The constants were
tuned on the 26-round simulation of tests/pairing/matching/test_fairness.py.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.pairing.matching.pairs import ConflictRows, MetPairs
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
LEVEL_MAX = 63  # fairness levels are relative to the round's least-burdened member
PRESSURE_DECAY = 0.98  # a meeting k rounds ago weighs 0.98**(k-1) of last round's
PRESSURE_SCALE = 1000  # one meeting last round, in integer points
PRESSURE_ROUNDS = 200  # older meetings weigh under 2 % and are not counted
PRESSURE_WEIGHTS = [round(PRESSURE_SCALE * PRESSURE_DECAY**k) for k in range(PRESSURE_ROUNDS)]
PRESSURE_BASE = 16  # each meeting above the round's least-met pair costs 16 times more
PRESSURE_CAP = 5  # meetings above the least-met pair beyond which the cost stops rising
PRESSURE_POINTS = 64  # the cost of a least-met pair
TURN_POINTS = 4096  # one extra turn weighs as a pair meeting 1.5 times more than the least-met
PRESSURE_MAX = PRESSURE_POINTS * PRESSURE_BASE**PRESSURE_CAP


def slots_from_minutes(minutes: set[int] | frozenset[int]) -> frozenset[int]:
    """Half-hour slots from minutes since Monday 00:00 UTC (as pairing_members computes)."""
    return frozenset(m // 30 for m in minutes if 0 <= m < 7 * 24 * 60)


ZoneDays = list[tuple[int, datetime, int | None]]
_US = timedelta(microseconds=1)
_SLOT_US = 1_800_000_000


def weekly_mask(
    candidate: Candidate, week_of: date, zones: dict[tuple[str, date], ZoneDays] | None = None
) -> int:
    """A bit per half-hour of the UTC week the candidate works (bit 0 = Monday 00:00).

    ``zones`` caches, per zone, the local days that can spill into this UTC week: their
    weekday, local midnight and, when the zone's offset is the same for the two days
    from that midnight, the microseconds from Monday 00:00 UTC to it (one round has
    thousands of members in a few dozen zones, and the date arithmetic of zoneinfo
    was most of a 2,000-member round's set-up). A day with a clock change is worked
    out half-hour by half-hour, as before.
    """
    if candidate.utc_slots is not None:
        return sum(1 << s for s in candidate.utc_slots if 0 <= s < SLOTS_PER_WEEK)
    monday = datetime.combine(week_of - timedelta(days=week_of.weekday()), time(), ZoneInfo("UTC"))
    days = _zone_days(candidate.tz, monday, {} if zones is None else zones)
    span = (candidate.work_end - candidate.work_start) % 24 or 24  # 0-24 is the whole day
    steps = int(span * 2)
    start_us = timedelta(hours=candidate.work_start) // _US
    mask = 0
    for weekday, midnight, from_monday in days:
        if weekday not in candidate.workdays:
            continue
        if from_monday is not None:  # no clock change in the day or the night after it
            first = (from_monday + start_us) // _SLOT_US
            low, high = max(first, 0), min(first + steps, SLOTS_PER_WEEK)
            if high > low:
                mask |= ((1 << (high - low)) - 1) << low
            continue
        start = midnight + timedelta(hours=candidate.work_start)
        for step in range(steps):
            offset = (start + timedelta(minutes=30 * step) - monday).total_seconds() // 1800
            if 0 <= offset < SLOTS_PER_WEEK:
                mask |= 1 << int(offset)
    return mask


def _zone_days(tz: str, monday: datetime, zones: dict[tuple[str, date], ZoneDays]) -> ZoneDays:
    """The local days -1..7 around the UTC week of ``monday`` in ``tz`` (see weekly_mask).

    A day counts as without a clock change when the offset at its midnight equals the
    offset two days later: time zones never change their clocks twice within two days.
    """
    days = zones.get((tz, monday.date()))
    if days is None:
        zone, days = ZoneInfo(tz), []
        for day in range(-1, 8):  # local days that can spill into this UTC week
            local_day = (monday + timedelta(days=day)).date()
            midnight = datetime.combine(local_day, time(), zone)
            later = datetime.combine(local_day + timedelta(days=2), time(), zone)
            steady = midnight.utcoffset() == later.utcoffset()
            days.append((local_day.weekday(), midnight,
                         (midnight - monday) // _US if steady else None))
        zones[tz, monday.date()] = days
    return days


def overlap_points(half_hours: int) -> int:
    """Points for shared half-hours a week, in whole steps of OVERLAP_STEP_HOURS, capped."""
    steps = min(half_hours // (2 * OVERLAP_STEP_HOURS), OVERLAP_CAP_HOURS // OVERLAP_STEP_HOURS)
    return steps * OVERLAP_STEP_HOURS * OVERLAP_POINTS_PER_HOUR


def extra_turns(candidates: list[Candidate]) -> list[int]:
    """Each member's turns (in a trio or left out) above the round's fewest.

    The trio goes to those with the fewest turns, so turns never differ by more than
    one while a trio is possible. Relative, so a long-running group does not drift.
    """
    turns = [c.times_left_out + c.times_in_trio for c in candidates]
    least = min(turns, default=0)
    return [min(LEVEL_MAX, t - least) for t in turns]


def pressure_cost(above_floor: int) -> int:
    """``PRESSURE_POINTS * PRESSURE_BASE ** meetings`` above the floor, capped."""
    meetings = min(max(above_floor, 0) / PRESSURE_SCALE, PRESSURE_CAP)
    return round(PRESSURE_POINTS * PRESSURE_BASE**meetings)


class Scorer:
    """Indexes one round's members and scores pairs and groupings of them.

    Members are indexed in a seeded order (``order``), which is also the order the
    solver sees, so ties break differently per seed but identically for the same seed.
    """

    def __init__(
        self,
        candidates: list[Candidate],
        conflicts: Iterable[Collection[str]],
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
        zones: dict[tuple[str, date], ZoneDays] = {}
        self.mask = [self._mask(c, masks, zones) for c in self.candidates]
        self.spec = [(c.specialty or "").strip().lower() for c in self.candidates]
        self.turns = extra_turns(self.candidates)
        self.last = [int(c.left_out_or_trio_last) for c in self.candidates]
        self.conflict = ConflictRows(self.index, conflicts)
        self.past = MetPairs(self.index, history, PRESSURE_WEIGHTS)
        self.vectors: Any = None  # the round as numpy arrays, once built (fast.Vectors)
        self.pressure_floor = self.past.floor()
        n = len(ids) + 3
        self.repeat_unit = SOFT_MAX * n + 1
        self.pressure_unit = self.repeat_unit * 2 * n
        self.turn_unit = self.pressure_unit * TURN_POINTS
        self.fair_unit = self.pressure_unit * (PRESSURE_MAX + TURN_POINTS * LEVEL_MAX) * 2 * n
        self.grouped_unit = self.fair_unit * n
        # What putting a member in the trio (or leaving them out) costs; also the order
        # in which the matching leaves members over for the trio (lowest first).
        self.level = [
            self.turn_unit * t + self.fair_unit * last
            for t, last in zip(self.turns, self.last, strict=True)
        ]

    def _mask(self, c: Candidate, cache: dict[tuple, int], zones: dict) -> int:
        key = (c.tz, c.work_start, c.work_end, c.workdays, c.utc_slots)
        if key not in cache:
            cache[key] = weekly_mask(c, self.config.week_of, zones)
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
        return self.novelty_after(self.past.ago_of(a, b))

    def novelty_after(self, ago: int | None) -> int:
        """Novelty points of a pair who last met ``ago`` rounds ago (None: never)."""
        if ago is None:
            return NEVER_MET_POINTS
        if ago <= self.k:
            return 0
        return min(LONG_AGO_CAP, LONG_AGO_POINTS_PER_ROUND * (ago - self.k))

    def press(self, a: int, b: int) -> int:
        """Meeting pressure of a pair: exponential in their decayed meetings above the
        least-met pair of the round, so one pair meeting once more than the rest costs
        more than many pairs at the floor. This is what keeps the most frequent pair of
        a small group at the lowest count possible (docs/pairing.md has the figures)."""
        return pressure_cost(self.past.weight_of(a, b) - self.pressure_floor)

    def is_repeat(self, a: int, b: int) -> bool:
        ago = self.past.ago_of(a, b)
        return ago is not None and ago <= self.k

    def pair_value(self, a: int, b: int) -> int:
        """Soft points minus the repeat and pressure penalties (the pair's share of the score)."""
        value = self.class_soft(a, b) + self.novelty(a, b)
        value -= self.pressure_unit * self.press(a, b)
        if self.is_repeat(a, b):
            value -= self.repeat_unit
        return value

    def edge_weight(self, a: int, b: int) -> int:
        """Matching weight: two members placed, the pair's value, and both fairness levels.

        Adding each endpoint's level to its edges means a maximum-cardinality matching
        leaves out (for the trio) the member with the lowest level.
        """
        return (
            2 * self.grouped_unit
            + self.pair_value(a, b)
            + self.level[a]
            + self.level[b]
        )

    # ---- whole groupings ---------------------------------------------------------------

    def parts(self, groups: list[tuple[int, ...]], unmatched: list[int]) -> ScoreParts:
        grouped = repeats = pressure = soft = fairness = turns = 0
        for group in groups:
            grouped += len(group)
            if len(group) == 3:
                turns += sum(self.turns[m] for m in group)
                fairness += sum(self.last[m] for m in group)
        pairs = [(a, b) for group in groups for i, a in enumerate(group) for b in group[i + 1 :]]
        for (a, b), ago, weight in zip(pairs, *self.past.facts(pairs), strict=True):
            soft += self.class_soft(a, b) + self.novelty_after(ago)
            pressure += pressure_cost(weight - self.pressure_floor)
            repeats += ago is not None and ago <= self.k
        turns += sum(self.turns[m] for m in unmatched)
        fairness += sum(self.last[m] for m in unmatched)
        return ScoreParts(grouped, fairness, turns, pressure, repeats, soft)

    def total(self, parts: ScoreParts) -> int:
        return (
            self.grouped_unit * parts.grouped
            - self.turn_unit * parts.extra_turns
            - self.repeat_unit * parts.repeats
            - self.fair_unit * parts.fairness_cost
            - self.pressure_unit * parts.pressure
            + parts.soft
        )

    def score(self, groups: list[tuple[int, ...]], unmatched: list[int]) -> int:
        return self.total(self.parts(groups, unmatched))
