"""Two workspaces whose members share a platform id ("U1"): nothing crosses over.

Every registered command (and the export/erase path) runs in workspace W1; workspace
W2's rows must be byte-for-byte the same afterwards and no reply in W1 may mention
anything that only W2 holds. New topics are covered automatically: the loop runs every
command the router knows and snapshots every table that carries a ``workspace_id``.
"""

from __future__ import annotations

import json

import pytest

from bot.audit.log import record
from bot.core.members import MemberService
from bot.core.model import Action, Actor, Buttons, Invocation, Message, Target
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.agreeing import agree

MARK = {"W1": "marker-one-a1", "W2": "marker-two-b2"}


@pytest.fixture
def two(make_settings, clock):
    settings = make_settings({"bot": {"admins": ["U1"]}, "groups": [{"name": "Circle"}],
                              "limits": {"command_burst": 1000}})  # every command, at once
    db = open_database(settings.bot.database)
    asm = assemble(settings, db, clock, "slack")
    yield asm
    db.close()


def actor(ws: str, user: str = "U1") -> Actor:
    return Actor(ws, user, f"{user} of {ws}")


async def ask(asm, who, text):
    return await asm.core.handle_invocation(Invocation(actor=who, command="peer", text=text,
                                                       channel_id="C1"))


def everything_text(replies) -> str:
    parts = []
    for r in replies:
        parts.append(r.message.text())
        if r.message.attachment is not None:
            parts.append(r.message.attachment.content)
    return "\n".join(parts)


def snapshot(db, ws: str) -> dict[str, list]:
    out = {}
    for table in db.table_names():
        columns = {c.name for c in db[table].columns}
        if "workspace_id" in columns:
            rows = db.execute(f"SELECT * FROM {table} WHERE workspace_id = ?", [ws]).fetchall()
        elif table == "workspaces":
            rows = db.execute("SELECT * FROM workspaces WHERE id = ?", [ws]).fetchall()
        else:
            continue
        out[table] = sorted(rows, key=repr)
    return out


async def populate(asm, ws: str) -> None:
    for user in ("U1", "U2"):
        who = actor(ws, user)
        await ask(asm, who, "help")
        MemberService(asm.ctx.db, asm.ctx.clock).record_consent(who)
        await ask(asm, who, f"profile specialty {MARK[ws]}-{user}")
        await ask(asm, who, "group join Circle")
    record(asm.ctx, actor(ws), "pair.round", f"{MARK[ws]} round")
    with asm.ctx.db.atomic():
        asm.ctx.outbox.enqueue(ws, "r1", Target(user_id="U1"), Message(fallback=MARK[ws]))


async def test_every_command_in_w1_leaves_w2_untouched_and_unseen(two):
    await populate(two, "W1")
    await populate(two, "W2")
    before = snapshot(two.ctx.db, "W2")
    seen = []
    for spec in two.core.router.commands():
        for args in ("", " U1", " <@U1>", " Circle", " 5"):
            seen.append(everything_text(await ask(two, actor("W1"), spec.phrase + args)))
    text = "\n".join(seen)
    assert MARK["W1"] in text  # the loop did reach W1's own data
    assert MARK["W2"] not in text
    assert snapshot(two.ctx.db, "W2") == before


async def test_export_reads_only_its_own_workspace(two):
    await populate(two, "W1")
    await populate(two, "W2")
    replies = await ask(two, actor("W1"), "export")
    data = json.loads(replies[0].message.attachment.content)
    assert data["workspace_id"] == "W1" and data["member"]["specialty"] == f"{MARK['W1']}-U1"
    assert MARK["W2"] not in replies[0].message.attachment.content


async def test_erasure_in_w1_keeps_u1_of_w2(two):
    await populate(two, "W1")
    await populate(two, "W2")
    before = snapshot(two.ctx.db, "W2")
    card = (await ask(two, actor("W1"), "forget-me"))[0]
    confirm = next(b.value for blk in card.message.blocks if isinstance(blk, Buttons)
                   for b in blk.buttons if b.label == "Erase everything")
    await two.core.handle_action(Action(actor=actor("W1"), value=confirm))
    assert two.ctx.members.get("W1", "U1") is None
    assert snapshot(two.ctx.db, "W2") == before
    assert two.ctx.members.get("W2", "U1").specialty == f"{MARK['W2']}-U1"


async def test_consent_in_one_workspace_is_not_consent_in_the_other(two):
    who = actor("W1")
    await ask(two, who, "help")
    MemberService(two.ctx.db, two.ctx.clock).record_consent(who)
    reply = (await ask(two, actor("W2"), "profile"))[0]
    assert "Welcome to peerbot" in reply.message.text()


async def test_every_table_names_its_workspace(two):
    # A full-text index (``resources_fts`` and SQLite's shadow tables behind it) holds
    # only its table's rowids and words; every search joins it back to the table, which
    # names the workspace (bot/resources/library.py), so the index is exempt.
    indexes = {t for t in two.ctx.db.table_names()
               if "_fts" in t and t.split("_fts", 1)[0] in two.ctx.db.table_names()}
    for table in two.ctx.db.table_names():
        if table.startswith("_") or table == "workspaces" or table in indexes:
            continue
        assert "workspace_id" in {c.name for c in two.ctx.db[table].columns}, table


async def test_delivery_sends_each_workspace_its_own_messages(two):
    from bot.runtime import deliverer_for

    await populate(two, "W1")
    await populate(two, "W2")

    class Recorder:
        def __init__(self):
            self.sent = []

        async def send(self, workspace_id, target, message):
            self.sent.append((workspace_id, target.user_id, message.text()))
            return f"ref-{len(self.sent)}"

    messenger = Recorder()
    await deliverer_for(two.ctx, messenger).drain_once()
    assert sorted(messenger.sent) == [("W1", "U1", MARK["W1"]), ("W2", "U1", MARK["W2"])]


async def test_forged_buttons_from_w1_cannot_touch_w2(two):
    """Every registered action, with every row id that exists (ids are global), pressed
    by U1 of W1: W2's rounds, prompts and answers stay exactly as they were."""
    await populate(two, "W1")
    await populate(two, "W2")
    db = two.ctx.db
    commands = {s.phrase for s in two.core.router.commands()}
    if "pair join" in commands:
        for user in ("U1", "U2"):
            await ask(two, actor("W2", user), "pair join")
            await agree(two.core, actor("W2", user), "Circle")
        await ask(two, actor("W2"), "pair round")
        rounds = db.execute("SELECT count(*) FROM pairing_rounds WHERE workspace_id = 'W2'")
        assert rounds.fetchone()[0] == 1
    if "checkin_prompts" in db.table_names():
        group = two.ctx.members.group_by_name("W2", "Circle").id
        now = two.ctx.clock.now()
        db.execute(
            "INSERT INTO checkin_prompts (workspace_id, group_id, user_id, local_date,"
            " question_set, opened_at, closes_at, note) VALUES ('W2', ?, 'U1', ?, 'default',"
            " ?, ?, ?)",
            [group, now.date().isoformat(), now.isoformat(), (now.replace(hour=23)).isoformat(),
             MARK["W2"]],
        )
        db.commit()
    before = snapshot(db, "W2")
    top = max(db.execute("SELECT max(id) FROM outbox").fetchone()[0] or 0, 5)
    names = sorted(two.core.router._actions)
    tails = ["", ":yes", ":not_yet", ":couldnt", ":mood:1", ":burnout:5", ":U1", ":confirm"]
    seen = []
    for name in names:
        if name == "privacy.forget":
            continue  # erases the presser (W1's U1) by design; covered above
        for row_id in range(1, top + 1):
            for tail in tails:
                value = f"{name}|{row_id}{tail}"
                replies = await two.core.handle_action(Action(actor=actor("W1"), value=value))
                seen.append(everything_text(replies))
    assert MARK["W2"] not in "\n".join(seen)
    assert snapshot(db, "W2") == before
