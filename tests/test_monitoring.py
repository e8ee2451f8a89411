"""/healthz, /readyz and /metrics, scraped over HTTP from the running serve loop."""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
from datetime import timedelta

import aiohttp
import pytest

from bot.core.clock import ManualClock
from bot.core.jobs import JobSpec
from bot.core.model import Actor, Invocation, Section, Target, message
from bot.core.ports import RateLimited
from bot.monitoring import Monitor, flag_probe, outbox_backlog, platform_probe
from bot.runtime import assemble, serve
from bot.store.db import open_database
from jobs.scheduler import ClockDrivenScheduler
from tests.conftest import START

TYPED = "my colleague Zebulon said something awful"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, \
            session.get(f"http://127.0.0.1:{port}{path}") as response:
        return response.status, await response.text()


def sample(body: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text format, labels in any order."""
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if line.split("{")[0].split(" ")[0] == name and all(
                found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


class Flaky:
    """Rate-limited once, then delivers; knows whether it is 'connected'."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.calls = 0
        self.up = True

    async def send(self, workspace_id, target, msg):
        self.calls += 1
        if self.calls == 1:
            raise RateLimited(0.01)
        self.sent.append(target.key())
        return "ref"

    async def connected(self) -> bool:
        return self.up


@pytest.fixture
def slack_assembly(make_settings, clock):
    port = free_port()
    settings = make_settings({"monitoring": {"port": port}})
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "slack"), port
    db.close()


async def test_a_scrape_of_the_running_bot(slack_assembly):
    assembly, port = slack_assembly
    ctx = assembly.ctx
    ctx.members.ensure_workspace("T1", "slack")
    actor = Actor("T1", "U1", "Una")
    with ctx.db.atomic():
        ctx.members.ensure_member(actor)
        ctx.members.record_consent(actor)
        ctx.outbox.enqueue("T1", "r1", Target(user_id="U1"), message(Section("hello")))
    ctx.db.commit()
    messenger = Flaky()
    seen: dict[str, tuple[int, str]] = {}

    async def adapter():
        await assembly.handle_invocation(Invocation(actor, "peer", "profile tz Zebulon/Awful"))
        await assembly.handle_invocation(Invocation(actor, "peer", "help", "C1"))
        await assembly.handle_invocation(Invocation(actor, "peer", f"nonsense {TYPED}", "C1"))
        for _ in range(300):
            if messenger.sent:
                break
            ctx.clock.advance(timedelta(seconds=1))  # the 429's pause passes
            await asyncio.sleep(0.01)
        for path in ("/healthz", "/readyz", "/metrics"):
            seen[path] = await get(port, path)
        messenger.up = False
        seen["down"] = await get(port, "/readyz")

    assert await serve(assembly, messenger, adapter, poll_seconds=0.01) == 0
    assert seen["/healthz"] == (200, '{"status": "ok"}')
    status, ready = seen["/readyz"]
    assert status == 200, ready
    for check in ("database", "outbox", "platform", "scheduler", "delivery"):
        assert f'"{check}"' in ready
    status, body = seen["/metrics"]
    assert status == 200
    assert sample(body, "peerbot_commands_total", topic="community", kind="command",
                  outcome="ok") == 1.0
    assert sample(body, "peerbot_commands_total", topic="unknown", kind="command",
                  outcome="ok") == 1.0
    assert sample(body, "peerbot_commands_total", topic="community", kind="command",
                  outcome="user_error") == 1.0
    assert sample(body, "peerbot_ack_seconds_count", kind="command") == 3.0
    assert sample(body, "peerbot_rate_limited_total", platform="slack") == 1.0
    assert sample(body, "peerbot_sends_total", platform="slack", result="sent") == 1.0
    assert sample(body, "peerbot_send_seconds_count", platform="slack") == 2.0
    assert sample(body, "peerbot_outbox_messages", state="sent") == 1.0
    assert sample(body, "peerbot_outbox_messages", state="pending") == 0.0
    assert sample(body, "peerbot_outbox_messages", state="in_flight") == 0.0
    assert sample(body, "peerbot_database_bytes", file="main") > 0
    assert "Zebulon" not in body and "awful" not in body  # never typed text
    status, down = seen["down"]
    assert status == 503 and '"not connected"' in down
    with pytest.raises(aiohttp.ClientConnectionError):  # the server stopped with the bot
        await get(port, "/healthz")


async def test_job_runs_and_errors_are_counted_by_job_name(assembly, clock):
    def broken(ctx):
        raise ValueError(TYPED)

    specs = [JobSpec(id="explodes", trigger=_every_hour(), func=broken),
             JobSpec(id="fine", trigger=_every_hour(), func=lambda ctx: None)]
    scheduler = ClockDrivenScheduler(assembly.ctx, clock, specs)
    await scheduler.advance(timedelta(hours=3))
    from prometheus_client import generate_latest

    body = generate_latest(assembly.ctx.metrics.registry).decode()
    assert sample(body, "peerbot_job_runs_total", job="explodes", result="error") == 4.0
    assert sample(body, "peerbot_job_runs_total", job="fine", result="ok") == 4.0
    assert "Zebulon" not in body


def _every_hour():
    from apscheduler.triggers.interval import IntervalTrigger

    return IntervalTrigger(hours=1, start_date=START)


async def start(ctx, probes=None) -> tuple[Monitor, int]:
    monitor = Monitor(ctx, dict(probes or {}))
    return monitor, await monitor.start("127.0.0.1", free_port())


async def test_readyz_fails_fast_while_the_database_is_locked(assembly):
    monitor, port = await start(assembly.ctx)
    holder = sqlite3.connect(assembly.ctx.settings.bot.database)
    holder.execute("BEGIN IMMEDIATE")
    try:
        loop = asyncio.get_running_loop()
        began = loop.time()
        status, body = await get(port, "/readyz")
        assert status == 503 and "cannot take the write lock" in body
        assert loop.time() - began < 10  # not SQLite's 30 s busy timeout
        assert (await get(port, "/healthz"))[0] == 200  # alive, just not ready
    finally:
        holder.rollback()
        holder.close()
        status, _ = await get(port, "/readyz")
        await monitor.stop()
    assert status == 200


async def test_readyz_fails_when_the_outbox_is_stuck(assembly, clock: ManualClock):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("T1", "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue("T1", "r1", Target(user_id="U1"), message(Section("hi")))
    ctx.db.commit()
    monitor, port = await start(ctx)
    try:
        assert (await get(port, "/readyz"))[0] == 200  # due now, not yet stuck
        clock.advance(timedelta(minutes=16))
        status, body = await get(port, "/readyz")
        assert status == 503 and "1 message(s) due since" in body
    finally:
        await monitor.stop()


@pytest.mark.parametrize("probe", ["scheduler", "platform"])
async def test_readyz_fails_when_a_part_is_down(assembly, probe):
    probes = {"scheduler": flag_probe(lambda: probe != "scheduler", "running", "stopped"),
              "platform": platform_probe(object(), lambda: probe != "platform")}
    monitor, port = await start(assembly.ctx, probes)
    try:
        status, body = await get(port, "/readyz")
    finally:
        await monitor.stop()
    assert status == 503
    assert ('"stopped"' if probe == "scheduler" else "platform loop is not running") in body


def test_outbox_backlog_ignores_messages_waiting_for_a_later_time(tmp_path):
    db = open_database(tmp_path / "o.sqlite")
    db.close()
    ok, detail = outbox_backlog(str(tmp_path / "o.sqlite"), "2026-01-05T08:00:00+00:00",
                                "2026-01-05T07:45:00+00:00")
    assert ok and detail == "0 message(s) due now"


async def test_monitoring_is_off_for_the_console_and_on_when_asked(make_settings):
    from bot.monitoring import start_monitor

    settings = make_settings({"monitoring": {}})  # the defaults
    assert settings.monitoring.enabled_for("console") is False
    assert settings.monitoring.enabled_for("discord") is True
    off = make_settings({"monitoring": {"enabled": "off"}})
    assert off.monitoring.enabled_for("slack") is False
    on = make_settings({"monitoring": {"enabled": "on"}})
    assert on.monitoring.enabled_for("console") is True
    db = open_database(settings.bot.database)
    try:
        from bot.runtime import build_context

        ctx = build_context(settings, db, ManualClock(START), "console")
        assert await start_monitor(ctx, {}) is None
    finally:
        db.close()


async def test_a_busy_port_is_a_clear_config_error(make_settings, clock):
    from bot.core.config import ConfigError
    from bot.monitoring import start_monitor
    from bot.runtime import build_context

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings({"monitoring": {"port": port}})
        db = open_database(settings.bot.database)
        try:
            ctx = build_context(settings, db, clock, "slack")
            with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
                await start_monitor(ctx, {})
        finally:
            db.close()


async def test_the_platform_messengers_say_whether_they_are_connected():
    from adapters.discord.messenger import DiscordMessenger
    from adapters.slack.messenger import SlackMessenger

    class Client:
        closed = False

        def is_closed(self) -> bool:
            return self.closed

    client = Client()
    discord = DiscordMessenger(client)  # type: ignore[arg-type]
    assert await discord.connected() is False  # not logged in yet
    discord.ready.set()
    assert await discord.connected() is True
    client.closed = True
    assert await discord.connected() is False
    slack = SlackMessenger(object())  # type: ignore[arg-type]
    assert await slack.connected() is False  # not serving yet
    state = {"up": True}

    async def link() -> bool:
        return state["up"]

    slack.link = link
    assert await slack.connected() is True
    state["up"] = False
    assert await slack.connected() is False


async def test_readyz_says_not_ready_while_the_bot_stops(slack_assembly):
    """During the clean stop the endpoints still answer, and /readyz is 503 so a load
    balancer or orchestrator stops routing to the stopping instance."""
    assembly, port = slack_assembly
    ctx = assembly.ctx
    ctx.members.ensure_workspace("T1", "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue("T1", "r1", Target(user_id="U1"), message(Section("slow")))
    ctx.db.commit()
    started = asyncio.Event()

    class Slow:
        async def send(self, workspace_id, target, msg):
            started.set()
            await asyncio.sleep(1.0)  # still in flight when the stop begins
            return "ref"

    during: list[tuple[int, str]] = []

    async def probe_during_stop():
        await asyncio.sleep(0.3)
        during.append(await get(port, "/readyz"))

    async def adapter():
        await started.wait()
        asyncio.get_running_loop().create_task(probe_during_stop())
        # returning ends the platform: serve begins its clean stop, the send in flight

    assert await serve(assembly, Slow(), adapter, poll_seconds=0.01) == 0
    assert during and during[0][0] == 503, during
    assert "platform loop is not running" in during[0][1]


async def test_apscheduler_jobs_are_named_by_their_id(assembly):
    from jobs import collect_jobs
    from jobs.scheduler import start_apscheduler

    specs = collect_jobs(assembly.ctx, assembly.core.router)

    async def after() -> None:
        return None

    scheduler = start_apscheduler(assembly.ctx, specs, after=after)
    try:
        names = sorted(job.name for job in scheduler.get_jobs())
    finally:
        scheduler.shutdown(wait=False)
    assert names == sorted(s.id for s in specs)
    assert "checkins.tick" in names and not any("runner" in n for n in names)
