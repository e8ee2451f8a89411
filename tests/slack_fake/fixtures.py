"""pytest fixtures for Slack tests; import them into a test module to use them."""

from __future__ import annotations

import pytest

from slack_fake.api import FakeSlackApi


@pytest.fixture
async def fake_api():
    api = await FakeSlackApi().start()
    yield api
    await api.stop()
