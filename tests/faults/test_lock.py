"""A database locked for 10 s by another process loses no answer.

Another process takes the write lock (``BEGIN IMMEDIATE`` plus a write, so every
other snapshot goes stale) and holds it for ``LOCK_SECONDS``. Meanwhile a check-in
answer arrives through the core (or a profile change while check-ins are absent), a
read-then-write unit runs in ``write_transaction``, and a member erases their data.
Each must wait the lock out (the busy timeout is 30 s) and land.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta

from bot.core.model import Action, Actor, Invocation
from bot.demo import seed_demo
from bot.privacy.erasure import PrivacyService
from bot.store.db import BUSY_TIMEOUT_MS, open_database, write_transaction

LOCK_SECONDS = float(os.environ.get("PEERBOT_LOCK_SECONDS", "10"))
HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE workspaces SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def hold_lock(path: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, path, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def open_prompt(assembly, user: str) -> tuple[int, str, int] | None:
    """An open check-in prompt for ``user`` if the check-ins topic is here."""
    db = assembly.ctx.db
    if "checkin_prompts" not in db.table_names():
        return None
    from bot.checkins.questions import DEFAULT_SET

    now = assembly.ctx.clock.now()
    group = assembly.ctx.members.groups("console")[0].id
    cursor = db.execute(
        "INSERT INTO checkin_prompts (workspace_id, group_id, user_id, local_date, question_set,"
        " opened_at, closes_at) VALUES ('console', ?, ?, ?, 'default', ?, ?)",
        [group, user, now.date().isoformat(), now.isoformat(),
         (now + timedelta(hours=12)).isoformat()],
    )
    db.commit()
    question = DEFAULT_SET.questions[0]
    return cursor.lastrowid, question.key, question.options[2].value


def test_busy_timeout_keeps_a_margin_over_a_10_second_lock():
    assert BUSY_TIMEOUT_MS >= 3 * 10_000


async def test_answers_and_erasure_wait_out_the_lock(assembly, settings):
    seed_demo(assembly.core, "console")
    path = settings.bot.database
    prompt = open_prompt(assembly, "alice")
    results: dict[str, object] = {}

    def read_then_write() -> None:
        db = open_database(path)
        started = time.monotonic()
        with write_transaction(db):
            count = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            db.execute("INSERT INTO audit_log (workspace_id, at, actor_id, action, detail)"
                       " VALUES ('console', 'now', 'fran', 'pair.round', ?)", [f"#{count}"])
        results["read_then_write"] = time.monotonic() - started
        db.close()

    def erase() -> None:
        db = open_database(path)
        started = time.monotonic()
        report = PrivacyService(db, assembly.ctx.clock).erase("console", "erin")
        results["erase"] = (time.monotonic() - started, report.rows["member"])
        db.close()

    holder = hold_lock(path, LOCK_SECONDS)
    threads = [threading.Thread(target=read_then_write), threading.Thread(target=erase)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    alice = Actor("console", "alice", "alice")
    if prompt is not None:
        prompt_id, key, value = prompt
        replies = await assembly.core.handle_action(
            Action(actor=alice, value=f"checkin.answer|{prompt_id}:{key}:{value}"))
    else:
        replies = await assembly.core.handle_invocation(
            Invocation(actor=alice, command="peer", text="profile specialty lock-test"))
    results["answer"] = time.monotonic() - started
    for thread in threads:
        thread.join(timeout=60)
    holder.wait(timeout=60)
    print(f"lock {LOCK_SECONDS}s; waited: {results}")
    assert "something went wrong" not in replies[0].message.text().lower()
    db = assembly.ctx.db
    if prompt is not None:
        stored = db.execute("SELECT value FROM checkin_answers WHERE prompt_id = ?",
                            [prompt[0]]).fetchall()
        assert stored == [(prompt[2],)]
    else:
        assert assembly.ctx.members.get("console", "alice").specialty == "lock-test"
    assert "read_then_write" in results and results["erase"][1] == 1
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'pair.round'").fetchone() \
        == (1,)


def test_a_deferred_read_then_write_would_fail_at_once(tmp_path):
    """Why write_transaction exists: ``db.atomic()`` reading first cannot wait for a lock."""
    path = str(tmp_path / "a.sqlite")
    db = open_database(path)
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('w', 'x', 'now')")
    db.commit()
    holder = hold_lock(path, 1.5)
    failed = False
    try:
        with db.atomic():
            db.execute("SELECT count(*) FROM workspaces").fetchone()
            db.execute("UPDATE workspaces SET name = 'changed'")
    except sqlite3.OperationalError:
        failed = True
    with write_transaction(db):
        db.execute("SELECT count(*) FROM workspaces").fetchone()
        db.execute("UPDATE workspaces SET name = 'changed'")
    holder.wait(timeout=30)
    assert failed
    assert db.execute("SELECT name FROM workspaces").fetchone() == ("changed",)
