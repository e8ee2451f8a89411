"""Looking people up: an @mention names one person; a bare name two people share is
refused with the list to choose from (never the lowest id), through the real Slack app."""

from __future__ import annotations

import pytest

from tests.support.slack_fake.flow import command, consented
from tests.support.slack_fake.harness import make_harness

GROUP = {"name": "circle", "channel": "C0CIRCLE"}


@pytest.fixture
def h(fake_api, make_settings, clock):
    harness = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}),
                           clock)
    yield harness
    harness.assembly.ctx.db.close()


def _count(h, table: str) -> int:
    return h.assembly.ctx.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


async def _people(h) -> None:
    # The real bob, then a squatter whose id sorts first and who took the same name.
    for user, name in (("U2BOB", "bob"), ("U0SQUAT", "bob"), ("U1ALICE", "alice")):
        await consented(h, user, "group join circle", name=name)
        await command(h, user, "pair join", name=name)


@pytest.mark.parametrize("text", ["checkin buddy bob", "checkin buddy @bob", "pair avoid bob",
                                  "pair avoid BOB"])
async def test_a_shared_bare_name_is_refused_with_the_list(h, text):
    await _people(h)
    tables = ("checkin_buddies", "pairing_conflicts", "outbox")
    before = [_count(h, t) for t in tables]
    answer = await command(h, "U1ALICE", text, name="alice")
    assert "2 members go by" in answer["text"], answer["text"]
    assert "<@U0SQUAT>" in answer["text"] and "<@U2BOB>" in answer["text"]
    assert "@mention" in answer["text"]
    assert [_count(h, t) for t in tables] == before  # nothing changed, nobody messaged


async def test_an_at_mention_names_exactly_the_one_meant(h):
    await _people(h)
    answer = await command(h, "U1ALICE", "pair avoid <@U2BOB|bob>", name="alice")
    assert "go by" not in answer["text"]
    rows = h.assembly.ctx.db.execute("SELECT * FROM pairing_conflicts").fetchall()
    assert len(rows) == 1 and "U2BOB" in rows[0] and "U0SQUAT" not in rows[0]


async def test_a_unique_bare_name_still_works(h):
    await _people(h)
    answer = await command(h, "U2BOB", "pair avoid alice", name="bob")
    assert "go by" not in answer["text"] and "don't know" not in answer["text"]
    assert _count(h, "pairing_conflicts") == 1
