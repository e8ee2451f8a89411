"""The send path's plain-dict body (adapters/discord/wire.py) is exactly the JSON
discord.py builds from the renderer's View / LayoutView for the same message: every
golden message, and any message hypothesis can assemble from the model's blocks."""

from __future__ import annotations

import pytest
from discord.http import handle_message_parameters
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.render import render
from adapters.discord.wire import body
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Confirm,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
    SelectOption,
    Target,
)
from tests.adapters.test_prompt_goldens import CASES, CLOSES, GUILD
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID, INTRO_CHANNEL_ID

SENT_BY_THE_MESSENGER = ("nonce", "enforce_nonce", "tts", "allowed_mentions")


def discord_py(msg: Message, guild: str | None, layout: bool) -> dict:
    """What ``channel.send(**render(...).kwargs())`` posts (discord.py's send passes
    content and view always, None when absent), less what the messenger adds."""
    kwargs = render(msg, guild_id=guild, summary=True, layout=layout).kwargs()
    kwargs.setdefault("content", None)
    kwargs.setdefault("view", None)
    with handle_message_parameters(**kwargs) as params:
        payload = dict(params.payload)
    for key in SENT_BY_THE_MESSENGER:
        payload.pop(key, None)
    return payload


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("guild", [GUILD, None])
@pytest.mark.parametrize("layout", [True, False])
def test_every_golden_message_is_sent_as_discord_py_would(case, guild, layout):
    msg = CASES[case]()
    assert body(msg, guild_id=guild, layout=layout) == discord_py(msg, guild, layout)


def test_a_prompt_is_a_v2_layout_with_the_server_in_each_custom_id():
    sent = body(CASES["prompt"](), guild_id=GUILD)
    assert sent is not None and sent["flags"] == 1 << 15 and sent["embeds"] == []
    rows = [c for c in sent["components"][0]["components"] if c["type"] == 1]
    ids = [b["custom_id"] for row in rows for b in row["components"]]
    assert ids and all(i.startswith(f"{GUILD}/checkin.") for i in ids)
    assert len(set(ids)) == len(ids)


# ---- any message -------------------------------------------------------------------------

TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["*bold* and _it_", "@everyone look", "<@123> hi", f"until {CLOSES}",
                     "`/peer checkin`", "x" * 5000, "a\nb", ""]),
)
VALUES = st.text(alphabet="abcdefgh.|:0123", min_size=1, max_size=30)
BUTTON = st.builds(
    Button, label=TEXTS, value=VALUES, style=st.sampled_from(list(ButtonStyle)),
    confirm=st.one_of(st.none(), st.just(Confirm("Sure?", "Really", "Yes"))))
BLOCK = st.one_of(
    st.builds(Header, TEXTS), st.builds(Section, TEXTS), st.builds(Context, TEXTS),
    st.builds(Link, label=TEXTS, url=st.sampled_from(["https://x.org/a", "not a url"])),
    st.builds(Fields, st.lists(st.tuples(TEXTS, TEXTS), max_size=30).map(tuple)),
    st.just(Divider()),
    st.builds(Buttons, st.lists(BUTTON, min_size=1, max_size=12).map(tuple)),
    st.builds(Select, placeholder=TEXTS, options=st.lists(
        st.builds(SelectOption, label=TEXTS, value=VALUES), min_size=1, max_size=30
    ).map(tuple)),
)
MESSAGES = st.builds(Message, blocks=st.lists(BLOCK, max_size=14).map(tuple), fallback=TEXTS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msg=MESSAGES, guild=st.sampled_from([GUILD, None, "12345"]), layout=st.booleans())
def test_any_message_is_sent_as_discord_py_would(msg, guild, layout):
    try:
        expected = discord_py(msg, guild, layout)
    except ValueError:  # a custom_id over 100 characters: refused both ways
        with pytest.raises(ValueError):
            body(msg, guild_id=guild, layout=layout)
        return
    assert body(msg, guild_id=guild, layout=layout) == expected


# ---- through the real messenger: what the fake Discord receives --------------------------


async def _posts(settings, monkeypatch, *, through_discord_py: bool) -> list[dict]:
    """Every message body POSTed for a set of sends: with the plain-dict body, or with
    the wire forced off (discord.py's ``channel.send`` of the rendered view: the oracle)."""
    if through_discord_py:
        monkeypatch.setattr("adapters.discord.messenger.body", lambda *a, **k: None)
    prompt = CASES["prompt"]()
    async with fake_discord() as fake, logged_in(SpyHost(settings)) as ad:
        m = ad.messenger
        await m.send_keyed(GUILD_ID, Target(user_id="101"), prompt, "row-1")
        await m.send_keyed(GUILD_ID, Target(user_id="102"), CASES["about"](), "row-2")
        await m.send(GUILD_ID, Target(channel_id="601", thread="Replies"), CASES["reminder"]())
        await m.send_keyed(GUILD_ID, Target(user_ids=("101", "102")), CASES["about"](), "row-3")
        await m.send_reply(GUILD_ID, Target(user_id="101"), CASES["reminder"](), "501:77")
    monkeypatch.undo()
    out = []
    for post in fake.find("POST", r"^/channels/\d+/(messages|threads|messages/\d+/threads)$"):
        sent = dict(post.json)
        if not str(sent.get("nonce", "")).startswith(("row-", "pb")):
            sent["nonce"] = "random"  # discord.py's own random nonce on an unkeyed send
        out.append({"path": post.path, **sent})
    return out


async def test_the_messenger_posts_what_discord_py_posted(make_settings, monkeypatch):
    """DM prompts (v2 and embeds, keyed), a channel post with its thread, a pair's
    introduction in a private thread with its mentions, a reply quoting a prompt:
    byte for byte the bodies discord.py's own send made from the rendered views."""
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)],
                                          "intro_channel_id": int(INTRO_CHANNEL_ID)}})
    ours = await _posts(settings, monkeypatch, through_discord_py=False)
    theirs = await _posts(settings, monkeypatch, through_discord_py=True)
    assert len(ours) == 7 and ours == theirs
    keyed = [p for p in ours if (p.get("nonce") or "").startswith("row-")]
    assert [p["nonce"] for p in keyed] == ["row-1", "row-2", "row-3"]
    assert all(p["enforce_nonce"] is True for p in keyed)
    assert ours[0]["flags"] == 1 << 15 and ours[0]["allowed_mentions"] == {"parse": []}
    intro = next(p for p in ours if (p.get("content") or "").startswith("<@101> <@102>"))
    assert sorted(map(str, intro["allowed_mentions"]["users"])) == ["101", "102"]
