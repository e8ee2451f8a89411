"""A broken config stops start-up with one message naming key, value and expectation."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.core.config import ConfigError, Secrets, parse_config


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"bot": {"nope": 1}}, "unknown key 'bot.nope'"),
        ({"bot": {"default_timezone": "Mars/Base"}},
         "'bot.default_timezone' = 'Mars/Base': expected an IANA time zone"),
        ({"groups": [{"name": "a", "checkins": {"time": "25:00"}}]},
         "'groups[0].checkins.time' = '25:00': expected a 24-hour time HH:MM"),
        ({"bot": {"database": 3}}, "'bot.database' = 3: expected a valid string"),
        ({"pulse": {"min_group_size": 2}}, "'pulse.min_group_size' = 2: expected greater than"),
        ({"groups": [{"name": "a", "checkins": {"days": ["mon", "funday"]}}]},
         "'groups[0].checkins.days'"),
        ({"bot": {"platform": "irc"}}, "'bot.platform' = 'irc': expected one of"),
        ({"groups": [{"name": "a"}, {"name": "a"}]}, "expected unique group names"),
    ],
)
def test_bad_values_are_named(data, expected):
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert expected in str(err.value)


def test_cli_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "peerbot.toml"
    path.write_text('[bot]\ndefault_timezone = "Nowhere/Land"\n')
    assert main(["--config", str(path), "run"], env={}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "'bot.default_timezone' = 'Nowhere/Land'" in err[0]


def test_invalid_toml_and_missing_file(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text("[bot\n")
    assert main(["--config", str(path), "doctor"], env={}) == 2
    assert "is not valid TOML" in capsys.readouterr().err
    assert main(["--config", str(tmp_path / "absent.toml"), "doctor"], env={}) == 2
    assert "file not found" in capsys.readouterr().err


def test_tokens_are_not_config_keys():
    with pytest.raises(ConfigError, match=r"unknown key 'slack\.bot_token'"):
        parse_config({"slack": {"bot_token": "xoxb-123"}})


def test_secrets_come_from_the_environment_and_hide_in_repr():
    secrets = Secrets.from_env({"SLACK_BOT_TOKEN": "xoxb-secret-value"})
    assert secrets.slack_bot_token == "xoxb-secret-value"
    assert "xoxb-secret-value" not in repr(secrets)


def test_slack_without_tokens_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\nplatform = "slack"\ndatabase = "{tmp_path / "db.sqlite"}"\n')
    assert main(["--config", str(path), "run"], stdin=io.StringIO(""), env={}) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_defaults_apply_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    env = {"PEERBOT_BOT__PLATFORM": "console"}
    assert main(["run"], stdin=io.StringIO("quit\n"), stdout=out, env=env) == 0
    assert (tmp_path / "peerbot.sqlite").exists()
