"""Sessions on the dashboard through the sessions topic's services: held sessions with
their RSVP counts, the roster of roles with names (page only, never in the CSV)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dashboard.export_csv import group_csv
from bot.dashboard.figures import group_figures
from bot.sessions.jobs import jobs
from bot.store.db import unit_of_work
from tests.support.world import World

PEOPLE = ("alice", "bob", "carol", "dan", "erin")


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path, jobs=jobs, zones={"alice": "Europe/London", "bob": "America/New_York"})
    w.add("fran", facilitator=True)
    for name in PEOPLE:
        w.add(name)
    return w


def figures(world, zone="America/New_York"):
    with unit_of_work(world.db):
        return group_figures(world.ctx, world.group, zone)


def outbox_size(world) -> int:
    return world.db.execute("SELECT count(*) FROM outbox").fetchone()[0]


async def test_no_session_no_section(world):
    assert figures(world).sessions is None


async def test_held_sessions_with_rsvp_counts_and_the_roster_of_roles(world):
    await world.say("fran", "session every 1 weeks on wed at 18:00 Europe/London")
    await world.say("carol", "session rsvp not")
    await world.say("alice", "session rsvp going")
    await world.say("bob", "session rsvp maybe")
    await world.wait(timedelta(days=3))  # Thu: the first (Wed 7 Jan) took place
    before = outbox_size(world)
    f = figures(world)
    assert outbox_size(world) == before  # reading the page told nobody anything
    sessions = f.sessions
    assert sessions.held_total == 1
    (held,) = sessions.held
    assert (held.label, held.going, held.maybe, held.not_going) == ("7 Jan 2026", 1, 1, 1)
    assert sessions.roster and sessions.roster[0].when == "Wed 14 Jan 13:00 EST"
    holders = {who for row in sessions.roster for _, who in row.roles}
    assert holders & {"alice", "bob", "dan", "erin", "fran", "carol"}
    csv = group_csv(f)
    assert "sessions,,held (all time),1," in csv and "sessions,2026-01-07,said going,1," in csv
    for name in ("alice", "bob", "carol", "dan", "erin", "fran"):
        assert name not in csv  # the roster's names stay on the page


async def test_a_cancelled_session_is_not_counted_as_held(world):
    await world.say("fran", "session on 2026-01-07 at 18:00 Europe/London")
    await world.say("fran", "session cancel")
    await world.wait(timedelta(days=3))
    assert figures(world).sessions is None  # nothing held, nothing coming


async def test_the_page_shows_the_roster_and_the_counts(world):
    from adapters.web.app import templates
    from bot.dashboard.page import build_page
    from tests.support.dashboard import dashboard_host  # noqa: F401 (same templates)

    await world.say("fran", "session every 1 weeks on wed at 18:00 Europe/London")
    await world.say("alice", "session rsvp going")
    await world.wait(timedelta(days=3))
    page = build_page(figures(world), "now")
    viewer = type("V", (), {"groups": ((world.group.id, "Circle"),), "is_admin": False,
                            "csrf": "x", "name": "fran"})()
    html = templates().get_template("group.html").render(page=page, viewer=viewer,
                                                         printable=False)
    assert "Sessions held and their RSVPs" in html and "Who takes which role" in html
    assert "1 session(s) held so far" in html and "not who came" in html
