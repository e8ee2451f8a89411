"""A world with the dashboard on: the group Circle (facilitator fran, k = 3), members who
answer check-ins through the real buttons, and the real web app on a real socket.

``link(world, user)`` asks for a sign-in link the way a facilitator does, through the
real `/peer admin dashboard` command, and returns the URL from the reply.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestServer

from adapters.web import build_app
from bot.core.lifecycle import lane_context
from bot.dashboard.host import Dashboard
from tests.support.world import World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
MEMBERS = ("a", "b", "c", "d", "e")


def dashboard_world(tmp_path: Path, base_url: str = "https://dash.example.org",
                    k: int = 3) -> World:
    """Circle and Quiet (fran facilitates both), five members of Circle, admin boss."""
    config = {"bot": {"admins": ["boss"]},
              "groups": [{"name": "Circle", "facilitators": ["fran"]},
                         {"name": "Quiet", "facilitators": ["fran"]}],
              "pulse": {"min_group_size": k},
              "web": {"enabled": True, "base_url": base_url}}
    world = World.checkins(tmp_path, MONDAY_8, config)
    world.add("fran", facilitator=True)
    for name in MEMBERS:
        world.add(name)
    return world


async def answer_week(world: World, answers: dict[str, tuple[str, str]]) -> None:
    """Monday's prompts go out and each member taps (mood, burnout)."""
    await world.wait(timedelta(hours=1, minutes=1))
    for user, (mood, burnout) in answers.items():
        buttons = answer_buttons(world.messenger.to(user)[-1])
        await world.press(user, buttons[("mood", mood)])
        await world.press(user, buttons[("burnout", burnout)])


async def two_closed_weeks(world: World, also: dict[str, tuple[str, str]] | None = None) -> None:
    """Week 1: five answer, moods spread (shown); week 2: two answer (below k = 3).
    ``also``: more answers in both weeks (members of another group)."""
    await answer_week(world, {"a": ("2", "2"), "b": ("3", "4"), "c": ("4", "2"),
                              "d": ("5", "4"), "e": ("3", "3"), **(also or {})})
    await world.wait(timedelta(days=7) - timedelta(hours=1, minutes=1))
    await answer_week(world, {"a": ("3", "3"), "b": ("4", "2"), **(also or {})})
    await world.wait(timedelta(days=10))


async def link(world: World, user: str = "fran") -> str:
    out = text_of(await world.command(user, "admin dashboard"))
    found = re.search(r"(https?://\S+/signin/[A-Za-z0-9_-]+)", out)
    assert found, out
    return found.group(1)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def dashboard_host(world: World) -> Dashboard:
    return Dashboard(lane_context(world.ctx))


async def web_server(world: World, port: int | None = None) -> tuple[TestServer, Dashboard]:
    host = dashboard_host(world)
    server = TestServer(build_app(host), host="127.0.0.1", port=port)
    await server.start_server()
    return server, host
