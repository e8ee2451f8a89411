"""The dashboard's security promises, attacked over HTTP (docs/dashboard.md).

A one-time link exchanged for a hardened session cookie; every response with the
security headers; every form with a CSRF token and refused from another site; sessions
that end on sign-out, after 8 hours, and lose a group the moment its facilitator does.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.core.model import Actor
from bot.dashboard.access import Access, digest
from tests.adapters.web.conftest import Browser
from tests.support.dashboard import link, token_of
from tests.support.world import WS

SESSION = "__Host-peerbot_session"
REFUSED = "This sign-in link can't be used"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


async def sign_in(world, browser: Browser, user: str = "fran") -> str:
    """Through the real chat command and the real sign-in page; returns the page's CSRF."""
    path = "/signin/" + token_of(await link(world, user))
    form = await browser.get(path)
    assert form.status == 200
    done = await browser.post(path, {"csrf": csrf_of(await form.text())})
    assert done.status == 303 and done.headers["Location"] == "/"
    home = await browser.get("/")
    assert home.status == 200
    return csrf_of(await home.text())


async def test_a_link_is_exchanged_for_a_hardened_session_cookie(site):
    world, browser = site
    await sign_in(world, browser)
    # the last Set-Cookie came with the sign-in POST's redirect; look at it again
    path = "/signin/" + token_of(await link(world))
    form = await browser.get(path)
    pre = browser.last_set["__Host-peerbot_signin"]
    assert pre["httponly"] and pre["secure"] and pre["samesite"] == "Strict"
    await browser.post(path, {"csrf": csrf_of(await form.text())})
    cookie = browser.last_set[SESSION]
    assert cookie["httponly"] is True and cookie["secure"] is True
    assert cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert cookie["max-age"] == str(8 * 3600) and not cookie["domain"]
    home = await (await browser.get("/")).text()
    assert "Circle" in home and "Quiet" in home and "Sign out fran" in home


async def test_every_response_carries_the_security_headers(site):
    world, browser = site
    csrf = await sign_in(world, browser)
    responses = [await browser.get("/"), await browser.get("/signin/forged"),
                 await browser.get("/static/dashboard.css"), await browser.get("/groups/999"),
                 await browser.get("/nowhere"),
                 await browser.post("/signout", {"csrf": csrf}, {"Sec-Fetch-Site": "cross-site"})]
    for response in responses:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "style-src 'self'" in csp and "unsafe-inline" not in csp and "script" not in csp
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"


async def test_no_inline_script_or_style_in_any_page(site):
    world, browser = site
    await sign_in(world, browser)
    for path in ("/", "/signin/forged", "/groups/1"):
        html = await (await browser.get(path)).text()
        assert "<script" not in html and "<style" not in html and " style=" not in html


async def test_a_link_works_once(site):
    world, browser = site
    path = "/signin/" + token_of(await link(world))
    form = await browser.get(path)
    csrf = csrf_of(await form.text())
    assert (await browser.post(path, {"csrf": csrf})).status == 303
    again = await browser.get(path)
    assert again.status == 403 and REFUSED in await again.text()
    replay = await browser.post(path, {"csrf": csrf})
    assert replay.status == 403 and REFUSED in await replay.text()


async def test_opening_a_link_does_not_spend_it(site):
    """A chat client's link preview fetches the page: that must not use the link up."""
    world, browser = site
    path = "/signin/" + token_of(await link(world))
    for _ in range(3):
        assert (await browser.get(path)).status == 200
    form = await browser.get(path)
    assert (await browser.post(path, {"csrf": csrf_of(await form.text())})).status == 303


async def test_an_expired_link_is_refused_and_one_just_in_time_works(site):
    world, browser = site
    late = token_of(await link(world))
    on_time = token_of(await link(world))
    world.clock.advance(timedelta(minutes=9, seconds=59))
    form = await browser.get("/signin/" + on_time)
    assert (await browser.post("/signin/" + on_time,
                               {"csrf": csrf_of(await form.text())})).status == 303
    world.clock.advance(timedelta(seconds=2))
    expired = await browser.get("/signin/" + late)
    assert expired.status == 403 and REFUSED in await expired.text()
    assert SESSION not in expired.headers.get("Set-Cookie", "")


async def test_a_forged_link_gets_the_same_page_and_nothing_else(site):
    world, browser = site
    used = token_of(await link(world))
    form = await browser.get("/signin/" + used)
    await browser.post("/signin/" + used, {"csrf": csrf_of(await form.text())})
    browser.cookies.clear()
    pages = set()
    for token in (used, "A" * 43, "x", "%00", "a" * 500, used[:-1] + ("A" if used[-1] != "A"
                                                                        else "B")):
        response = await browser.get("/signin/" + token)
        assert response.status in (403, 404)
        assert SESSION not in response.headers.get("Set-Cookie", "")
        if response.status == 403:
            pages.add(await response.text())
    assert len(pages) == 1 and REFUSED in pages.pop()
    assert (await browser.get("/")).status == 401


async def test_a_members_link_is_refused(site):
    world, browser = site
    out = await world.say("a", "admin dashboard")
    assert "facilitator" in out and "/signin/" not in out
    # a link made for a member anyway (a facilitator who lost the role meanwhile)
    token = Access(world.db, world.clock).issue_link(Actor(WS, "a"), [world.group.id])
    world.db.conn.commit()
    response = await browser.get("/signin/" + token)
    assert response.status == 403 and REFUSED in await response.text()


async def test_sign_in_needs_the_pages_own_token_and_cookie(site):
    """Login CSRF: another site cannot post a link it holds into the victim's browser."""
    world, browser = site
    path = "/signin/" + token_of(await link(world))
    form = await browser.get(path)
    csrf = csrf_of(await form.text())
    assert (await browser.post(path, {"csrf": "wrong"})).status == 403
    assert (await browser.post(path, {})).status == 403
    saved = dict(browser.cookies)
    browser.cookies.clear()
    assert (await browser.post(path, {"csrf": csrf})).status == 403
    browser.cookies.update(saved)
    assert (await browser.post(path, {"csrf": csrf},
                               {"Sec-Fetch-Site": "cross-site"})).status == 403
    assert (await browser.post(path, {"csrf": csrf},
                               {"Origin": "https://evil.example"})).status == 403
    # none of that spent the link: the real form still signs in
    assert (await browser.post(path, {"csrf": csrf})).status == 303


async def test_a_cross_site_post_is_refused(site):
    world, browser = site
    csrf = await sign_in(world, browser)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://evil.example"},
                    {"Origin": "null", "Sec-Fetch-Site": None}):  # old browser: the token
        if headers.get("Origin") == "null":
            assert (await browser.post("/signout", {"csrf": "guess"}, headers)).status == 403
            continue
        refused = await browser.post("/signout", {"csrf": csrf}, headers)
        assert refused.status == 403
    assert (await browser.post("/signout", {"csrf": "forged"})).status == 403
    assert (await browser.post("/signout", {})).status == 403
    assert (await browser.get("/")).status == 200  # still signed in: nothing was done


async def test_sign_out_ends_the_session_on_the_server(site):
    world, browser = site
    csrf = await sign_in(world, browser)
    stolen = browser.cookies[SESSION]
    out = await browser.post("/signout", {"csrf": csrf}, {"Origin": "https://dash.example.org"})
    assert out.status == 200 and "You are signed out" in await out.text()
    assert browser.last_set[SESSION]["max-age"] == "0"
    browser.cookies[SESSION] = stolen  # a copy of the cookie taken before
    assert (await browser.get("/")).status == 401
    assert (await browser.get("/groups/1")).status == 401


async def test_a_session_lasts_eight_hours(site):
    world, browser = site
    await sign_in(world, browser)
    world.clock.advance(timedelta(hours=7, minutes=59))
    assert (await browser.get("/")).status == 200
    world.clock.advance(timedelta(minutes=1))
    response = await browser.get("/")
    assert response.status == 401 and "Please sign in" in await response.text()


async def test_a_facilitator_removed_from_a_group_loses_it_on_the_next_request(site):
    world, browser = site
    await sign_in(world, browser)
    quiet = world.ctx.members.group_by_name(WS, "Quiet")
    assert (await browser.get(f"/groups/{quiet.id}")).status == 200
    world.ctx.members.set_facilitator(WS, quiet.id, "fran", False)
    world.db.conn.commit()
    gone = await browser.get(f"/groups/{quiet.id}")
    assert gone.status == 404 and "Quiet" not in await gone.text()
    assert (await browser.get(f"/groups/{quiet.id}/figures.csv")).status == 404
    assert (await browser.get(f"/groups/{world.group.id}")).status == 200


async def test_only_hashes_are_stored(site):
    world, browser = site
    url = await link(world)
    await sign_in(world, browser)
    secrets_given = [token_of(url), browser.cookies[SESSION]]
    dump = "\n".join(world.db.conn.iterdump())
    for secret in secrets_given:
        assert secret not in dump
    assert digest(secrets_given[1]) in dump


async def test_pages_of_groups_not_yours_are_not_found(site):
    world, browser = site
    await sign_in(world, browser)
    other = world.ctx.members.ensure_group(WS, "Elsewhere")
    world.db.conn.commit()
    texts = set()
    for path in (f"/groups/{other.id}", "/groups/424242", "/groups/abc", "/audit",
                 f"/groups/{other.id}/figures.csv"):
        response = await browser.get(path)
        assert response.status == 404
        texts.add(await response.text())
    assert len(texts) == 1 and "Elsewhere" not in texts.pop()


async def test_over_plain_http_the_cookie_is_not_secure_and_has_no_host_prefix(tmp_path):
    from aiohttp.test_utils import TestClient

    from tests.support.dashboard import dashboard_world, web_server

    world = dashboard_world(tmp_path, "http://127.0.0.1:8470")
    server, host = await web_server(world)
    client = TestClient(server)
    await client.start_server()
    try:
        browser = Browser(client)
        path = "/signin/" + token_of(await link(world))
        form = await browser.get(path)
        assert (await browser.post(path, {"csrf": csrf_of(await form.text())})).status == 303
        cookie = browser.last_set["peerbot_session"]
        assert SESSION not in browser.last_set
        assert cookie["httponly"] is True and cookie["samesite"] == "Strict"
        assert not cookie["secure"]
        assert (await browser.get("/")).status == 200
    finally:
        await client.close()
        host.close()
