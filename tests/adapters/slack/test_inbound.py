"""Slack bodies -> Invocation, Action and Actor: translation only."""

from __future__ import annotations

from adapters.slack import inbound
from bot.core.model import Role


def test_slash_command_form_becomes_an_invocation():
    body = {
        "team_id": "T1",
        "user_id": "U1",
        "user_name": "alice",
        "command": "/peer",
        "text": "pair avoid <@U2|bob>  ",
        "channel_id": "D123",
        "channel_name": "directmessage",
        "response_url": "https://hooks.slack.com/commands/x",
    }
    inv = inbound.invocation(body, frozenset({Role.FACILITATOR}))
    assert inv.actor.workspace_id == "T1"
    assert inv.actor.user_id == "U1"
    assert inv.actor.display_name == "alice"
    assert inv.actor.platform_roles == {Role.FACILITATOR}
    assert inv.command == "peer"
    assert inv.text == "pair avoid <@U2>"
    assert inv.is_direct is True
    assert inv.reply_handle == "https://hooks.slack.com/commands/x"


def test_channel_command_is_not_direct():
    inv = inbound.invocation({"team_id": "T1", "user_id": "U1", "channel_id": "C1"})
    assert inv.is_direct is False
    assert inv.channel_id == "C1"


def test_block_action_becomes_an_action_with_a_message_ref():
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1", "username": "alice", "team_id": "T1"},
        "container": {"type": "message", "channel_id": "D9", "message_ts": "1.2"},
        "actions": [{"type": "button", "value": "checkin.answer|1:mood:3"}],
    }
    action = inbound.action(body)
    assert action.value == "checkin.answer|1:mood:3"
    assert action.message_ref == "D9:1.2"
    assert action.channel_id == "D9"


def test_enterprise_grid_user_team_wins_over_the_org():
    body = {"team": {"id": "E0ORG"}, "user": {"id": "U1", "team_id": "T0WS"}}
    assert inbound.team_id(body) == "T0WS"


def test_action_without_value_is_empty_not_an_error():
    assert inbound.action_value({"actions": []}) == ""
    assert inbound.action_value({}) == ""
