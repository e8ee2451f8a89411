"""The security tests attack through the real adapters: Slack and Discord fixtures are shared."""

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.adapters.slack.conftest import fake_api, slack, slack_with
from tests.support.discord_fake.server import GUILD_ID

__all__ = ["fake_api", "slack", "slack_with"]


@pytest.fixture
def discord_assembly(make_settings, clock):
    settings = make_settings({"groups": [{"name": "circle"}],
                              "discord": {"guild_ids": [int(GUILD_ID)]}})
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()
