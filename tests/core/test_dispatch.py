"""The dispatcher: one unit of work per request, every UserError answered, one commit.

Attacked the way a crash or a bug would: a handler that writes then fails, a handler
that raises a UserError after writing, a group nobody can choose, and a count of the
COMMITs each request makes on the real SQLite file.
"""

from __future__ import annotations

import pytest

from bot.core.errors import GroupChoiceError, UsageError, UserError
from bot.core.model import Action, Invocation, Reply, Section, reply
from bot.demo import seed_demo


async def say(assembly, who, text):
    replies = await assembly.core.handle_invocation(Invocation(actor=who, command="peer",
                                                               text=text))
    return "\n".join(r.message.text() for r in replies)


def count_commits(db):
    """COMMITs on the connection from now on (statements traced by SQLite itself)."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    return lambda: sum(1 for sql in seen if sql.strip().upper().startswith("COMMIT"))


def add_command(assembly, phrase, handler, **kw):
    assembly.core.router.command(phrase, handler, summary="test", usage=phrase, **kw)


async def test_a_user_error_after_a_write_is_answered_and_the_write_rolled_back(assembly, actor):
    seed_demo(assembly.core, "console")

    before = assembly.ctx.members.get("console", "bob").specialty

    def handler(request):
        request.ctx.members.update_profile("console", "bob", specialty="changed")
        raise UserError("That can't be done. Nothing was changed.")

    add_command(assembly, "test write-then-refuse", handler)
    assert await say(assembly, actor("bob"), "test write-then-refuse") == (
        "That can't be done. Nothing was changed.")
    assert assembly.ctx.members.get("console", "bob").specialty == before


async def test_a_usage_error_gets_the_usage_line(assembly, actor):
    seed_demo(assembly.core, "console")

    def handler(request):
        raise UsageError("Give a number.")

    add_command(assembly, "test usage", handler)
    assert await say(assembly, actor("bob"), "test usage x") == (
        "Give a number.\nUsage: `/peer test usage`")


async def test_a_bug_after_a_write_changes_nothing_and_says_so(assembly, actor, caplog):
    seed_demo(assembly.core, "console")
    before = assembly.ctx.members.get("console", "bob").specialty

    def handler(request):
        request.ctx.members.update_profile("console", "bob", specialty="LEAK-canary")
        raise KeyError("LEAK-canary")

    add_command(assembly, "test bug", handler)
    text = await say(assembly, actor("bob"), "test bug")
    assert "nothing was changed" in text
    assert assembly.ctx.members.get("console", "bob").specialty == before
    assert "LEAK-canary" not in caplog.text  # the error type is logged, never its text


@pytest.mark.parametrize("text, expected", [
    ("pair join", "Which group?"),
    ("group join Nowhere", "There is no peer group called"),
])
async def test_group_choice_problems_are_answered_not_failed(make_settings, clock, actor,
                                                             text, expected):
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings({"groups": [{"name": "Circle"}, {"name": "Night shift"}]})
    asm = assemble(settings, open_database(settings.bot.database), clock, "console")
    await say(asm, actor("wren"), "help")
    asm.ctx.members.record_consent(actor("wren"))
    for group in asm.ctx.members.groups("console"):
        asm.ctx.members.join_group("console", group.id, "wren")
    out = await say(asm, actor("wren"), text)
    assert expected in out and "went wrong" not in out
    assert issubclass(GroupChoiceError, UserError)


# One command per topic that writes; each must commit its writes exactly once.
WRITING_COMMANDS = [
    ("bob", "profile specialty grief"),
    ("bob", "profile tz Europe/Paris"),
    ("bob", "group leave Circle"),
    ("bob", "pair join"),
    ("bob", "pair avoid carol"),
    ("bob", "pair hours 09:00-17:00 mon-fri"),
    ("bob", "pair skip"),
    ("bob", "pair now"),
    ("bob", "checkin"),
    ("bob", "checkin time 17:30"),
    ("bob", "checkin days mon-fri"),
    ("bob", "checkin pause 2w"),
    ("bob", "checkin buddy carol"),
    ("fran", "admin role carol facilitator"),
    ("fran", "admin checkins every mon at 10:00"),
    ("fran", "admin checkins now"),
    ("fran", "pair round"),
    ("bob", "help"),
    ("bob", "nonsense words"),
]


@pytest.mark.parametrize("who, text", WRITING_COMMANDS, ids=[t for _, t in WRITING_COMMANDS])
async def test_every_request_commits_at_most_once(assembly, actor, who, text):
    """Services never commit: a command's writes land in one COMMIT, or none."""
    seed_demo(assembly.core, "console")
    await say(assembly, actor("bob"), "pair join")  # so that pairing commands have work
    for name in ("alice", "carol", "dan"):
        await say(assembly, actor(name), "pair join")
    commits = count_commits(assembly.ctx.db)
    await say(assembly, actor(who), text)
    assert commits() <= 1, f"{text!r} committed {commits()} times"


async def test_a_button_is_one_unit_of_work_too(assembly, actor):
    seed_demo(assembly.core, "console")
    calls: list[str] = []
    before = assembly.ctx.members.get("console", "bob").specialty

    def handler(request):
        request.ctx.members.update_profile("console", "bob", specialty="x")
        calls.append("ran")
        raise RuntimeError("boom")

    assembly.core.router.action("test.boom", handler)
    replies = await assembly.core.handle_action(Action(actor=actor("bob"), value="test.boom"))
    assert calls == ["ran"] and "nothing was changed" in replies[0].message.text()
    assert assembly.ctx.members.get("console", "bob").specialty == before


async def test_after_commit_runs_only_when_the_unit_commits(assembly, actor):
    seed_demo(assembly.core, "console")
    ran: list[str] = []

    def ok(request):
        request.after_commit(lambda: ran.append("ok"))
        return reply(Section("fine"))

    def fails(request):
        request.after_commit(lambda: ran.append("fails"))
        raise UserError("no")

    add_command(assembly, "test ok", ok)
    add_command(assembly, "test fails", fails)
    await say(assembly, actor("bob"), "test ok")
    await say(assembly, actor("bob"), "test fails")
    assert ran == ["ok"]


def test_coroutine_handlers_are_refused_at_registration(assembly):
    async def handler(request) -> Reply:
        return reply(Section("x"))

    with pytest.raises(TypeError, match="plain function"):
        add_command(assembly, "test async", handler)


async def test_a_first_contact_that_fails_is_answered_and_tried_again(assembly, actor,
                                                                      monkeypatch):
    """The workspace is created inside the first request's unit of work: a locked or
    failing database gets the calm reply, and the next request creates it for real."""
    import sqlite3

    from bot.core.members import MemberService

    real = MemberService.ensure_workspace
    calls: list[str] = []

    def locked_once(self, workspace_id, *args, **kwargs):
        calls.append(workspace_id)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(self, workspace_id, *args, **kwargs)

    monkeypatch.setattr(MemberService, "ensure_workspace", locked_once)
    who = actor("wren", workspace_id="W2")
    assert "nothing was changed" in await say(assembly, who, "help")
    assert assembly.ctx.db.execute("SELECT count(*) FROM workspaces WHERE id = 'W2'"
                                   ).fetchone()[0] == 0
    assert "peerbot help" in await say(assembly, who, "help")
    await say(assembly, who, "help")
    assert calls == ["W2", "W2"]  # created once, then remembered
