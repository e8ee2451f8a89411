"""The audit log: services record facilitator/admin actions; only admins read them."""

from __future__ import annotations

from bot.audit.log import AuditService, record
from bot.core.model import Invocation
from bot.demo import seed_demo


async def ask(assembly, who, text):
    replies = await assembly.core.handle_invocation(
        Invocation(actor=who, command="peer", text=text)
    )
    return replies[0].message.text()


async def test_record_and_read_as_admin(assembly, actor):
    seed_demo(assembly.core, "console")
    record(assembly.ctx, actor("fran"), "pair.round", "group Circle: 3 pairs")
    record(assembly.ctx, "scheduler", "checkin.schedule", "mon,thu 09:00",
           workspace_id="console")
    text = await ask(assembly, actor("fran"), "admin audit")
    assert "pair.round" in text and "group Circle: 3 pairs" in text and "fran" in text
    assert text.index("checkin.schedule") < text.index("pair.round")  # newest first


async def test_members_and_facilitators_are_refused(assembly, actor):
    seed_demo(assembly.core, "console")
    record(assembly.ctx, actor("fran"), "pair.round", "secret detail")
    assembly.ctx.members.join_group("console", 1, "alice", facilitator=True)
    for who in ("bob", "alice"):
        text = await ask(assembly, actor(who), "admin audit")
        assert "is for admins" in text and "secret detail" not in text


async def test_filter_by_prefix_and_count(assembly, actor):
    seed_demo(assembly.core, "console")
    for n in range(5):
        record(assembly.ctx, actor("fran"), "pair.round", f"round {n}")
    record(assembly.ctx, actor("fran"), "role.set", "bob -> facilitator")
    text = await ask(assembly, actor("fran"), "admin audit 2 pair")
    assert "round 4" in text and "round 3" in text and "round 2" not in text
    assert "role.set" not in text
    assert "between 1 and 100" in await ask(assembly, actor("fran"), "admin audit 0")


async def test_the_admin_role_command_records_through_the_one_way_in(assembly, actor):
    seed_demo(assembly.core, "console")
    await ask(assembly, actor("fran"), "admin role bob facilitator")
    entry = AuditService(assembly.ctx.db, assembly.ctx.clock).recent("console")[0]
    assert (entry.actor_id, entry.action, entry.detail) == ("fran", "role.set",
                                                            "bob -> facilitator")


async def test_record_joins_the_callers_transaction(assembly, actor):
    seed_demo(assembly.core, "console")
    db = assembly.ctx.db
    try:
        with db.atomic():
            record(assembly.ctx, actor("fran"), "pair.round", "rolled back")
            raise RuntimeError
    except RuntimeError:
        pass
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


async def test_an_audited_command_that_fails_leaves_no_entry(assembly, actor, monkeypatch):
    """The entry and the change are one unit of work: an error after recording rolls
    both back, so the log never claims a change that did not happen."""
    import bot.community.roles as roles

    seed_demo(assembly.core, "console")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    real_record = roles.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        explode()

    monkeypatch.setattr(roles, "record", record_then_fail)
    text = await ask(assembly, actor("fran"), "admin role bob facilitator")
    assert "nothing was changed" in text
    assert AuditService(assembly.ctx.db, assembly.ctx.clock).recent("console") == []
    bob = assembly.ctx.members.get("console", "bob")
    assert bob is not None and bob.role.name == "MEMBER"


async def test_times_are_in_the_reading_admins_zone(assembly, actor):
    """Recorded at 08:00 UTC on Monday 5 January: 19:00 the same day in Sydney (AEDT)."""
    from bot.core.model import Role

    seed_demo(assembly.core, "console")  # carol lives in Australia/Sydney
    assembly.ctx.members.set_role("console", "carol", Role.ADMIN)
    record(assembly.ctx, actor("fran"), "pair.round", "group Circle: 3 pairs")
    text = await ask(assembly, actor("carol"), "admin audit")
    assert "• Mon 05 Jan 19:00 AEDT, fran, `pair.round`" in text
    assert "UTC" not in text


async def test_an_admin_without_a_zone_reads_the_workspace_default(make_settings, clock, actor):
    from bot.core.members import MemberService
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings({"bot": {"admins": ["U9"], "default_timezone": "America/New_York"}})
    asm = assemble(settings, open_database(settings.bot.database), clock, "console")
    await ask(asm, actor("U9"), "help")
    MemberService(asm.ctx.db, clock).record_consent(actor("U9"))
    record(asm.ctx, actor("U9"), "role.set", "U8 -> facilitator")
    assert "• Mon 05 Jan 03:00 EST, U9, `role.set`" in await ask(asm, actor("U9"), "admin audit")
