"""HTTP mode: the AsyncApp's own aiohttp server on loopback at /slack/events."""

from __future__ import annotations

import aiohttp

from tests.support.slack_fake.payloads import FORM, signed_headers, slash_command


async def test_signed_command_over_http_is_acked_and_answered(slack, fake_api):
    port = await slack.adapter.start_http(host="127.0.0.1", port=0)
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=body, headers=signed_headers(body)) as resp:
                assert resp.status == 200
            forged = signed_headers(body, secret="forged")
            async with session.post(url, data=body, headers=forged) as resp:
                assert resp.status == 401
        await slack.adapter.idle()
    finally:
        await slack.adapter.stop()
    assert len(slack.responses()) == 1
    assert slack.responses()[0]["response_type"] == "ephemeral"


async def test_http_mode_answers_only_on_the_events_path(slack):
    port = await slack.adapter.start_http(host="127.0.0.1", port=0)
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/other"
            async with session.post(url, data="x", headers={"content-type": FORM}) as resp:
                assert resp.status == 404
    finally:
        await slack.adapter.stop()
