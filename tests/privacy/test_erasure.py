"""`/peer forget-me`: confirmed erasure removes every trace, down to the database bytes."""

from __future__ import annotations

from pathlib import Path

from bot.audit.log import record
from bot.core.members import MemberService
from bot.core.model import Action, Buttons, Invocation, Message, Target
from bot.demo import seed_demo

CANARY = "canary-7f3e9b1c"


async def ask(assembly, who, text):
    return await assembly.core.handle_invocation(Invocation(actor=who, command="peer", text=text))


async def press_label(assembly, who, reply, label):
    value = next(
        b.value for block in reply.message.blocks if isinstance(block, Buttons)
        for b in block.buttons if b.label == label
    )
    return await assembly.core.handle_action(Action(actor=who, value=value))


def occurrences(db_path: str, needle: str) -> dict[str, int]:
    counts = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(db_path + suffix)
        counts[suffix or "db"] = path.read_bytes().count(needle.encode()) if path.exists() else 0
    return counts


async def write_canaries(assembly, who):
    """The canary in every place a member can put text today (extend as topics land)."""
    await ask(assembly, who, "help")
    MemberService(assembly.ctx.db, assembly.ctx.clock).record_consent(who)
    await ask(assembly, who, "help")
    await ask(assembly, who, f"profile specialty {CANARY}")
    await ask(assembly, who, "group join Circle")
    record(assembly.ctx, "fran", "role.set", f"{who.user_id} -> facilitator",
           workspace_id="console", subject=who.user_id)
    with assembly.ctx.db.atomic():
        assembly.ctx.outbox.enqueue("console", "r1", Target(user_id=who.user_id),
                                    Message(fallback=f"hello {CANARY}"))


async def test_canary_is_gone_from_db_wal_and_shm(assembly, actor, settings):
    seed_demo(assembly.core, "console")
    who = actor("wren", display_name=f"Wren {CANARY}")
    await write_canaries(assembly, who)
    before = occurrences(settings.bot.database, CANARY)
    assert sum(before.values()) > 0, before
    card = (await ask(assembly, who, "forget-me"))[0]
    done = (await press_label(assembly, who, card, "Erase everything"))[0]
    assert "erased" in done.message.text()
    assert occurrences(settings.bot.database, CANARY) == {"db": 0, "-wal": 0, "-shm": 0}
    assembly.ctx.db.close()
    assert occurrences(settings.bot.database, CANARY) == {"db": 0, "-wal": 0, "-shm": 0}


async def test_every_row_is_removed_and_others_untouched(assembly, actor):
    seed_demo(assembly.core, "console")
    who = actor("wren")
    await write_canaries(assembly, who)
    db = assembly.ctx.db
    others_before = db.execute("SELECT count(*) FROM members WHERE user_id != 'wren'").fetchone()
    card = (await ask(assembly, who, "forget-me"))[0]
    await press_label(assembly, who, card, "Erase everything")
    for table in ("members", "memberships", "outbox"):
        left = db.execute(f"SELECT count(*) FROM {table} WHERE user_id = 'wren'").fetchone()[0]
        assert left == 0, table
    audit = db.execute("SELECT actor_id, detail, subject_id FROM audit_log").fetchall()
    assert audit == [("fran", "[erased] -> facilitator", None)]
    assert db.execute(
        "SELECT count(*) FROM members WHERE user_id != 'wren'"
    ).fetchone() == others_before


async def test_cancel_erases_nothing(assembly, actor):
    who = actor("wren")
    await write_canaries(assembly, who)
    card = (await ask(assembly, who, "forget-me"))[0]
    reply = (await press_label(assembly, who, card, "Cancel"))[0]
    assert "Nothing was erased" in reply.message.text()
    row = assembly.ctx.db.execute("SELECT specialty FROM members WHERE user_id = 'wren'").fetchone()
    assert row == (CANARY,)


async def test_a_failing_owner_rolls_everything_back(assembly, actor):
    who = actor("wren")
    await write_canaries(assembly, who)

    def broken(db, workspace_id, user_id):
        db.execute("DELETE FROM members WHERE workspace_id = ? AND user_id = ?",
                   [workspace_id, user_id])
        raise RuntimeError("disk on fire")

    assembly.core.router.owns_data("broken", lambda *a: {}, broken)
    card = (await ask(assembly, who, "forget-me"))[0]
    reply = (await press_label(assembly, who, card, "Erase everything"))[0]
    assert "nothing was changed" in reply.message.text()
    row = assembly.ctx.db.execute("SELECT specialty FROM members WHERE user_id = 'wren'").fetchone()
    assert row == (CANARY,)


async def test_erasure_cancels_pending_messages(assembly, actor):
    who = actor("wren")
    await write_canaries(assembly, who)
    card = (await ask(assembly, who, "forget-me"))[0]
    await press_label(assembly, who, card, "Erase everything")
    assert assembly.ctx.outbox.claim_due() == []


async def test_an_unknown_forget_button_erases_nothing(assembly, actor):
    who = actor("wren")
    await write_canaries(assembly, who)
    reply = (await assembly.core.handle_action(Action(actor=who, value="privacy.forget|yes")))[0]
    assert "no longer valid" in reply.message.text()
    row = assembly.ctx.db.execute("SELECT specialty FROM members WHERE user_id = 'wren'").fetchone()
    assert row == (CANARY,)
