"""Nothing typed is logged before authentication: stale, forged, unsigned and oversized
requests sent over HTTP to the real slack-bolt app, with every logger at DEBUG, leave
no trace of their body in the logs, and a flood of them writes a bounded log."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.slack.door import MAX_BODY_BYTES, RejectLog
from tests.support.slack_fake.payloads import FORM, signed_headers, slash_command

CANARY = "canary-5e1f"


@pytest.fixture
async def url(slack):
    port = await slack.adapter.start_http(host="127.0.0.1", port=0)
    yield f"http://127.0.0.1:{port}/slack/events"
    await slack.adapter.stop()


def _note(fake_api, command: str = "/peer", text: str = f"checkin note {CANARY} I feel low"):
    return slash_command(command, text, response_url=fake_api.response_url())


async def _post(url: str, body: str | bytes, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.post(
        url, data=body, headers=headers
    ) as resp:
        await resp.read()
        return resp.status


def _rows(slack) -> int:
    db = slack.assembly.ctx.db
    return sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("workspaces", "members", "outbox"))


async def test_stale_forged_unsigned_and_oversized_requests_leave_no_trace(
    slack, fake_api, url, caplog
):
    old_secret_body = _note(fake_api, "/crisis", f"gb {CANARY}")
    big = _note(fake_api, text=f"{CANARY} " + "x" * (MAX_BODY_BYTES + 10))
    attacks = {
        "stale": (_note(fake_api), signed_headers(_note(fake_api),
                                                  timestamp=int(time.time()) - 6 * 60)),
        "forged": (_note(fake_api), signed_headers(_note(fake_api), secret="guessed")),
        "rotated secret": (old_secret_body,
                           signed_headers(old_secret_body, secret="last-years-secret")),
        "unsigned": (_note(fake_api), {"content-type": FORM}),
        "oversized": (big, signed_headers(big)),
        "future": (_note(fake_api), signed_headers(_note(fake_api),
                                                   timestamp=int(time.time()) + 6 * 60)),
    }
    with caplog.at_level(logging.DEBUG):
        statuses = {name: await _post(url, body, headers)
                    for name, (body, headers) in attacks.items()}
        await slack.adapter.idle()
    assert statuses == {"stale": 401, "forged": 401, "rotated secret": 401, "unsigned": 401,
                        "oversized": 413, "future": 401}
    text = caplog.text
    assert CANARY not in text and "I feel low" not in text and "crisis" not in text.lower()
    assert "x-slack-signature" not in text.lower() and "v0=" not in text
    assert slack.responses() == [] and fake_api.calls == [] and _rows(slack) == 0
    refused = [r for r in caplog.records if r.name == "peerbot.slack.door"]
    assert len(refused) == 1 and "bodies are never logged" in refused[0].getMessage()


async def test_a_flood_of_forged_requests_writes_one_line_a_minute(slack, fake_api, url,
                                                                    caplog):
    body = urlencode({"text": CANARY * 1000})
    with caplog.at_level(logging.DEBUG):
        for _ in range(200):
            assert await _post(url, body, signed_headers(body, secret="forged")) == 401
    assert CANARY not in caplog.text
    assert len(caplog.records) <= 2, [r.getMessage() for r in caplog.records]
    assert len(caplog.text) < 1000


def test_the_reject_log_summarises_counts_once_per_interval(caplog):
    now = [0.0]
    rejects = RejectLog(interval=60, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="peerbot.slack.door"):
        for second in range(180):
            now[0] = float(second)
            rejects.note("bad signature" if second % 2 else "stale timestamp")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3  # at 0 s, 60 s and 120 s
    assert "refused 60 Slack request(s) (bad signature 30, stale timestamp 30)" in lines[1]


async def test_a_signed_request_still_works_over_http(slack, fake_api, url):
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    assert await _post(url, body, signed_headers(body)) == 200
    await slack.adapter.idle()
    assert len(slack.responses()) == 1
