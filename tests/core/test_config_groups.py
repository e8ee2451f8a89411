"""Settings.group: the one lookup of a group's configuration, for every topic."""

from __future__ import annotations

from bot.core.config import CheckinSettings, PairingSettings, parse_config


def test_a_configured_group_is_found_in_any_case():
    settings = parse_config({"groups": [{"name": "Night shift", "checkins": {"days": ["sat"]},
                                         "pairing": {"recent_rounds": 3}}]})
    group = settings.group("night SHIFT")
    assert group.checkins.days == ["sat"] and group.pairing.recent_rounds == 3


def test_a_group_not_in_the_file_follows_the_defaults():
    group = parse_config({}).group("Made in chat")
    assert group.name == "Made in chat"
    assert group.checkins == CheckinSettings() and group.pairing == PairingSettings()
