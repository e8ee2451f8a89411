"""The platform loop delivers outbox rows and recovers in-flight ones after a crash."""

from __future__ import annotations

import asyncio
import os

from bot.core.model import Section, Target, message
from bot.runtime import serve


class Recorder:
    def __init__(self):
        self.sent: list[str] = []

    async def send(self, workspace_id, target, msg):
        self.sent.append(target.key())
        return "ref"


async def test_serve_drains_and_recovers(assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue("W", "r", Target(user_id="crashed"), message(Section("a")))
        ctx.outbox.enqueue("W", "r", Target(user_id="fresh"), message(Section("b")))
    ctx.outbox.claim_due(1)  # "crashed" was mid-send when the last process died
    ctx.db.execute("UPDATE workspaces SET disabled_reason = 'token_revoked'")
    ctx.db.commit()
    messenger = Recorder()

    async def adapter():
        for _ in range(100):
            if len(messenger.sent) == 2:
                return
            await asyncio.sleep(0.01)

    assert await serve(assembly, messenger, adapter, poll_seconds=0.01) == 0
    assert sorted(messenger.sent) == ["user:crashed", "user:fresh"]
    assert ctx.outbox.status_counts("W") == {"sent": 2}


class Held:
    """A platform whose first send waits to be released: a send in flight at the stop."""

    def __init__(self):
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.sent: list[str] = []

    async def send(self, workspace_id, target, msg):
        self.started.set()
        await self.release.wait()
        self.sent.append(target.key())
        return "ref"


async def test_a_stop_settles_the_send_in_flight_checkpoints_and_exits_0(assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "slack")
    with ctx.db.atomic():
        for user in ("a", "b", "c"):
            ctx.outbox.enqueue("W", "r", Target(user_id=user), message(Section(user)))
    messenger = Held()
    stop = asyncio.Event()
    platform_stopped = asyncio.Event()

    async def adapter():
        try:
            await asyncio.Event().wait()  # serves until cancelled
        finally:
            assert assembly.stopping  # new work was refused before the platform stopped
            platform_stopped.set()

    async def stop_mid_send():
        await messenger.started.wait()
        stop.set()  # what SIGTERM does
        await asyncio.sleep(0.05)
        messenger.release.set()

    runner = asyncio.get_running_loop().create_task(
        serve(assembly, messenger, adapter, poll_seconds=0.01, stop=stop))
    await stop_mid_send()
    assert await asyncio.wait_for(runner, 10) == 0
    assert platform_stopped.is_set()
    counts = ctx.outbox.status_counts("W")
    assert counts.get("sent", 0) == len(messenger.sent) >= 1
    assert counts.get("sending", 0) == 0  # nothing left in the crash window
    wal = f"{ctx.settings.bot.database}-wal"
    assert os.path.getsize(wal) == 0  # checkpointed into the database file
