"""Mentoring as stored: each member's stage and offer or request, and the pairs.

A pair lasts its group's term (default 91 days): a check-in halfway, where either
person may end it quietly, and a close at the end. The service never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from bot.core.ports import Clock
from bot.store.rows import columns, convert, fetch_all, fetch_one

INSTANT = convert(datetime.fromisoformat)


@dataclass(frozen=True)
class Profile:
    workspace_id: str
    user_id: str
    stage: str
    role: str  # "mentor", "mentee" or ""
    topics: str  # comma-separated, lower case
    capacity: int

    @property
    def topic_set(self) -> frozenset[str]:
        return frozenset(t for t in self.topics.split(",") if t)


@dataclass(frozen=True)
class Pair:
    id: int
    workspace_id: str
    group_id: int
    mentor_id: str
    mentee_id: str
    topics: str
    started_at: datetime = field(metadata=INSTANT)
    checkin_at: datetime = field(metadata=INSTANT)
    ends_at: datetime = field(metadata=INSTANT)
    checked_in: int = 0
    status: str = "active"

    def other(self, user_id: str) -> str:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id


PAIR = f"SELECT {columns(Pair)} FROM mentoring_pairs"


class Mentoring:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def profile(self, workspace_id: str, user_id: str) -> Profile:
        found = fetch_one(self.db, Profile,
                          f"SELECT {columns(Profile)} FROM mentoring_profiles"
                          " WHERE workspace_id = ? AND user_id = ?", [workspace_id, user_id])
        return found or Profile(workspace_id, user_id, "", "", "", 0)

    def save(self, profile: Profile) -> None:
        self.db.execute(
            "INSERT INTO mentoring_profiles (workspace_id, user_id, stage, role, topics, capacity,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, user_id) DO"
            " UPDATE SET stage = excluded.stage, role = excluded.role, topics = excluded.topics,"
            " capacity = excluded.capacity, updated_at = excluded.updated_at",
            [profile.workspace_id, profile.user_id, profile.stage, profile.role, profile.topics,
             profile.capacity, self.clock.now().isoformat()])

    def profiles(self, workspace_id: str, user_ids: list[str]) -> list[Profile]:
        marks = ",".join("?" for _ in user_ids) or "NULL"
        return fetch_all(self.db, Profile,
                         f"SELECT {columns(Profile)} FROM mentoring_profiles WHERE workspace_id"
                         f" = ? AND user_id IN ({marks}) AND role <> '' ORDER BY user_id",
                         [workspace_id, *user_ids])

    def active_pairs(self, workspace_id: str, user_id: str | None = None) -> list[Pair]:
        sql = f"{PAIR} WHERE workspace_id = ? AND status = 'active'"
        params: list[object] = [workspace_id]
        if user_id:
            sql += " AND (mentor_id = ? OR mentee_id = ?)"
            params += [user_id, user_id]
        return fetch_all(self.db, Pair, sql + " ORDER BY id", params)

    def pair(self, workspace_id: str, pair_id: int) -> Pair | None:
        return fetch_one(self.db, Pair, f"{PAIR} WHERE workspace_id = ? AND id = ?",
                         [workspace_id, pair_id])

    def start(self, workspace_id: str, group_id: int, mentor_id: str, mentee_id: str,
              topics: tuple[str, ...], term_days: int) -> Pair:
        now = self.clock.now()
        cursor = self.db.execute(
            "INSERT INTO mentoring_pairs (workspace_id, group_id, mentor_id, mentee_id, topics,"
            " started_at, checkin_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [workspace_id, group_id, mentor_id, mentee_id, ",".join(topics), now.isoformat(),
             (now + timedelta(days=term_days / 2)).isoformat(),
             (now + timedelta(days=term_days)).isoformat()])
        pair = self.pair(workspace_id, int(cursor.lastrowid or 0))
        assert pair is not None
        return pair

    def mark_checked_in(self, pair: Pair) -> None:
        self.db.execute("UPDATE mentoring_pairs SET checked_in = 1 WHERE id = ?", [pair.id])

    def finish(self, pair: Pair, status: str) -> None:
        self.db.execute("UPDATE mentoring_pairs SET status = ?, ended_at = ? WHERE id = ?",
                        [status, self.clock.now().isoformat(), pair.id])

    def due_checkins(self) -> list[Pair]:
        return fetch_all(self.db, Pair, f"{PAIR} WHERE status = 'active' AND checked_in = 0"
                         " AND checkin_at <= ? ORDER BY id", [self.clock.now().isoformat()])

    def due_closes(self) -> list[Pair]:
        return fetch_all(self.db, Pair, f"{PAIR} WHERE status = 'active' AND ends_at <= ?"
                         " ORDER BY id", [self.clock.now().isoformat()])
