"""The Discord Messenger against the fake API: DMs, channels, intros, and every error."""

from __future__ import annotations

import pytest

from adapters.discord.messenger import InvalidRequestBudget, Pacer
from bot.core.model import Button, Buttons, Header, Section, Target, message
from bot.core.ports import (
    DeliveryError,
    RateLimited,
    TransientDeliveryError,
    Undeliverable,
    WorkspaceUnavailable,
)
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID, INTRO_CHANNEL_ID

PROMPT = message(Header("Check-in"), Section("How are you?"),
                 Buttons((Button("Good", "checkin.answer|1:mood:4"),)),
                 fallback="Check-in")


@pytest.fixture
def dsettings(make_settings):
    return make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})


async def test_a_dm_opens_the_channel_once_and_carries_the_buttons(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref1 = await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
        await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
    assert len(fake.find("POST", r"^/users/@me/channels$")) == 1
    posts = fake.find("POST", r"^/channels/\d+/messages$")
    assert [p.path for p in posts] == ["/channels/501/messages"] * 2
    body = posts[0].json
    # a click in a DM carries no server: the custom_id names it (adapters.discord.custom_ids)
    custom_id = body["components"][0]["components"][0]["custom_id"]
    assert custom_id == f"{GUILD_ID}/checkin.answer|1:mood:4"
    assert body["embeds"][0]["url"] == f"https://discord.com/channels/{GUILD_ID}"
    assert ref1.startswith("501:")


async def test_a_channel_message(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        await ad.messenger.send(GUILD_ID, Target(channel_id="777"), PROMPT)
    [post] = fake.find("POST", r"^/channels/777/messages$")
    # in a server the click carries its guild: the custom_id is the bare action id
    assert post.json["components"][0]["components"][0]["custom_id"] == "checkin.answer|1:mood:4"


async def test_50007_is_undeliverable(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"/messages$", 403, code=50007,
                  message="Cannot send messages to this user")
        with pytest.raises(Undeliverable):
            await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
        assert len(ad.messenger.budget._hits) == 1


async def test_a_short_429_is_waited_out_by_discord_py(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"/messages$", 429, retry_after=0.01, message="rate limited")
        await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
    assert len(fake.find("POST", r"/messages$")) == 2


async def test_a_long_429_comes_back_as_rate_limited(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"/messages$", 429, retry_after=120.0, message="rate limited")
        with pytest.raises(RateLimited) as caught:
            await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
    assert caught.value.retry_after == 120.0


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (401, 0, WorkspaceUnavailable),
        (403, 50001, WorkspaceUnavailable),
        (403, 50013, Undeliverable),
        (404, 10013, Undeliverable),
        (503, 0, TransientDeliveryError),
        (400, 50035, DeliveryError),
    ],
)
async def test_errors_map_to_the_delivery_contract(dsettings, status, code, error):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"/messages$", status, code=code)
        with pytest.raises(error) as caught:
            await ad.messenger.send(GUILD_ID, Target(channel_id="777"), PROMPT)
    assert type(caught.value) is error


async def test_the_budget_pauses_before_discords_ban(dsettings):
    clock = [0.0]
    budget = InvalidRequestBudget(limit=2, window=600, now=lambda: clock[0])
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ad.messenger.budget = budget
        fake.fail("POST", r"/messages$", 403, code=50007, times=2)
        for _ in range(2):
            with pytest.raises(Undeliverable):
                await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
        sent_before = len(fake.requests)
        with pytest.raises(RateLimited) as caught:
            await ad.messenger.send(GUILD_ID, Target(user_id="102"), PROMPT)
        assert len(fake.requests) == sent_before  # nothing reached Discord
        assert caught.value.retry_after == 600
        clock[0] = 601.0
        await ad.messenger.send(GUILD_ID, Target(user_id="102"), PROMPT)


async def test_an_intro_without_a_channel_is_one_dm_each_naming_the_others(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref = await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102", "103")), PROMPT)
    posts = fake.find("POST", r"^/channels/\d+/messages$")
    assert [p.path for p in posts] == [f"/channels/{c}/messages" for c in ("501", "502", "503")]
    assert posts[0].json["allowed_mentions"]["parse"] == []  # named, not pinged
    assert posts[0].json["content"] == "Also in this introduction: <@102>, <@103>\nCheck-in"
    assert len(ref.split(",")) == 3


async def test_an_intro_dm_each_skips_one_who_blocks_dms(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"^/channels/502/messages$", 403, code=50007)
        ref = await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
    assert ref.count(":") == 1


async def test_an_intro_retry_does_not_dm_twice(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"^/channels/502/messages$", 503)
        with pytest.raises(TransientDeliveryError):
            await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
        await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
    paths = [p.path for p in fake.find("POST", r"^/channels/\d+/messages$")]
    assert paths.count("/channels/501/messages") == 1


async def test_an_intro_with_a_channel_is_a_private_thread(make_settings):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)],
                                          "intro_channel_id": int(INTRO_CHANNEL_ID)}})
    async with fake_discord() as fake, logged_in(SpyHost(settings)) as ad:
        await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
    [thread] = fake.find("POST", rf"^/channels/{INTRO_CHANNEL_ID}/threads$")
    assert thread.json["type"] == 12 and thread.json["invitable"] is False
    assert thread.json["name"] == "Check-in"
    [(thread_id, added)] = fake.threads.items()
    assert added == ["101", "102"]
    [post] = fake.find("POST", rf"^/channels/{thread_id}/messages$")
    assert post.json["content"] == "<@101> <@102>\nCheck-in"
    allowed = post.json["allowed_mentions"]  # they, and only they, are pinged in
    assert allowed["parse"] == [] and sorted(map(str, allowed["users"])) == ["101", "102"]


async def test_a_dm_carries_the_summary_for_its_notification(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        await ad.messenger.send(GUILD_ID, Target(user_id="101"), PROMPT)
    [post] = fake.find("POST", r"/messages$")
    assert post.json["content"] == "Check-in"


async def test_sent_views_are_not_kept_by_discord_py(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        for user in ("101", "102", "103"):
            await ad.messenger.send(GUILD_ID, Target(user_id=user), PROMPT)
        assert len(fake.find("POST", r"/messages$")) == 3
        assert list(ad.client.persistent_views) == []


async def test_an_intro_thread_tolerates_one_member_who_cannot_be_added(make_settings):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)],
                                          "intro_channel_id": int(INTRO_CHANNEL_ID)}})
    async with fake_discord() as fake, logged_in(SpyHost(settings)) as ad:
        fake.fail("PUT", r"/thread-members/102$", 404, code=10007, message="Unknown Member")
        await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
    [(thread_id, added)] = fake.threads.items()
    assert added == ["101"]
    assert fake.find("POST", rf"^/channels/{thread_id}/messages$")


async def test_an_intro_thread_retry_reuses_the_thread(make_settings):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)],
                                          "intro_channel_id": int(INTRO_CHANNEL_ID)}})
    async with fake_discord() as fake, logged_in(SpyHost(settings)) as ad:
        fake.fail("POST", r"^/channels/7\d+/messages$", 503)
        with pytest.raises(TransientDeliveryError):
            await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
        await ad.messenger.send(GUILD_ID, Target(user_ids=("101", "102")), PROMPT)
    assert len(fake.find("POST", r"/threads$")) == 1


async def test_the_pacer_keeps_below_the_global_limit_counted_from_answers():
    """49 requests in any second, each counted from its answer: the 50th waits until a
    second after the first one's answer; an idle pacer lets a request through at once."""
    clock = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        clock[0] += seconds

    pacer = Pacer(now=lambda: clock[0], sleep=sleep)
    for _ in range(49):
        async with pacer.slot():
            clock[0] += 0.002  # each request answered 2 ms after it left
    assert slept == [] and clock[0] == pytest.approx(0.098)  # back to back
    async with pacer.slot():
        pass
    assert slept == [0.904]  # the first answer (0.002) + 1 s
    clock[0] = 100.0
    async with pacer.slot():
        pass
    assert slept == [0.904]


async def test_the_pacer_counts_a_failed_request_too():
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    pacer = Pacer(per_second=1, now=lambda: clock[0], sleep=sleep)
    with pytest.raises(RuntimeError):
        async with pacer.slot():
            clock[0] += 0.3
            raise RuntimeError("Discord said no")
    async with pacer.slot():
        pass
    assert clock[0] == pytest.approx(1.3)


async def test_an_id_that_is_not_a_snowflake_is_undeliverable_without_a_request(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        before = len(fake.requests)
        with pytest.raises(Undeliverable):
            await ad.messenger.send(GUILD_ID, Target(user_id="alice"), PROMPT)
        assert len(fake.requests) == before
