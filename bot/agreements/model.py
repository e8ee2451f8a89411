"""One version of a group's agreement, as stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.store.rows import convert


@dataclass(frozen=True)
class Version:
    workspace_id: str
    group_id: int
    version: int
    body: str
    source: str
    set_by: str
    set_at: datetime = field(metadata=convert(datetime.fromisoformat))
