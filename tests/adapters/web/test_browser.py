"""The dashboard in a real browser (headless Chromium from Debian, driven by Playwright).

The journeys of issue 20: sign in by link and see a chart with its table, download the
CSV, a group below k shows no figures, a member's link and an expired link are refused,
signing out ends the session, a cross-site POST is refused. Screenshots of the main
pages at a phone width (375 px) and a desktop width (1280 px) go to the screenshot
folder (tests/adapters/web/browser.py), and no page scrolls sideways at 375 px.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.core.model import Actor
from bot.dashboard.access import Access
from tests.adapters.web.browser import require_chromium, screenshot_dir
from tests.conftest import free_port
from tests.support.dashboard import (
    MEMBERS,
    dashboard_world,
    link,
    two_closed_weeks,
    web_server,
)
from tests.support.world import WS

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
async def dash(tmp_path):
    """Circle with two closed weeks (one shown, one below k) and Quiet, whose two members
    answer too: every week of Quiet is below k."""
    executable = require_chromium()
    from playwright.async_api import async_playwright

    port = free_port()
    world = dashboard_world(tmp_path, f"http://127.0.0.1:{port}")
    quiet = world.ctx.members.group_by_name(WS, "Quiet")
    for user in ("g", "h"):
        actor = Actor(WS, user, user)
        world.ctx.members.ensure_member(actor)
        world.ctx.members.record_consent(actor)
        world.ctx.members.join_group(WS, quiet.id, user)
        world.ctx.members.set_hold(WS, quiet.id, user, None)
    await two_closed_weeks(world, also={"g": ("1", "5"), "h": ("5", "1")})
    server, host = await web_server(world, port)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable,
                                                   args=["--no-sandbox"])
        context = await browser.new_context(viewport=DESKTOP, accept_downloads=True)
        page = await context.new_page()
        yield world, page, f"http://127.0.0.1:{port}", quiet
        await browser.close()
    await server.close()
    host.close()


async def sign_in(world, page, user: str = "fran") -> None:
    await page.goto(await link(world, user))
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("heading", name="Your groups").wait_for()


async def no_sideways_scroll(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth")


async def test_sign_in_by_link_then_see_the_chart_and_its_table(dash, tmp_path_factory):
    world, page, base, _quiet = dash
    shots = screenshot_dir(tmp_path_factory)
    await sign_in(world, page)
    await page.screenshot(path=shots / "home-desktop.png", full_page=True)
    await page.get_by_role("link", name="Circle").first.click()
    await page.get_by_role("heading", name="Circle: group picture").wait_for()
    chart = page.locator("svg[role=img]").first
    assert await chart.is_visible()
    assert "answered check-ins per week" in await chart.locator("title").text_content()
    table = page.get_by_role("table", name="Check-ins answered per week")
    rows = await table.locator("tbody tr").all_inner_texts()
    assert rows[0].split() == ["5", "Jan", "6", "5", "83%"]
    assert "not enough answers" in rows[1]
    mood = page.get_by_role("table", name="Mood: answers per band")
    assert (await mood.locator("tbody tr").first.inner_text()).split() == [
        "5", "Jan", "1", "2", "2", "5"]
    await page.screenshot(path=shots / "group-desktop.png", full_page=True)
    for name in ("group", "home"):
        await page.set_viewport_size(PHONE)
        await page.goto(f"{base}/groups/{world.group.id}" if name == "group" else base)
        assert await no_sideways_scroll(page), f"{name} scrolls sideways at 375 px"
        await page.screenshot(path=shots / f"{name}-phone.png", full_page=True)
    await page.goto(f"{base}/groups/{world.group.id}/print")
    assert await no_sideways_scroll(page)
    await page.emulate_media(media="print")
    assert not await page.get_by_role("button", name="Sign out fran").is_visible()
    await page.screenshot(path=shots / "group-print.png", full_page=True)


async def test_the_keyboard_reaches_the_skip_link_and_the_groups_first(dash):
    world, page, _base, _quiet = dash
    await sign_in(world, page)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Skip to content"
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused in ("Circle", "Quiet")


async def test_download_the_csv_of_exactly_the_figures_shown(dash):
    world, page, base, _quiet = dash
    await sign_in(world, page)
    await page.goto(f"{base}/groups/{world.group.id}")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Download these figures (CSV)").click()
    download = await waiting.value
    assert download.suggested_filename == "peerbot-Circle.csv"
    text = Path(await download.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["group", "section", "period", "measure", "value", "note"]
    shown = " ".join((await page.locator("main").inner_text()).split())
    for row in rows[1:]:
        assert row[0] == "Circle"
        assert row[4] == "" or row[4].isdigit()
        if row[4]:
            assert row[4] in shown
        else:
            assert row[5] in shown
    for member in (*MEMBERS, "fran"):
        assert all(member not in cell.split() for row in rows for cell in row)


async def test_a_group_below_k_shows_no_figures(dash):
    world, page, base, quiet = dash
    await sign_in(world, page)
    await page.goto(f"{base}/groups/{quiet.id}")
    await page.get_by_role("heading", name="Quiet: group picture").wait_for()
    cells = await page.locator("td").all_inner_texts()
    assert cells and all(c == "not enough answers" for c in cells)
    charts = await page.locator("svg[role=img]").count()
    assert charts >= 1  # drawn, but as empty columns: each chart's legend swatch is all
    assert await page.locator("svg rect[fill='#1d4e89']").count() == charts


async def test_a_members_link_is_refused(dash):
    world, page, base, _quiet = dash
    token = Access(world.db, world.clock).issue_link(Actor(WS, "a"), [world.group.id])
    world.db.conn.commit()
    await page.goto(f"{base}/signin/{token}")
    await page.get_by_role("heading", name="This sign-in link can't be used").wait_for()
    assert await page.get_by_role("button", name="Sign in").count() == 0


async def test_an_expired_link_is_refused(dash):
    world, page, _base, _quiet = dash
    url = await link(world)
    world.clock.advance(timedelta(minutes=10, seconds=1))
    await page.goto(url)
    await page.get_by_role("heading", name="This sign-in link can't be used").wait_for()


async def test_signing_out_ends_the_session(dash):
    world, page, base, _quiet = dash
    await sign_in(world, page)
    await page.get_by_role("button", name="Sign out fran").click()
    await page.get_by_role("heading", name="You are signed out").wait_for()
    await page.goto(f"{base}/groups/{world.group.id}")
    await page.get_by_role("heading", name="Please sign in").wait_for()
    await page.goto(base)
    await page.get_by_role("heading", name="Please sign in").wait_for()


async def test_a_cross_site_post_is_refused(dash):
    """Another site's page posts the sign-out form into the signed-in browser."""
    world, page, base, _quiet = dash
    await sign_in(world, page)
    attacker = web.Application()
    form = (f'<form method="post" action="{base}/signout"><input name="csrf" value="guess">'
            '</form><script>document.forms[0].submit()</script>')
    attacker.router.add_get("/", lambda r: web.Response(text=form, content_type="text/html"))
    runner = web.AppRunner(attacker)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        await page.goto(f"http://localhost:{port}/")  # another site: localhost, not 127.0.0.1
        await page.get_by_role("heading", name="That request was refused").wait_for()
    finally:
        await runner.cleanup()
    await page.goto(base)
    await page.get_by_role("heading", name="Your groups").wait_for()  # still signed in
