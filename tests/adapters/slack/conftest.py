"""Fixtures for the Slack adapter tests: the real slack-bolt app against the fake Web API."""

from __future__ import annotations

import pytest

from tests.support.slack_fake.api import FakeSlackApi


@pytest.fixture
async def fake_api():
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


@pytest.fixture
def slack(fake_api, make_settings, clock):
    """The real Slack adapter on the real core, talking to the fake Web API."""
    from tests.support.slack_fake.harness import make_harness

    harness = make_harness(fake_api, make_settings, clock)
    yield harness
    harness.assembly.ctx.db.close()


@pytest.fixture
def slack_with(fake_api, make_settings, clock):
    """Like ``slack`` but with extra ``[slack]`` settings: ``slack_with({...})``."""
    from tests.support.slack_fake.harness import make_harness

    made = []

    def make(extra: dict):
        harness = make_harness(fake_api, make_settings, clock, extra)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.assembly.ctx.db.close()
