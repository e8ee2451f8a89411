"""`peerbot run` starts the dashboard beside the platform when `[web]` is on, and stops it
with the rest; off by default; a port in use is a clear config error."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from bot.core.config import ConfigError
from bot.runtime import assemble, serve
from bot.store.db import open_database
from bot.web import start_dashboard
from tests.conftest import free_port


class Quiet:
    async def send(self, workspace_id, target, msg):
        return "ref"


async def test_serve_runs_the_dashboard_and_stops_it_with_the_platform(make_settings, clock):
    port = free_port()
    settings = make_settings({"web": {"enabled": True, "port": port,
                                      "base_url": f"http://127.0.0.1:{port}"}})
    db = open_database(settings.bot.database)
    assembly = assemble(settings, db, clock, "slack")
    seen = {}

    async def platform():  # runs beside the dashboard, which starts right after it
        async with aiohttp.ClientSession() as client:
            for _ in range(500):
                try:
                    async with client.get(f"http://127.0.0.1:{port}/") as response:
                        seen["status"] = response.status
                        seen["csp"] = response.headers["Content-Security-Policy"]
                        seen["text"] = await response.text()
                        return
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.01)

    try:
        assert await serve(assembly, Quiet(), platform, poll_seconds=0.01) == 0
    finally:
        db.close()
    assert seen["status"] == 401 and "Please sign in" in seen["text"]
    assert "frame-ancestors 'none'" in seen["csp"]
    with socket.socket() as sock:  # stopped: the port is free again
        sock.bind(("127.0.0.1", port))


async def test_the_dashboard_is_off_by_default(assembly):
    assert assembly.settings.web.enabled is False
    assert await start_dashboard(assembly.ctx) is None
    invocation = _admin_dashboard()
    members = assembly.ctx.members
    members.ensure_workspace("console", "console")
    members.ensure_member(invocation.actor)
    members.record_consent(invocation.actor)
    assembly.ctx.db.conn.commit()
    out = await asyncio.wait_for(assembly.handle_invocation(invocation), 10)
    text = " ".join(b.text for r in out for b in r.message.blocks if hasattr(b, "text"))
    assert "not switched on" in text and "/signin/" not in text


def _admin_dashboard():
    from bot.core.model import Actor, Invocation, Role

    return Invocation(actor=Actor("console", "boss", "boss", frozenset({Role.ADMIN})),
                      command="peer", text="admin dashboard")


async def test_a_port_in_use_is_a_clear_config_error(make_settings, clock):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings({"web": {"enabled": True, "port": port,
                                          "base_url": "https://dash.example.org"}})
        db = open_database(settings.bot.database)
        try:
            with pytest.raises(ConfigError, match=r"\[web\] port"):
                await start_dashboard(assemble(settings, db, clock, "slack").ctx)
        finally:
            db.close()


@pytest.mark.parametrize("base_url", ["", "ftp://x.org", "https://x.org/?a=1", "peerbot.org"])
def test_a_bad_base_url_is_refused_at_start_up(make_settings, base_url):
    with pytest.raises(ConfigError, match="base_url"):
        make_settings({"web": {"enabled": True, "base_url": base_url}})
