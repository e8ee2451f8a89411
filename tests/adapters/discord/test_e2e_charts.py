"""A chart on Discord end to end: `/peer checkin history` through the real discord.py
client answers privately with the text, and the chart reaches the member's DM as a
file whose description is the alt text (never a channel)."""

from __future__ import annotations

from bot.checkins.chart_send import ON_ITS_WAY
from tests.adapters.discord.test_e2e_checkin import ALICE, FRAN, assembly  # noqa: F401
from tests.support.discord_fake.flow import (
    agree,
    buttons,
    command,
    consented,
    drain,
    press,
    text_of,
)
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub


async def test_the_history_chart_reaches_the_dm_with_its_description(assembly):  # noqa: F811
    ctx = assembly.ctx
    async with fake_discord() as fake, logged_in(assembly) as ad:
        joined = await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
        await agree(ad, fake, joined, **ALICE)
        await consented(ad, fake, [group("checkins", sub("now"))], top="peer-admin", **FRAN)
        await drain(ctx, ad.messenger)
        [prompt] = fake.find("POST", r"^/channels/501/messages$")
        await press(ad, fake, buttons(prompt.json)["4 · Good"], fake.message("501", prompt.json),
                    **ALICE)

        history = await command(ad, fake, [group("checkin", sub("history"))], **ALICE)
        assert history["ephemeral"] and ON_ITS_WAY in text_of(history)
        await drain(ctx, ad.messenger)
    posts = [p for p in fake.find("POST", r"^/channels/\d+/messages$") if p.files]
    [chart] = posts
    assert chart.path == "/channels/501/messages"  # alice's DM
    assert chart.files == ["checkin-history.png"] and chart.file_data[0].startswith(b"\x89PNG")
    [meta] = chart.json["attachments"]
    assert meta["description"].startswith("Line chart of your own check-ins")
    assert "Mood (1 to 5, lower is harder): " in meta["description"]
    assert "4.0" in meta["description"]
