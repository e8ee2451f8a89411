"""Erasure across every topic that has landed: a member uses everything, then forgets.

The member (id ``U7Q9ZK``, unlike any other text) joins pairing, declares a conflict,
answers a check-in and writes a canary into its private note; then `/peer forget-me`.
Afterwards the canary is in none of the database files and the id is in no row of the
workspace, except where another member's own private data names them (listed below,
each with its reason).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.members import MemberService
from bot.core.model import Action, Actor, Buttons, Invocation
from bot.demo import seed_demo

CANARY = "note-canary-0b7e4f"
WHO = Actor("console", "U7Q9ZK", "Quinn")
# (table, column): why the id may stay after the member erased their data. None: another
# member's don't-pair entry about them keeps a one-way keyed pseudonym instead.
ALLOWED: dict[tuple[str, str], str] = {}


async def ask(assembly, text, who=WHO):
    return await assembly.core.handle_invocation(
        Invocation(actor=who, command="peer", text=text, channel_id="circle"))


def commands(assembly) -> set[str]:
    return {s.phrase for s in assembly.core.router.commands()}


async def use_everything(assembly) -> None:
    seed_demo(assembly.core, "console")
    await ask(assembly, "help")
    MemberService(assembly.ctx.db, assembly.ctx.clock).record_consent(WHO)
    await ask(assembly, "group join Circle")
    await ask(assembly, f"profile specialty {CANARY}")
    available = commands(assembly)
    if "pair join" in available:
        await ask(assembly, "pair join")
        await ask(assembly, "pair avoid @bob")
        await ask(assembly, "pair avoid @U7Q9ZK", who=Actor("console", "alice", "alice"))
    if "checkin note" in available:
        db, now = assembly.ctx.db, assembly.ctx.clock.now()
        from bot.checkins.questions import DEFAULT_SET

        group = assembly.ctx.members.group_by_name("console", "Circle").id
        prompt = db.execute(
            "INSERT INTO checkin_prompts (workspace_id, group_id, user_id, local_date,"
            " question_set, note_allowed, opened_at, closes_at) VALUES"
            " ('console', ?, ?, ?, 'default', 1, ?, ?)",
            [group, WHO.user_id, now.date().isoformat(), now.isoformat(),
             (now + timedelta(hours=12)).isoformat()],
        ).lastrowid
        db.commit()
        question = DEFAULT_SET.questions[0]
        await assembly.core.handle_action(Action(
            actor=WHO, value=f"checkin.answer|{prompt}:{question.key}:{question.options[0].value}"))
        await ask(assembly, f"checkin note {CANARY}")
        note = db.execute("SELECT note FROM checkin_prompts WHERE id = ?", [prompt]).fetchone()
        assert note == (CANARY,), "the note command did not store the canary"


async def forget(assembly) -> None:
    card = (await ask(assembly, "forget-me"))[0]
    confirm = next(b.value for blk in card.message.blocks if isinstance(blk, Buttons)
                   for b in blk.buttons if b.label == "Erase everything")
    done = (await assembly.core.handle_action(Action(actor=WHO, value=confirm)))[0]
    assert "erased" in done.message.text()


async def test_canary_in_a_note_is_gone_from_every_file(assembly, settings):
    await use_everything(assembly)
    await forget(assembly)
    for suffix in ("", "-wal", "-shm"):
        path = Path(settings.bot.database + suffix)
        if path.exists():
            assert path.read_bytes().count(CANARY.encode()) == 0, suffix


async def test_no_row_names_the_member_afterwards(assembly):
    await use_everything(assembly)
    await forget(assembly)
    db = assembly.ctx.db
    leftovers = []
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        if "workspace_id" not in columns:
            continue
        for row in db.execute(f"SELECT * FROM {table} WHERE workspace_id = 'console'"):
            for column, value in zip(columns, row, strict=True):
                named = isinstance(value, str) and WHO.user_id in value
                if named and (table, column) not in ALLOWED:
                    leftovers.append((table, column, value[:80]))
    assert leftovers == []


async def test_an_erased_facilitator_leaves_no_id_behind(assembly):
    seed_demo(assembly.core, "console")
    fran = Actor("console", "fran", "fran")
    for name in ("alice", "bob", "carol", "dan"):
        await ask(assembly, "pair join", who=Actor("console", name, name))
    for text in ("pair round", "admin checkins every mon,wed at 10:00", "admin checkins now"):
        await ask(assembly, text, who=fran)
    card = (await ask(assembly, "forget-me", who=fran))[0]
    confirm = next(b.value for blk in card.message.blocks if isinstance(blk, Buttons)
                   for b in blk.buttons if b.label == "Erase everything")
    await assembly.core.handle_action(Action(actor=fran, value=confirm))
    db = assembly.ctx.db
    leftovers = []
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        for row in db.execute(f"SELECT * FROM {table}"):
            leftovers += [(table, c) for c, v in zip(columns, row, strict=True) if v == "fran"]
    assert leftovers == []
