"""A world with the group Circle (facilitator fran) and members alice, bob and carol."""

from __future__ import annotations

import pytest

from tests.support.world import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    for name in ("alice", "bob", "carol"):
        w.add(name)
    w.add("fran", facilitator=True)
    yield w
    w.db.close()


def count(world, table: str) -> int:
    return world.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
