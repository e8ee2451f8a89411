"""A world whose group Circle posts consultations in channel C1."""

from __future__ import annotations

import pytest

from tests.support.world import World


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path, config={"groups": [{"name": "Circle", "channel": "C1",
                                            "facilitators": ["fran"]}]})
    for name in ("alice", "bob"):
        w.add(name)
    w.add("fran", facilitator=True)
    yield w
    w.db.close()
