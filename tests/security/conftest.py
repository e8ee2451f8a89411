"""The security tests attack through the real adapters: the Slack fixtures are shared."""

from tests.adapters.slack.conftest import fake_api, slack, slack_with

__all__ = ["fake_api", "slack", "slack_with"]
