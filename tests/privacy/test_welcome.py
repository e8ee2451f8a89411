"""The welcome (consent card) and "Agree" running the interrupted command, attacked.

The stored command is bound to the member, single use, expiring, and deleted by
"Not now" and by erasure; a forged, stale or replayed Agree runs nothing.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core import action_ids
from bot.core.model import Action, Buttons, Invocation
from bot.core.ports import Person
from bot.privacy.pending import KEEP_FOR


async def ask(assembly, who, text):
    return await assembly.core.handle_invocation(Invocation(actor=who, command="peer", text=text))


async def press(assembly, who, value):
    return await assembly.core.handle_action(Action(actor=who, value=value))


def agree_value(reply) -> str:
    return next(b.value for block in reply.message.blocks if isinstance(block, Buttons)
                for b in block.buttons if b.label == "Agree")


def pending_rows(assembly) -> int:
    return assembly.ctx.db.execute("SELECT count(*) FROM consent_pending").fetchone()[0]


def consented(assembly, user) -> bool:
    member = assembly.ctx.members.get("console", user)
    return member is not None and member.consent_at is not None


def specialty(assembly, user):
    return assembly.ctx.db.execute(
        "SELECT specialty FROM members WHERE user_id = ?", [user]).fetchone()[0]


async def test_the_welcome_says_what_peerbot_does_stores_and_what_comes_next(assembly, actor):
    [card] = await ask(assembly, actor("wren", display_name="Wren"), "group join Circle")
    text = card.message.text()
    assert text.startswith("Welcome to peerbot\nHello Wren. peerbot helps your peer-support")
    assert "*Stored once you agree:*" in text and "`/peer forget-me` erases" in text
    assert "not known yet, so times are shown in UTC" in text  # never silently UTC
    assert "*What happens next*" in text and "Debrief pairing is opt-in" in text
    assert "What you just typed (/peer group join Circle) is kept for 30 minutes" in text


async def test_a_detected_zone_is_shown_then_stored_on_agree(assembly, actor):
    who = actor("wren", timezone="Australia/Sydney")
    [card] = await ask(assembly, who, "profile")
    assert "*Your time zone:* Australia/Sydney, from your Console profile" in card.message.text()
    [done] = await press(assembly, who, agree_value(card))
    text = done.message.text()
    assert "Your time zone is Australia/Sydney" in text and "Australia/Sydney" in text
    labels = [b.label for block in done.message.blocks if isinstance(block, Buttons)
              for b in block.buttons]
    assert "Change time zone" in labels
    assert assembly.ctx.members.get("console", "wren").timezone == "Australia/Sydney"


async def test_a_nonsense_platform_zone_is_never_stored(assembly, actor):
    who = actor("wren", timezone="Mars/Olympus_Mons")
    [card] = await ask(assembly, who, "profile")
    assert "not known yet" in card.message.text()
    await press(assembly, who, agree_value(card))
    assert assembly.ctx.members.get("console", "wren").timezone is None


async def test_the_core_asks_the_directory_port(assembly, actor):
    class Directory:
        def __init__(self) -> None:
            self.calls: list[str] = []

        async def person(self, workspace_id, user_id):
            self.calls.append(user_id)
            return Person(display_name="Dr Wren", timezone="Europe/Paris")

    directory = Directory()
    assembly.set_directory(directory)
    [card] = await ask(assembly, actor("wren", display_name="wren_handle"), "profile")
    assert "Hello Dr Wren." in card.message.text() and "Europe/Paris" in card.message.text()
    await press(assembly, actor("wren"), agree_value(card))
    member = assembly.ctx.members.get("console", "wren")
    assert member.display_name == "Dr Wren" and member.timezone == "Europe/Paris"
    assert directory.calls == ["wren", "wren"]


async def test_a_failing_directory_changes_nothing(assembly, actor):
    class Broken:
        async def person(self, workspace_id, user_id):
            raise RuntimeError("users.info down")

    assembly.set_directory(Broken())
    [card] = await ask(assembly, actor("wren"), "profile")
    assert "Welcome to peerbot" in card.message.text()


async def test_another_members_stored_command_cannot_be_run(assembly, actor):
    """Mallory copies Wren's token into her own Agree: it finds nothing, records nothing."""
    [wren_card] = await ask(assembly, actor("wren"), "profile specialty canary-wren")
    [mal_card] = await ask(assembly, actor("mallory"), "profile")
    token = action_ids.decode(agree_value(wren_card)).args[1]
    mal_nonce = action_ids.decode(agree_value(mal_card)).args[2]
    forged = action_ids.encode("privacy.agree", "p", token, mal_nonce)
    replies = await press(assembly, actor("mallory"), forged)
    text = " ".join(r.message.text() for r in replies)
    assert "nothing ran" in text and "canary-wren" not in text
    assert not consented(assembly, "mallory") and specialty(assembly, "mallory") is None
    # Wren's own Agree still works and runs Wren's command, for Wren only.
    [done] = await press(assembly, actor("wren"), agree_value(wren_card))
    assert "Specialty set to *canary-wren*" in done.message.text()
    assert specialty(assembly, "wren") == "canary-wren"


async def test_wrens_button_pressed_by_mallory_runs_nothing(assembly, actor):
    [card] = await ask(assembly, actor("wren"), "profile specialty canary-wren")
    replies = await press(assembly, actor("mallory"), agree_value(card))
    assert "out of date" in replies[0].message.text()  # another member row, another nonce
    assert not consented(assembly, "mallory") and not consented(assembly, "wren")
    assert pending_rows(assembly) == 1  # wren's command still waits for wren


async def test_agree_runs_the_command_once(assembly, actor):
    who = actor("wren")
    [card] = await ask(assembly, who, "profile specialty first")
    await press(assembly, who, agree_value(card))
    assembly.ctx.members.update_profile("console", "wren", specialty="changed since")
    [again] = await press(assembly, who, agree_value(card))  # a double click
    assert "already used, so nothing ran again" in again.message.text()
    assert specialty(assembly, "wren") == "changed since" and pending_rows(assembly) == 0


async def test_an_expired_command_does_not_run_but_consent_is_recorded(assembly, actor, clock):
    who = actor("wren")
    [card] = await ask(assembly, who, "profile specialty late")
    clock.advance(KEEP_FOR + timedelta(seconds=1))
    [done] = await press(assembly, who, agree_value(card))
    assert "more than 30 minutes ago" in done.message.text()
    assert consented(assembly, "wren") and specialty(assembly, "wren") is None


async def test_a_stale_agree_from_before_an_erasure_runs_nothing(assembly, actor):
    who = actor("wren")
    [card] = await ask(assembly, who, "profile specialty before-erasure")
    await press(assembly, who, "privacy.notnow")
    await ask(assembly, who, "forget-me")
    await press(assembly, who, "privacy.forget|confirm")
    assert pending_rows(assembly) == 0
    replies = await press(assembly, who, agree_value(card))
    assert "out of date" in replies[0].message.text()
    assert not consented(assembly, "wren") and specialty(assembly, "wren") is None


async def test_not_now_deletes_what_was_typed(assembly, actor):
    who = actor("wren")
    await ask(assembly, who, "profile specialty secret-ish")
    assert pending_rows(assembly) == 1
    [answer] = await press(assembly, who, "privacy.notnow")
    assert "what you typed is deleted" in answer.message.text()
    assert pending_rows(assembly) == 0


async def test_only_the_newest_cards_keep_their_commands(assembly, actor):
    who = actor("wren")
    for n in range(6):
        await ask(assembly, who, f"profile specialty s{n}")
    assert pending_rows(assembly) == 3


async def test_retention_removes_expired_commands(assembly, actor, clock):
    await ask(assembly, actor("wren"), "profile specialty x")
    owner = next(o for o in assembly.core.router.data_owners if o.topic == "consent")
    assert owner.expire(assembly.ctx, clock.now()) == {"expired_commands": 0}
    clock.advance(KEEP_FOR)
    assert owner.expire(assembly.ctx, clock.now()) == {"expired_commands": 1}


async def test_export_shows_a_waiting_command(assembly, actor):
    who = actor("wren")
    await ask(assembly, who, "profile specialty exported")
    owner = next(o for o in assembly.core.router.data_owners if o.topic == "consent")
    data = owner.export(assembly.ctx.db, "console", "wren")
    assert data["commands_waiting_for_consent"][0]["text"] == "profile specialty exported"
