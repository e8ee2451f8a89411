"""`/peer crisis ...` and `/crisis` through the core: private cards, facilitator post."""

from __future__ import annotations

from bot.core.members import MemberService
from bot.core.model import Invocation, Visibility
from bot.crisis.service import NOT_A_CRISIS_SERVICE
from bot.demo import seed_demo


async def ask(assembly, who, text, command="peer"):
    return await assembly.core.handle_invocation(
        Invocation(actor=who, command=command, text=text, channel_id="C1")
    )


async def test_peer_crisis_uses_workspace_default_privately(assembly, actor):
    replies = await ask(assembly, actor("wren"), "crisis")
    assert len(replies) == 1 and replies[0].visibility == Visibility.PRIVATE
    text = replies[0].message.text()
    assert "United States" in text and "911" in text and NOT_A_CRISIS_SERVICE in text


async def test_member_profile_country_wins(assembly, actor):
    await ask(assembly, actor("wren"), "crisis")  # enrols wren; setting a profile needs consent
    MemberService(assembly.ctx.db, assembly.ctx.clock).record_consent(actor("wren"))
    await ask(assembly, actor("wren"), "profile country uk")
    text = (await ask(assembly, actor("wren"), "crisis"))[0].message.text()
    assert "United Kingdom" in text and "116 123" in text


async def test_workspace_default_country_from_config(make_settings, clock, actor):
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings({"bot": {"default_country": "AU"}})
    asm = assemble(settings, open_database(settings.bot.database), clock, "console")
    text = (await ask(asm, actor("wren"), "crisis"))[0].message.text()
    assert "Australia" in text and "13 11 14" in text


async def test_another_country_by_code_or_alias(assembly, actor):
    text = (await ask(assembly, actor("wren"), "crisis uk"))[0].message.text()
    assert "call 999 or 112 now" in text
    text = (await ask(assembly, actor("wren"), "crisis new zealand"))[0].message.text()
    assert "call 111 now" in text


async def test_unknown_country_gets_fallback(assembly, actor):
    replies = await ask(assembly, actor("wren"), "crisis jp")
    assert replies[0].visibility == Visibility.PRIVATE
    assert "findahelpline.com" in replies[0].message.text()


async def test_top_level_crisis_command(assembly, actor):
    replies = await ask(assembly, actor("wren"), "ie", command="crisis")
    assert replies[0].visibility == Visibility.PRIVATE
    assert "call 112 or 999 now" in replies[0].message.text()


async def test_top_level_crisis_command_name_is_configurable(make_settings, clock, actor):
    from bot.runtime import assemble
    from bot.store.db import open_database

    settings = make_settings({"bot": {"crisis_command": "help-now"}})
    asm = assemble(settings, open_database(settings.bot.database), clock, "console")
    replies = await ask(asm, actor("wren"), "", command="help-now")
    assert "immediate danger" in replies[0].message.text()


async def test_colleague_card(assembly, actor):
    replies = await ask(assembly, actor("wren"), "crisis colleague gb")
    assert replies[0].visibility == Visibility.PRIVATE
    text = replies[0].message.text()
    assert "Worried about a colleague" in text and "Ask directly" in text and "999" in text


async def test_no_consent_needed_for_crisis(assembly, actor):
    text = (await ask(assembly, actor("brand-new"), "crisis"))[0].message.text()
    assert "immediate danger" in text


async def test_member_cannot_post_to_channel(assembly, actor):
    seed_demo(assembly.core, "console")
    replies = await ask(assembly, actor("carol"), "crisis post")
    assert replies[0].visibility == Visibility.PRIVATE
    assert "is for facilitators" in replies[0].message.text()
    assert "Crisis support" in replies[0].message.text()  # and her own lines


async def test_facilitator_posts_card_in_channel(assembly, actor):
    seed_demo(assembly.core, "console")
    replies = await ask(assembly, actor("fran"), "crisis post gb")
    assert replies[0].visibility == Visibility.CHANNEL
    assert "116 123" in replies[0].message.text()


async def test_a_broken_operator_extra_stops_start_up_not_a_request(make_settings, clock, actor):
    """The directory is built once at start-up: a bad entry stops the bot there, and a
    running bot never re-reads the config when someone asks for the lines."""
    import pytest

    from bot.core.config import ConfigError
    from bot.runtime import assemble
    from bot.store.db import open_database

    bad = {
        "country": "GB",
        "id": "x-eap",
        "name": "x",
        "serves": "x",
        "hours": "x",
        "source_url": "https://x.example",
        "verified": "2026-11-01",
        "contacts": [{"kind": "call", "value": "0800 1", "dial": "+999"}],
    }
    settings = make_settings({"crisis": {"extra": [bad]}})
    db = open_database(settings.bot.database)
    with pytest.raises(ConfigError, match="crisis"):
        assemble(settings, db, clock, "console")  # start-up refuses the bad entry
    good = assemble(make_settings(), db, clock, "console")
    good.ctx.settings = settings  # as if the config changed under a running bot
    text = (await ask(good, actor("wren"), "crisis gb"))[0].message.text()
    assert "999" in text and "116 123" in text and "x-eap" not in text


async def test_help_lists_crisis_commands(assembly, actor):
    text = (await ask(assembly, actor("wren"), "help"))[0].message.text()
    assert "/peer crisis" in text and "/peer crisis colleague" in text


async def test_home_view_carries_the_crisis_card_without_counting_a_request(assembly, actor):
    from bot.core.model import plain_text

    counter = assembly.ctx.crisis.requests
    before = counter.count
    home = await assembly.core.home(actor("wren"))
    text = plain_text(home)
    assert "not a crisis service" in text and "911" in text
    assert counter.count == before
