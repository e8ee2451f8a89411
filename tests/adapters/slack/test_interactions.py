"""Buttons, modals and the App Home tab through the real AsyncApp."""

from __future__ import annotations

import json

from tests.support.slack_fake.payloads import (
    app_home_opened,
    block_actions,
    slash_command,
    view_submission,
)


def _buttons(blocks: list[dict]) -> dict[str, str]:
    return {
        e["text"]["text"]: e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    }


async def _consent(slack, fake_api) -> None:
    await slack.post(slash_command("/peer", "profile", response_url=fake_api.response_url("c")))
    card = slack.responses("c")[-1]
    agree = _buttons(card["blocks"])["Agree"]
    await slack.post(block_actions(agree, response_url=fake_api.response_url("c")))


async def test_consent_card_button_click_replaces_the_card(slack, fake_api):
    await _consent(slack, fake_api)
    card, thanks = slack.responses("c")
    assert card["blocks"][0]["text"]["text"] == "Welcome to peerbot"
    assert thanks["replace_original"] is True
    assert "Thank you, you're all set" in thanks["text"]


async def test_select_choice_value_reaches_the_core(slack, fake_api):
    from adapters.slack.inbound import action_value

    body = {"actions": [{"type": "static_select", "selected_option": {"value": "t.v|2"}}]}
    assert action_value(body) == "t.v|2"


async def test_stale_button_value_gets_a_calm_reply(slack, fake_api):
    await slack.post(block_actions("not a value", response_url=fake_api.response_url()))
    assert "no longer valid" in slack.responses()[0]["text"]


async def test_home_opened_publishes_the_home_tab(slack, fake_api):
    response = await slack.post(app_home_opened(), content_type="application/json")
    assert response.status == 200
    [publish] = fake_api.bodies("views.publish")
    assert publish["user_id"] == "U1ALICE"
    view = publish["view"]
    assert view["type"] == "home"
    assert set(_buttons(view["blocks"])) >= {"Edit profile", "Pairing conflicts"}
    assert "`/crisis` shows crisis lines" in view["blocks"][-1]["elements"][0]["text"]


async def test_home_redelivery_publishes_once(slack, fake_api):
    await slack.post(app_home_opened(), content_type="application/json")
    await slack.post(app_home_opened(), content_type="application/json", retry_num=1)
    assert len(fake_api.bodies("views.publish")) == 1


async def test_edit_profile_button_opens_the_profile_modal(slack, fake_api):
    await slack.post(block_actions("slack.profile", response_url=None, container_type="view"))
    [opened] = fake_api.bodies("views.open")
    assert opened["trigger_id"]
    assert opened["view"]["callback_id"] == "peer_profile"
    tz_input = opened["view"]["blocks"][1]["element"]
    assert tz_input["initial_value"] == "Europe/London"  # from users.info
    assert [b.get("block_id") for b in opened["view"]["blocks"]][1:] == [
        "tz",
        "country",
        "specialty",
    ]


async def test_profile_modal_opens_without_prefill_when_users_info_fails(slack, fake_api):
    from tests.support.slack_fake.api import Fault

    fake_api.fail("users.info", Fault(error="missing_scope"))
    await slack.post(block_actions("slack.profile", response_url=None, container_type="view"))
    [opened] = fake_api.bodies("views.open")
    assert "initial_value" not in opened["view"]["blocks"][1]["element"]


async def test_profile_modal_submission_runs_edit_profile(slack, fake_api):
    await _consent(slack, fake_api)
    published = len(fake_api.bodies("views.publish"))
    values = {
        "tz": {"value": {"type": "plain_text_input", "value": "Europe/Paris"}},
        "country": {"value": {"type": "plain_text_input", "value": "fr"}},
        "specialty": {"value": {"type": "plain_text_input", "value": None}},
    }
    response = await slack.post(view_submission("peer_profile", values))
    assert response.status == 200
    texts = [p["text"] for p in fake_api.bodies("chat.postMessage")]
    assert any("Saved: time zone *Europe/Paris*, country *FR*." in t for t in texts)
    member = slack.assembly.ctx.members.get("T0PEER", "U1ALICE")
    assert (member.timezone, member.country, member.specialty) == ("Europe/Paris", "FR", None)
    assert len(fake_api.bodies("views.publish")) == published + 1  # Home is refreshed


async def test_profile_modal_value_cannot_smuggle_a_group_token(slack, fake_api):
    await _consent(slack, fake_api)
    values = {"specialty": {"value": {"value": "grief group:admins"}}}
    await slack.post(view_submission("peer_profile", values))
    member = slack.assembly.ctx.members.get("T0PEER", "U1ALICE")
    assert member.specialty == "grief group:admins"


async def test_conflict_modal_submission_becomes_pair_avoid_commands(slack, fake_api):
    from adapters.slack.modals import conflict_commands

    values = {"avoid": {"users": {"type": "multi_users_select", "selected_users": ["U2", "U3"]}}}
    assert conflict_commands(values) == ["pair avoid <@U2>", "pair avoid <@U3>"]
    await slack.post(view_submission("peer_conflicts", values))
    assert len(fake_api.bodies("chat.postMessage")) == 2  # one reply per command, by DM


async def test_home_button_reply_goes_to_the_dm_and_refreshes_home(slack, fake_api):
    await slack.post(block_actions("privacy.notnow", response_url=None, container_type="view"))
    [dm] = fake_api.bodies("chat.postMessage")
    assert dm["channel"] == "DU1ALICE"
    assert "No problem" in dm["text"]
    assert len(fake_api.bodies("views.publish")) == 1  # (a first publish for this member)


async def test_export_attachment_is_uploaded_to_the_dm(slack, fake_api):
    await _consent(slack, fake_api)
    await slack.post(slash_command("/peer", "export", response_url=fake_api.response_url()))
    assert slack.responses()
    [complete] = fake_api.bodies("files.completeUploadExternal")
    assert complete["channel_id"] == "DU1ALICE"
    assert json.loads(complete["files"])[0]["title"].endswith(".json")
    [content] = fake_api.uploads.values()
    assert json.loads(content)  # the export itself, as a JSON file
