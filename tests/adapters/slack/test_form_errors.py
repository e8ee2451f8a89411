"""A refused form shows its error under the field (``response_action: errors``) and stays
open; an accepted one closes and answers; a slow one closes and answers by DM. Through
signed view_submission requests to the real slack-bolt app."""

from __future__ import annotations

import json

import adapters.slack.app as slack_app
from tests.support.slack_fake.flow import buttons, command, press
from tests.support.slack_fake.payloads import view_submission


async def _agreed(slack, user="U1ALICE"):
    card = await command(slack, user, "profile", name="alice")
    await press(slack, user, buttons(card["blocks"])["Agree"])


def _profile(**typed):
    return {key: {"value": {"type": "plain_text_input", "value": typed.get(key)}}
            for key in ("tz", "country", "specialty")}


async def _open_edit_profile(slack, fake_api):
    await press(slack, "U1ALICE", "form.open|edit-profile")
    view = fake_api.bodies("views.open")[-1]["view"]
    return view if isinstance(view, dict) else json.loads(view)


async def test_a_bad_zone_is_shown_under_the_time_zone_field(slack, fake_api):
    await _agreed(slack)
    view = await _open_edit_profile(slack, fake_api)
    answer = await slack.post(view_submission(
        "peer_form", _profile(tz="Mars/Olympus", country="GB"), user_id="U1ALICE",
        private_metadata=view["private_metadata"]))
    body = json.loads(answer.body)
    assert body["response_action"] == "errors" and list(body["errors"]) == ["tz"]
    assert body["errors"]["tz"].startswith("“Mars/Olympus” is not a time zone I know.")
    member = slack.assembly.ctx.members.get("T0PEER", "U1ALICE")
    assert member.country is None  # all or nothing: the good field was not saved either


async def test_a_bad_country_is_shown_under_the_country_field(slack, fake_api):
    await _agreed(slack)
    view = await _open_edit_profile(slack, fake_api)
    answer = await slack.post(view_submission(
        "peer_form", _profile(country="EN"), user_id="U1ALICE",
        private_metadata=view["private_metadata"]))
    body = json.loads(answer.body)
    assert list(body["errors"]) == ["country"] and "GB" in body["errors"]["country"]
    assert "`" not in body["errors"]["country"]  # plain text under a field


async def test_the_home_profile_modal_answers_inline_too(slack, fake_api):
    await _agreed(slack)
    answer = await slack.post(view_submission("peer_profile", _profile(specialty="x" * 41)))
    body = json.loads(answer.body)
    assert list(body["errors"]) == ["specialty"] and "40 characters" in body["errors"]["specialty"]


async def test_an_accepted_form_closes_and_answers_and_refreshes_home(slack, fake_api):
    await _agreed(slack)
    view = await _open_edit_profile(slack, fake_api)
    answer = await slack.post(view_submission(
        "peer_form", _profile(tz="Asia/Tokyo"), user_id="U1ALICE",
        private_metadata=view["private_metadata"]))
    assert answer.body == ""  # a plain ack: Slack closes the modal
    assert any("Saved: time zone *Asia/Tokyo*" in p["text"]
               for p in fake_api.bodies("chat.postMessage"))
    assert fake_api.bodies("views.publish")


async def test_a_slow_command_closes_the_form_and_answers_by_dm(slack, fake_api, monkeypatch):
    await _agreed(slack)
    view = await _open_edit_profile(slack, fake_api)
    monkeypatch.setattr(slack_app, "FORM_WAIT", 0.0)
    answer = await slack.post(view_submission(
        "peer_form", _profile(tz="Mars/Olympus"), user_id="U1ALICE",
        private_metadata=view["private_metadata"]))
    assert answer.body == ""  # Slack's 3 seconds come first
    assert any("is not a time zone I know" in p["text"]
               for p in fake_api.bodies("chat.postMessage"))


async def test_a_forged_form_phrase_runs_nothing(slack, fake_api):
    await _agreed(slack)
    meta = json.dumps({"phrase": "admin role", "channel": ""})
    answer = await slack.post(view_submission("peer_form", {}, private_metadata=meta))
    assert answer.body == ""
    assert not fake_api.bodies("chat.postMessage")
