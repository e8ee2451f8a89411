"""Tokens never reach a log line, the console, the database or a backup.

The bot runs in a subprocess with fake tokens in its environment and DEBUG logging;
then every byte it wrote (stdout, stderr, the database, -wal, -shm, a backup) is
searched for the exact token values and for token-shaped strings. A second test makes
a platform error echo a token (as some APIs do) and checks what delivery stores/logs.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.core.logsafe import TOKEN_PATTERNS, RedactingFilter
from bot.core.model import Message, Target
from bot.core.ports import Undeliverable, WorkspaceUnavailable
from bot.runtime import deliverer_for
from tests.support.paths import REPO

FAKE = {
    "SLACK_BOT_TOKEN": "xoxb-1111111111-2222222222-FakeBotTokenAbCdEf123456",
    "SLACK_APP_TOKEN": "xapp-1-A0FAKE000-3333333333-fakeapptokenabcdef0123456789",
    "SLACK_SIGNING_SECRET": "f4k3s1gn1ngs3cr3t0123456789abcdef",
    "DISCORD_TOKEN": "MTAxFakeDiscordTokenAbCdEf.GhIjKl.mnopqrstuvwxyzABCDEFGHIJKLMNOP12",
}
SCRIPT = """as wren
/peer help
/peer profile
press 1
/peer profile specialty grief
/peer group join Circle
/peer export
/peer admin audit
/peer nonsense words
/crisis
as fran
/peer admin audit
/peer admin role alice facilitator
as wren
/peer forget-me
press 1
wait 3d
quit
"""


def leaks(data: str) -> list[str]:
    found = [name for name, value in FAKE.items() if value in data]
    found += [p.pattern for p in TOKEN_PATTERNS if p.search(data)]
    return found


def run(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), **FAKE}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(cwd / "peerbot.toml"), *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )


def test_fake_tokens_appear_nowhere(tmp_path):
    (tmp_path / "peerbot.toml").write_text(
        '[bot]\nplatform = "console"\ndatabase = "bot.sqlite"\nlog_level = "DEBUG"\n'
        'admins = ["fran"]\n[console]\nstart = "2026-01-05T08:00:00+00:00"\n'
    )
    outputs = [run(["run"], tmp_path, SCRIPT), run(["doctor"], tmp_path),
               run(["db", "check"], tmp_path), run(["db", "backup", "copy.sqlite"], tmp_path)]
    assert outputs[0].returncode == 0, outputs[0].stderr
    assert "Erase everything" in outputs[0].stdout  # the script really ran
    for proc in outputs:
        assert leaks(proc.stdout) == [] and leaks(proc.stderr) == []
    files = [p for p in tmp_path.iterdir() if p.name.startswith(("bot.sqlite", "copy.sqlite"))]
    assert any(p.name == "copy.sqlite" for p in files)
    for path in files:
        assert leaks(path.read_bytes().decode("latin-1")) == [], path.name


class EchoingMessenger:
    """A platform whose error messages repeat the token, as a careless SDK might."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self.calls += 1
        token = FAKE["SLACK_BOT_TOKEN"]
        if target.user_id == "gone":
            raise Undeliverable(f"user_not_found (token {token})")
        if target.user_id == "boom":
            raise RuntimeError(f"connection reset while using {token}")
        raise WorkspaceUnavailable(f"invalid_auth for {token}")


async def test_platform_errors_echoing_a_token_are_not_stored_or_logged(assembly, caplog):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "slack")
    with ctx.db.atomic():
        for user in ("gone", "boom", "any"):
            ctx.outbox.enqueue("W", "r1", Target(user_id=user), Message(fallback="hi"))
    for user in ("gone", "boom", "any"):
        ctx.db.execute("INSERT INTO members (workspace_id, user_id, created_at)"
                       " VALUES ('W', ?, 'x')", [user])
    ctx.db.commit()
    redactor = RedactingFilter(list(FAKE.values()))
    caplog.handler.addFilter(redactor)
    caplog.set_level(logging.DEBUG)
    try:
        await deliverer_for(ctx, EchoingMessenger()).drain_once()
    finally:
        caplog.handler.removeFilter(redactor)
    assert leaks(caplog.text) == []
    dump = "\n".join(ctx.db.conn.iterdump())
    assert "invalid_auth" in dump or "user_not_found" in dump  # errors were recorded...
    assert leaks(dump) == []  # ...without the token
    assert re.search(r"\[redacted\]", dump)
