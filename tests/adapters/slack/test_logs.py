"""Nothing a member typed, no crisis request and no token reaches the logs, even at DEBUG."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.logs import quiet_library_logs, restore_levels
from bot.core.model import Section, Target, message
from tests.support.slack_fake.api import BOT_TOKEN
from tests.support.slack_fake.payloads import SIGNING_SECRET, slash_command


@pytest.fixture
def quiet():
    previous = quiet_library_logs()
    yield
    restore_levels(previous)


async def test_debug_logs_hold_no_crisis_request_no_text_and_no_secret(
    slack, fake_api, caplog, quiet
):
    with caplog.at_level(logging.DEBUG):
        await slack.post(slash_command("/crisis", "gb", response_url=fake_api.response_url()))
        await slack.post(
            slash_command(
                "/peer", "profile specialty canary-7f3", response_url=fake_api.response_url()
            )
        )
        await slack.adapter.messenger.send("T0PEER", Target(user_id="U1"), message(Section("x")))
    assert fake_api.responses["r1"]  # the requests did run
    text = caplog.text.lower()
    assert "crisis" not in text
    assert "999" not in text
    assert "canary-7f3" not in text
    assert BOT_TOKEN.lower() not in text
    assert SIGNING_SECRET.lower() not in text


def test_library_loggers_never_go_below_info(quiet, caplog):
    with caplog.at_level(logging.DEBUG):  # the operator chose log_level = "DEBUG"
        assert logging.getLogger("slack_sdk").getEffectiveLevel() >= logging.INFO
        assert logging.getLogger("slack_bolt").getEffectiveLevel() >= logging.INFO
