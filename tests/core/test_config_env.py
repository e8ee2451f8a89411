"""PEERBOT_<SECTION>__<KEY> overrides every config key, validated like the file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from bot.core.config import ConfigError, Settings, load_config
from bot.core.config_env import key_path, variable_name


def leaves(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key a file can set: the fields of each section; lists of tables whole."""
    found = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += leaves(annotation, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def encode(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def lookup(settings: Settings, path: tuple[str, ...]) -> Any:
    value: Any = settings
    for part in path:
        value = getattr(value, part)
    return value


def load(tmp_path, env: dict[str, str], text: str = "") -> Settings:
    path = tmp_path / "peerbot.toml"
    path.write_text(text)
    return load_config(path, env)[0]


ALL_KEYS = leaves(Settings)


def test_the_walk_finds_every_section():
    sections = {p[0] for p in ALL_KEYS}
    assert sections == set(Settings.model_fields)
    assert ("slack", "port") in ALL_KEYS and ("groups",) in ALL_KEYS
    assert len(ALL_KEYS) >= 30


@pytest.mark.parametrize("path", ALL_KEYS, ids=".".join)
def test_every_key_has_a_variable_that_round_trips(tmp_path, path):
    name = variable_name(path)
    assert key_path(Settings, name) == path
    default = Settings()
    raw = lookup(default, path)
    value = [v.model_dump() for v in raw] if isinstance(raw, list) and raw and \
        isinstance(raw[0], BaseModel) else raw
    settings = load(tmp_path, {name: encode(value)})
    assert lookup(settings, path) == raw


def test_overrides_win_over_the_file_key_by_key(tmp_path):
    text = '[slack]\nmode = "http"\nport = 3000\nhost = "0.0.0.0"\n'
    env = {"PEERBOT_SLACK__PORT": "8080", "PEERBOT_BOT__ADMINS": '["fran", "U01"]',
           "PEERBOT_CONSOLE__DEMO": "false", "PEERBOT_DISCORD__GUILD_IDS": "[1, 2]",
           "peerbot_bot__log_level": "DEBUG"}
    settings = load(tmp_path, env, text)
    assert settings.slack.port == 8080 and settings.slack.mode == "http"
    assert settings.slack.host == "0.0.0.0"  # the file's other keys stay
    assert settings.bot.admins == ["fran", "U01"]
    assert settings.console.demo is False
    assert settings.discord.guild_ids == [1, 2]
    assert settings.bot.log_level == "DEBUG"


def test_groups_are_json_and_validated_like_the_file(tmp_path):
    groups = [{"name": "Circle", "checkins": {"days": ["mon-fri"], "time": "9am"}}]
    settings = load(tmp_path, {"PEERBOT_GROUPS": json.dumps(groups)})
    assert settings.groups[0].checkins.days == ["mon", "tue", "wed", "thu", "fri"]
    assert settings.groups[0].checkins.time == "09:00"
    bad = [{"name": "Circle", "checkins": {"time": "25:99"}}]
    with pytest.raises(ConfigError, match=r"PEERBOT_GROUPS.*expected a 24-hour time"):
        load(tmp_path, {"PEERBOT_GROUPS": json.dumps(bad)})


@pytest.mark.parametrize(("env", "expected"), [
    ({"PEERBOT_SLACK__PORT": "eighty"},
     "'slack.port' (environment variable PEERBOT_SLACK__PORT) = 'eighty': expected"),
    ({"PEERBOT_SLACK__PORT": "70000"}, "PEERBOT_SLACK__PORT) = 70000: expected less than"),
    ({"PEERBOT_BOT__PLATFORM": "teams"}, "PEERBOT_BOT__PLATFORM) = 'teams': expected one of"),
    ({"PEERBOT_BOT__DEFAULT_TIMEZONE": "Mars/Base"}, "an IANA time zone"),
    ({"PEERBOT_CONSOLE__DEMO": "perhaps"}, "PEERBOT_CONSOLE__DEMO"),
    ({"PEERBOT_BOT__ADMINS": "fran"}, "PEERBOT_BOT__ADMINS = 'fran': expected JSON"),
    ({"PEERBOT_SLAK__MODE": "http"}, "PEERBOT_SLAK__MODE names no config key"),
    ({"PEERBOT_SLACK__MODE__X": "http"}, "PEERBOT_SLACK__MODE__X names no config key"),
    ({"PEERBOT_SLACK__BOT_TOKEN": "xoxb-1"}, "names no config key"),
])
def test_a_bad_variable_stops_the_start_naming_it(tmp_path, env, expected):
    with pytest.raises(ConfigError) as err:
        load(tmp_path, env)
    assert expected in str(err.value)


def test_the_file_stays_strict_when_the_environment_is_lax(tmp_path):
    """A quoted number in the file is still an error; only env strings are coerced."""
    with pytest.raises(ConfigError, match=r"'slack\.port' = '3000'"):
        load(tmp_path, {"PEERBOT_BOT__LOG_LEVEL": "DEBUG"}, '[slack]\nport = "3000"\n')


def test_unrelated_variables_are_ignored(tmp_path):
    env = {"PATH": "/bin", "SLACK_BOT_TOKEN": "xoxb-1", "PEERBOTX": "1", "HOME": "/root"}
    assert load(tmp_path, env) == Settings()


def test_peerbot_config_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere.toml").write_text('[bot]\ncommand_name = "circle"\n')
    settings, path = load_config(None, {"PEERBOT_CONFIG": str(tmp_path / "elsewhere.toml")})
    assert settings.bot.command_name == "circle" and path == tmp_path / "elsewhere.toml"
    with pytest.raises(ConfigError, match="file not found"):
        load_config(None, {"PEERBOT_CONFIG": str(tmp_path / "missing.toml")})


def test_a_container_runs_on_the_environment_alone(tmp_path, monkeypatch):
    """No file at all: the image's environment is the whole configuration."""
    monkeypatch.chdir(tmp_path)
    env = {"PEERBOT_BOT__PLATFORM": "slack", "PEERBOT_BOT__DATABASE": "/data/peerbot.sqlite",
           "PEERBOT_SLACK__MODE": "socket"}
    settings, path = load_config(None, env)
    assert path is None
    assert settings.bot.platform == "slack" and settings.bot.database == "/data/peerbot.sqlite"
