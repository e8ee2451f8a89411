"""A session series and a session (one meeting), as stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.store.rows import convert

SCHEDULED, CANCELLED = "scheduled", "cancelled"
GOING, MAYBE, NOT_GOING = "going", "maybe", "not"
ANSWERS = (GOING, MAYBE, NOT_GOING)


@dataclass(frozen=True)
class Series:
    id: int
    workspace_id: str
    group_id: int
    every_weeks: int
    days: str
    at: str
    timezone: str
    place: str
    anchor: str
    created_by: str


@dataclass(frozen=True)
class Meeting:
    id: int
    workspace_id: str
    group_id: int
    series_id: int | None
    local_date: str
    starts_at: datetime = field(metadata=convert(datetime.fromisoformat))
    minutes: int = 60
    timezone: str = "UTC"
    place: str = ""
    status: str = SCHEDULED
    sequence: int = 0
    uid: str = ""
    note_resource_id: int | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Assignment:
    meeting_id: int
    role: str
    position: int
    user_id: str | None
    fixed: int
