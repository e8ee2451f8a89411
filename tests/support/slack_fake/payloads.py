"""Real-format Slack request bodies, signed the way Slack signs them.

Formats follow Slack's documentation and slack-bolt's own tests: slash commands are
``application/x-www-form-urlencoded`` forms, interactions a form with one ``payload``
field holding JSON, Events API callbacks and ``url_verification`` plain JSON.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.support.slack_fake.api import TEAM_ID

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
_TRIGGERS = itertools.count(13345224609)


def _trigger() -> str:
    """Slack gives every request its own trigger_id, so no two real bodies are equal."""
    return f"{next(_TRIGGERS)}.738474920.8088930838d88f008e0"
FORM = "application/x-www-form-urlencoded"


def signed_headers(
    body: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    content_type: str = FORM,
    retry_num: int | None = None,
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }
    if retry_num is not None:
        headers["x-slack-retry-num"] = str(retry_num)
        headers["x-slack-retry-reason"] = "http_timeout"
    return headers


def slash_command(
    command: str,
    text: str,
    *,
    user_id: str = "U1ALICE",
    user_name: str = "alice",
    response_url: str,
    channel_id: str = "C0GENERAL",
    channel_name: str = "general",
    team_id: str = TEAM_ID,
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": "peer",
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "APEER",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": _trigger(),
        }
    )


def _interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_actions(
    value: str,
    *,
    user_id: str = "U1ALICE",
    response_url: str | None,
    channel_id: str = "DU1ALICE",
    message_ts: str = "1767600000.000001",
    team_id: str = TEAM_ID,
    container_type: str = "message",
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "peer"},
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": team_id,
        },
        "api_app_id": "APEER",
        "token": "legacy-verification-token",
        "trigger_id": _trigger(),
        "actions": [
            {
                "type": "button",
                "action_id": "peer-1",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "Press", "emoji": True},
                "value": value,
                "action_ts": "1767600001.000000",
            }
        ],
    }
    if container_type == "message":
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel_id, "name": "directmessage"}
        payload["message"] = {"type": "message", "ts": message_ts, "text": "..."}
    else:
        payload["container"] = {"type": "view", "view_id": "VHOME"}
        payload["view"] = {"id": "VHOME", "type": "home", "callback_id": ""}
    if response_url:
        payload["response_url"] = response_url
    return _interaction(payload)


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    *,
    user_id: str = "U1ALICE",
    team_id: str = TEAM_ID,
    private_metadata: str = "",
) -> str:
    return _interaction(
        {
            "type": "view_submission",
            "team": {"id": team_id, "domain": "peer"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
            "api_app_id": "APEER",
            "token": "legacy-verification-token",
            "trigger_id": _trigger(),
            "view": {
                "id": "VMODAL",
                "team_id": team_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
            },
        }
    )


def url_verification(challenge: str) -> str:
    return json.dumps({"token": "legacy", "challenge": challenge, "type": "url_verification"})


def app_home_opened(*, user_id: str = "U1ALICE", team_id: str = TEAM_ID) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": "APEER",
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": "D1",
                "tab": "home",
                "event_ts": "1767600002.000000",
            },
            "type": "event_callback",
            "event_id": "Ev0PEER1",
            "event_time": 1767600002,
            "authorizations": [{"team_id": team_id, "user_id": "UBOTPEER", "is_bot": True}],
        }
    )


def user_change(user_id: str, *, team_id: str = TEAM_ID, event_id: str = "Ev0PEER9") -> str:
    """Slack's event when someone edits their profile (name, time zone)."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": "APEER",
            "event": {"type": "user_change", "user": {"id": user_id, "team_id": team_id},
                      "event_ts": "1767600003.000000"},
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1767600003,
            "authorizations": [{"team_id": team_id, "user_id": "UBOTPEER", "is_bot": True}],
        }
    )
