"""The stored shape of a resource, and the limits on what members type into one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.store.rows import columns, convert

MAX_TITLE = 120
MAX_NOTE = 500
MAX_TAGS = 8
MAX_TAG = 30
HELPFUL_SHOWN_FROM = 3  # a count below this could point at one or two people
TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


@dataclass(frozen=True)
class Resource:
    """One library entry; ``votes`` is counted when read, never stored."""

    id: int
    workspace_id: str
    group_id: int | None
    url: str
    title: str
    note: str
    tags: str
    shared_by: str | None
    source: str
    pinned: int
    created_at: datetime = field(metadata=convert(datetime.fromisoformat))
    votes: int = 0

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()

    @property
    def helpful_shown(self) -> int | None:
        """The helpful count as members may see it: None below the threshold."""
        return self.votes if self.votes >= HELPFUL_SHOWN_FROM else None


STORED = columns(Resource, prefix="r.").replace(", r.votes", "")
SELECT = (f"SELECT {STORED}, (SELECT count(*) FROM resource_votes v"
          " WHERE v.resource_id = r.id) AS votes FROM resources r")
