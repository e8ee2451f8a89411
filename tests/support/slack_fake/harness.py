"""A wired Slack adapter for tests: the real AsyncApp, the real core, the fake Web API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt.response import BoltResponse

from adapters.slack.app import SlackAdapter
from adapters.slack.messenger import build_client
from bot.core.config import Secrets
from bot.runtime import Assembly, assemble
from bot.store.db import open_database
from tests.support.slack_fake.api import BOT_TOKEN, FakeSlackApi
from tests.support.slack_fake.payloads import FORM, SIGNING_SECRET, signed_headers


@dataclass
class SlackHarness:
    api: FakeSlackApi
    adapter: SlackAdapter
    assembly: Assembly

    async def post(self, body: str, *, content_type: str = FORM, **sign: Any) -> BoltResponse:
        """Dispatch a signed request to the real AsyncApp and wait for its work."""
        headers = signed_headers(body, content_type=content_type, **sign)
        response = await self.adapter.receive(body.encode("utf-8"), headers)
        await self.adapter.idle()
        return response

    def responses(self, name: str = "r1") -> list[dict[str, Any]]:
        return self.api.responses.get(name, [])


def make_harness(api: FakeSlackApi, make_settings, clock, slack: dict | None = None):
    settings = make_settings({"slack": {"api_base_url": api.base_url, **(slack or {})}})
    secrets = Secrets(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET)
    assembly = assemble(settings, open_database(settings.bot.database), clock, "slack")
    client = build_client(BOT_TOKEN, api.base_url, rate_limit_retries=1)
    adapter = SlackAdapter(assembly, secrets, client=client)
    return SlackHarness(api, adapter, assembly)
