"""The library's most helpful items, the audit log for admins, and the person's own data."""

from __future__ import annotations

import json

from bot.core.model import TIME_END, TIME_START, Actor, Role
from bot.privacy.erasure import PrivacyService
from bot.resources.library import Library
from tests.adapters.web.test_security import SESSION, sign_in
from tests.support.world import WS


def _share(world, title: str, group_id, voters: tuple[str, ...]):
    library = Library(world.db, world.clock)
    added = library.add(WS, group_id=group_id, url=f"https://example.org/{title}",
                        title=title, note="", tags=[], shared_by="a")
    for voter in voters:
        library.toggle_vote(added.resource, voter)
    world.db.conn.commit()


async def test_the_most_helpful_items_use_the_librarys_own_threshold(site):
    world, browser = site
    other = world.ctx.members.ensure_group(WS, "Elsewhere")
    _share(world, "Sleep after nights", world.group.id, ("a", "b", "c", "d"))
    _share(world, "Debrief guide", None, ("a", "b", "c"))
    _share(world, "Two votes only", world.group.id, ("a", "b"))
    _share(world, "Not this group", other.id, ("a", "b", "c", "d", "e"))
    await sign_in(world, browser)
    html = await (await browser.get(f"/groups/{world.group.id}")).text()
    assert html.index("Sleep after nights") < html.index("Debrief guide")
    assert "Two votes only" not in html and "Not this group" not in html
    assert 'rel="noopener noreferrer"' in html
    csv = await (await browser.get(f"/groups/{world.group.id}/figures.csv")).text()
    assert "Sleep after nights,4," in csv and "Debrief guide,3," in csv
    assert "Two votes only" not in csv and ",a," not in csv  # never who shared


async def test_admins_see_the_audit_log_and_lose_it_with_the_role(site):
    world, browser = site
    boss = Actor(WS, "boss", "Boss")
    world.ctx.members.ensure_member(boss)
    world.ctx.members.record_consent(boss)
    world.db.conn.commit()
    await world.say("fran", "admin dashboard")  # an entry to read
    await sign_in(world, browser, "boss")
    home = await (await browser.get("/")).text()
    assert "Circle" in home and "Quiet" in home and "Audit log" in home
    audit = await browser.get("/audit")
    text = await audit.text()
    assert audit.status == 200 and "dashboard.link" in text and "fran" in text
    assert "Read Mon 05 Jan 08:00 UTC" in text  # plain text in the reader's zone
    assert TIME_START not in text and TIME_END not in text  # no chat date token
    world.ctx.members.set_role(WS, "boss", Role.MEMBER)
    world.db.conn.commit()
    assert (await browser.get("/audit")).status == 401  # no group and no role: nothing left


async def test_export_lists_sign_ins_without_secrets_and_erasure_signs_out(site):
    world, browser = site
    await sign_in(world, browser)
    session = browser.cookies[SESSION]
    privacy = PrivacyService(world.db, world.clock, world.core.router.data_owners)
    exported = privacy.export(WS, "fran")
    mine = exported["topics"]["dashboard"]
    assert len(mine["sign_in_links"]) == 1 and len(mine["sessions"]) == 1
    assert session not in json.dumps(exported, default=str)
    privacy.erase(WS, "fran")
    world.db.conn.commit()
    assert world.db.execute("SELECT count(*) FROM dashboard_sessions").fetchone()[0] == 0
    browser.cookies[SESSION] = session
    assert (await browser.get("/")).status == 401
