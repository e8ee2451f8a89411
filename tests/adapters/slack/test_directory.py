"""Names and time zones from users.info: the welcome, Agree, the cache, and attacks.

Through the real slack-bolt app with signed requests; the fake Web API answers
users.info with the profile a test sets (tests/support/slack_fake/api.py).
"""

from __future__ import annotations

import json
import re

from bot.core.model import Role
from tests.support.slack_fake.api import Fault
from tests.support.slack_fake.flow import buttons, command, is_consent_card, press
from tests.support.slack_fake.payloads import user_change, view_submission

GROUPS = {"groups": [{"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}]}


def _member(h, user):
    return h.assembly.ctx.members.get("T0PEER", user)


def _all_text(answer) -> str:
    return answer.get("text", "") + str(answer.get("blocks", ""))


async def test_the_welcome_greets_by_profile_name_and_agree_stores_name_and_zone(
    slack, fake_api
):
    fake_api.profiles["U1ALICE"] = {"display_name": "Dr Alice", "real_name": "Alice Example"}
    fake_api.zones["U1ALICE"] = "Australia/Sydney"
    card = await command(slack, "U1ALICE", "profile specialty trauma", name="alice_old_handle")
    assert is_consent_card(card)
    text = _all_text(card)
    assert "Hello Dr Alice." in text and "alice_old_handle" not in text
    assert "Australia/Sydney, from your Slack profile" in text
    done = await press(slack, "U1ALICE", buttons(card["blocks"])["Agree"])
    assert done["replace_original"] and "Specialty set to *trauma*" in done["text"]
    assert "Your time zone is Australia/Sydney" in done["text"]
    assert "Change time zone" in buttons(done["blocks"])
    member = _member(slack, "U1ALICE")
    assert (member.display_name, member.timezone) == ("Dr Alice", "Australia/Sydney")


async def test_real_name_when_there_is_no_display_name(slack, fake_api):
    fake_api.profiles["U2BOB"] = {"display_name": "", "real_name": "Bob Example"}
    card = await command(slack, "U2BOB", "profile", name="bob")
    await press(slack, "U2BOB", buttons(card["blocks"])["Agree"])
    assert _member(slack, "U2BOB").display_name == "Bob Example"


async def test_users_info_is_cached_and_expires(slack, fake_api):
    now = [1000.0]
    slack.adapter.directory.now = lambda: now[0]
    for _ in range(3):
        await command(slack, "U1ALICE", "help")
    assert len(fake_api.bodies("users.info")) == 1
    now[0] += 3601
    await command(slack, "U1ALICE", "help")
    assert len(fake_api.bodies("users.info")) == 2


async def test_a_profile_change_is_seen_at_the_next_command(slack, fake_api):
    await command(slack, "U1ALICE", "help")
    await slack.post(user_change("U1ALICE"), content_type="application/json")
    await command(slack, "U1ALICE", "help")
    assert len(fake_api.bodies("users.info")) == 2


async def test_users_info_down_still_answers_with_the_payload_name(slack, fake_api):
    fake_api.fail("users.info", Fault(status=200, error="missing_scope"), times=None)
    card = await command(slack, "U1ALICE", "profile", name="alice")
    assert "Hello alice." in _all_text(card)
    assert "not known yet, so times are shown in UTC" in _all_text(card)
    await command(slack, "U1ALICE", "help")
    assert len(fake_api.bodies("users.info")) == 1  # the failure is cached too


async def test_a_profile_name_with_mention_syntax_is_literal_in_the_welcome(slack, fake_api):
    fake_api.profiles["U9MAL"] = {"display_name": "<!channel> <@U0FRAN> <!subteam^S1>"}
    card = await command(slack, "U9MAL", "profile", name="mal")
    text = _all_text(card)
    assert "Hello &lt;!channel&gt;" in text
    mrkdwn = [b["text"]["text"] for b in card["blocks"]
              if b.get("text", {}).get("type") == "mrkdwn"]
    assert not any(re.search(r"<[!@#]", t) for t in [card["text"], *mrkdwn])


async def test_a_profile_name_equal_to_the_admins_id_grants_nothing(fake_api, make_settings,
                                                                   clock):
    from tests.support.slack_fake.harness import make_harness

    settings = {"bot": {"admins": ["U0ADMIN"]}, **GROUPS}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        fake_api.profiles["U9MAL"] = {"display_name": "U0ADMIN", "real_name": "U0FRAN"}
        card = await command(h, "U9MAL", "profile", name="U0ADMIN")
        await press(h, "U9MAL", buttons(card["blocks"])["Agree"])
        refused = await command(h, "U9MAL", "admin members group:circle", name="U0ADMIN")
        assert "is for" in refused["text"]  # refused before any card: the role comes first
        assert _member(h, "U9MAL").role == Role.MEMBER
        members = h.assembly.ctx.members
        group = members.group_by_name("T0PEER", "circle")
        assert "U9MAL" not in members.facilitators("T0PEER", group.id)
    finally:
        h.assembly.ctx.db.close()


async def test_change_time_zone_opens_the_profile_form_and_saving_runs_profile_edit(
    slack, fake_api
):
    fake_api.zones["U1ALICE"] = "Europe/Paris"
    card = await command(slack, "U1ALICE", "profile", name="alice")
    done = await press(slack, "U1ALICE", buttons(card["blocks"])["Agree"])
    before = len(slack.responses("U1ALICE"))
    await press(slack, "U1ALICE", buttons(done["blocks"])["Change time zone"])
    assert len(slack.responses("U1ALICE")) == before  # the modal is the answer
    [opened] = fake_api.bodies("views.open")
    view = opened["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"] == [
        "tz", "country", "specialty"]
    values = {key: {"value": {"type": "plain_text_input", "value": value}}
              for key, value in (("tz", "America/Chicago"), ("country", None),
                                 ("specialty", None))}
    await slack.post(view_submission(view["callback_id"], values, user_id="U1ALICE",
                                     private_metadata=view["private_metadata"]))
    assert _member(slack, "U1ALICE").timezone == "America/Chicago"
