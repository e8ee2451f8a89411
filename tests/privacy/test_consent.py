"""Consent: the card stops commands that store data; agreeing records it; nothing before."""

from __future__ import annotations

from bot.core.model import Action, Buttons, Invocation
from bot.privacy.consent import has_consented, only_consented


async def ask(assembly, who, text, command="peer"):
    return await assembly.core.handle_invocation(Invocation(actor=who, command=command, text=text))


async def press(assembly, who, value):
    return await assembly.core.handle_action(Action(actor=who, value=value))


def buttons(reply):
    blocks = reply.message.blocks
    return [b for block in blocks if isinstance(block, Buttons) for b in block.buttons]


def member_row(assembly, user_id):
    return assembly.ctx.db.execute(
        "SELECT display_name, timezone, country, specialty, consent_at FROM members"
        " WHERE workspace_id = 'console' AND user_id = ?",
        [user_id],
    ).fetchone()


async def test_first_command_that_stores_shows_the_card(assembly, actor):
    replies = await ask(assembly, actor("wren"), "profile tz Europe/London")
    text = replies[0].message.text()
    assert "Welcome to peerbot" in text and "forget-me" in text and "export" in text
    assert [b.label for b in buttons(replies[0])] == ["Agree", "Not now"]
    assert member_row(assembly, "wren") == ("", None, None, None, None)


async def test_only_the_platform_id_is_stored_before_consent(assembly, actor):
    await ask(assembly, actor("wren", display_name="Wren Example"), "help")
    await ask(assembly, actor("wren", display_name="Wren Example"), "group join Circle")
    assert member_row(assembly, "wren") == ("", None, None, None, None)
    memberships = assembly.ctx.db.execute("SELECT count(*) FROM memberships").fetchone()[0]
    assert memberships == 0


async def test_agree_records_consent_and_runs_the_command_with_all_its_words(assembly, actor):
    who = actor("wren", display_name="Wren Example")
    card = (await ask(assembly, who, "profile specialty child and adolescent"))[0]
    agree = buttons(card)[0].value
    assert "child" not in agree  # the words stay server-side; the button holds a token
    [done] = await press(assembly, who, agree)
    text = done.message.text()
    assert done.replace_original and "Thank you, you're all set." in text
    assert "Specialty set to *child and adolescent*" in text and "again" not in text
    row = member_row(assembly, "wren")
    assert row[0] == "Wren Example" and row[4] is not None
    assert row[3] == "child and adolescent"


async def test_not_now_stores_nothing(assembly, actor):
    who = actor("wren", display_name="Wren Example")
    card = (await ask(assembly, who, "profile"))[0]
    reply = (await press(assembly, who, buttons(card)[1].value))[0]
    assert "Nothing about you is stored" in reply.message.text()
    assert member_row(assembly, "wren") == ("", None, None, None, None)


async def test_help_privacy_export_forget_and_crisis_need_no_consent(assembly, actor):
    for text in ("help", "privacy", "export", "forget-me", "crisis", "crisis colleague"):
        reply = (await ask(assembly, actor("wren"), text))[0]
        assert "Welcome to peerbot" not in reply.message.text(), text
    reply = (await ask(assembly, actor("wren"), "", command="crisis"))[0]
    assert "Welcome to peerbot" not in reply.message.text()


async def test_buttons_that_store_are_gated_too(assembly, actor):
    assembly.core.router.action("test.store", lambda request: None)
    reply = (await press(assembly, actor("wren"), "test.store|x"))[0]
    assert "Welcome to peerbot" in reply.message.text()
    agree = buttons(reply)[0].value
    done = (await press(assembly, actor("wren"), agree))[0]
    assert "press the button again" in done.message.text()


async def test_has_consented_filters_scheduled_recipients(assembly, actor):
    from bot.demo import seed_demo

    seed_demo(assembly.core, "console")
    await ask(assembly, actor("wren"), "help")
    everyone = assembly.ctx.members.all("console")
    chosen = {m.user_id for m in only_consented(everyone)}
    assert "wren" not in chosen and {"alice", "fran"} <= chosen
    assert not has_consented(None)


async def test_scheduled_prompts_reach_only_consented_members(make_settings, clock):
    from datetime import timedelta

    from bot.core.members import MemberService
    from bot.core.model import Actor
    from bot.runtime import assemble
    from bot.store.db import open_database
    from jobs import collect_jobs
    from jobs.scheduler import ClockDrivenScheduler

    settings = make_settings({"groups": [{"name": "Circle"}]})
    asm = assemble(settings, open_database(settings.bot.database), clock, "console")
    asm.core.prepare_workspace("console")
    group = asm.ctx.members.group_by_name("console", "Circle")
    for name in ("agreed", "undecided"):
        asm.ctx.members.ensure_member(Actor("console", name, name))
        asm.ctx.members.join_group("console", group.id, name)
        asm.ctx.members.set_hold("console", group.id, name, None)  # the agreement aside
    MemberService(asm.ctx.db, clock).record_consent(Actor("console", "agreed", "agreed"))
    specs = collect_jobs(asm.ctx, asm.core.router)
    await ClockDrivenScheduler(asm.ctx, clock, specs).advance(timedelta(days=7))
    users = {r[0] for r in asm.ctx.db.execute("SELECT DISTINCT user_id FROM outbox")}
    assert "agreed" in users  # the schedule did run
    assert "undecided" not in users


async def test_agree_buttons_already_posted_keep_working(assembly, actor):
    """The button carries what the card interrupted ("c" a command, "a" a button).

    Cards posted before consent cards carried a nonce keep working for members whose
    row predates the nonce (the migration leaves theirs empty)."""
    who = actor("wren")
    await press(assembly, who, "privacy.notnow")  # wren's row, as it was before 1301
    assembly.ctx.db.execute("UPDATE members SET card_nonce = '' WHERE user_id = 'wren'")
    assembly.ctx.db.commit()
    said = {}
    for value in ("privacy.agree|c:profile", "privacy.agree|a", "privacy.agree|zz",
                  "privacy.agree"):
        said[value] = (await press(assembly, who, value))[0].message.text()
    assert "Now run `/peer profile` again." in said["privacy.agree|c:profile"]
    assert "Now press the button again." in said["privacy.agree|a"]
    assert "`/peer help` shows what you can do" in said["privacy.agree|zz"]
    assert "`/peer help` shows what you can do" in said["privacy.agree"]
    assert has_consented(assembly.ctx.members.get("console", "wren"))
