"""A World with the sessions job and six members of Circle (fran facilitates)."""

from __future__ import annotations

import pytest

from bot.sessions.jobs import jobs
from tests.support.world import World

PEOPLE = ("alice", "bob", "carol", "dan", "erin")
TABLES = ("session_series", "session_meetings", "session_assignments", "session_rsvps",
          "session_declines", "session_optouts", "session_swaps", "session_agenda",
          "session_group_roles", "session_sent", "outbox", "audit_log", "resources")


def snapshot(world: World) -> dict[str, list]:
    """Every row of the tables a session command may write: "nothing changed" is equality."""
    return {t: world.db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path, jobs=jobs, zones={"alice": "Europe/London", "bob": "America/New_York"})
    w.add("fran", facilitator=True)
    for name in PEOPLE:
        w.add(name)
    return w
