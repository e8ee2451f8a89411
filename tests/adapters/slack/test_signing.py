"""Request verification and redelivery: forged, stale or repeated requests change nothing."""

from __future__ import annotations

import time

from tests.support.slack_fake.payloads import slash_command, url_verification


def _members(slack) -> int:
    return slack.assembly.ctx.db.execute("SELECT count(*) FROM members").fetchone()[0]


async def test_url_verification_echoes_the_challenge(slack):
    response = await slack.post(url_verification("3eZbrw1aB"), content_type="application/json")
    assert response.status == 200
    assert "3eZbrw1aB" in response.body


async def test_forged_signature_gets_401_and_no_side_effect(slack, fake_api):
    body = slash_command("/peer", "group join circle", response_url=fake_api.response_url())
    response = await slack.post(body, secret="not-the-signing-secret")
    assert response.status == 401
    assert fake_api.calls == []
    assert slack.responses() == []
    assert _members(slack) == 0


async def test_stale_timestamp_gets_401_and_no_side_effect(slack, fake_api):
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    response = await slack.post(body, timestamp=int(time.time()) - 10 * 60)
    assert response.status == 401
    assert slack.responses() == []
    assert _members(slack) == 0


async def test_body_changed_after_signing_gets_401(slack, fake_api):
    from slack_bolt.request.async_request import AsyncBoltRequest

    from tests.support.slack_fake.payloads import signed_headers

    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    headers = signed_headers(body)
    tampered = body.replace("help", "forget-me")
    response = await slack.adapter.app.async_dispatch(
        AsyncBoltRequest(body=tampered, headers=headers)
    )
    assert response.status == 401


async def test_redelivered_request_is_acked_without_running_again(slack, fake_api):
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    first = await slack.post(body)
    again = await slack.post(body, retry_num=1)
    assert (first.status, again.status) == (200, 200)
    assert len(slack.responses()) == 1


async def test_redelivery_header_does_not_bypass_the_signature_check(slack, fake_api):
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    response = await slack.post(body, retry_num=1, secret="forged")
    assert response.status == 401


async def test_redelivered_event_whose_first_delivery_was_lost_runs_once(slack, fake_api):
    from tests.support.slack_fake.payloads import app_home_opened

    body = app_home_opened()
    await slack.post(body, content_type="application/json", retry_num=1)
    await slack.post(body, content_type="application/json", retry_num=2)
    assert len(fake_api.bodies("views.publish")) == 1
