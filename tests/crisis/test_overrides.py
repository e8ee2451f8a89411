"""Operator additions from [[crisis.extra]]: validated like the bundled data, clear errors."""

from __future__ import annotations

import pytest

from bot.crisis.service import CrisisDataError, CrisisService


def eap(**changes):
    entry = {
        "country": "gb",
        "id": "acme-eap",
        "name": "ACME employee assistance",
        "serves": "ACME staff and their families",
        "hours": "24/7",
        "source_url": "https://intranet.example.org/eap",
        "verified": "2026-11-01",
        "contacts": [{"kind": "call", "value": "0800 123 4567", "dial": "+448001234567"}],
    }
    entry.update(changes)
    return entry


def test_addition_appears_on_the_card_after_the_emergency_number():
    service = CrisisService.load([eap()])
    text = service.card("GB").text()
    assert "ACME employee assistance" in text and "0800 123 4567" in text
    assert text.index("999") < text.index("ACME")
    assert "From your organisation" in text


def test_star_adds_to_every_country_and_the_fallback():
    service = CrisisService.load([eap(country="*")])
    for code in ("us", "nz", "zz"):
        assert "ACME employee assistance" in service.card(code).text()


def test_same_id_replaces_a_bundled_entry():
    service = CrisisService.load([eap(id="gb-shout", name="Shout (our wording)")])
    text = service.card("gb").text()
    assert "Shout (our wording)" in text and "Text SHOUT to 85258" not in text


def test_remove_drops_a_bundled_entry():
    service = CrisisService.load([{"country": "GB", "id": "gb-nhs-111", "remove": True}])
    assert "NHS 111" not in service.card("gb").text()


def test_emergency_entry_cannot_be_removed():
    with pytest.raises(CrisisDataError, match=r"crisis.extra\[0\].id.*emergency"):
        CrisisService.load([{"country": "GB", "id": "gb-emergency", "remove": True}])


def test_error_is_a_value_error_naming_key_value_and_expectation():
    bad = eap(contacts=[{"kind": "call", "value": "0800 123 4567", "dial": "12-34"}])
    with pytest.raises(ValueError) as info:
        CrisisService.load([bad])
    message = str(info.value)
    assert message.startswith("crisis.extra[0].contacts.0")
    assert "'12-34'" in message and "E.164" in message


def test_dial_must_match_the_published_value():
    bad = eap(contacts=[{"kind": "call", "value": "0800 123 4567", "dial": "+448001234568"}])
    with pytest.raises(CrisisDataError, match="same number"):
        CrisisService.load([bad])


def test_short_code_must_be_documented_for_the_country():
    bad = eap(contacts=[{"kind": "text", "value": "60000", "dial": "60000"}])
    with pytest.raises(CrisisDataError, match=r"crisis.extra\[0\].*60000.*short code"):
        CrisisService.load([bad])


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"country": "jp"}, "crisis.extra[0].country"),
        ({"source_url": "http://intranet.example.org/eap"}, "crisis.extra[0].source_url"),
        ({"verified": "last week"}, "crisis.extra[0].verified"),
        ({"contacts": []}, "crisis.extra[0].contacts"),
        ({"colour": "blue"}, "crisis.extra[0].colour"),
        ({"emergency": True}, "crisis.extra[0].emergency"),
    ],
)
def test_each_bad_key_is_named(changes, key):
    with pytest.raises(CrisisDataError) as info:
        CrisisService.load([eap(**changes)])
    assert str(info.value).startswith(key), str(info.value)


def test_missing_key_is_named():
    entry = eap()
    del entry["hours"]
    with pytest.raises(CrisisDataError, match=r"^crisis.extra\[0\].hours: .*required"):
        CrisisService.load([entry])


def test_chat_contact_needs_https():
    bad = eap(contacts=[{"kind": "chat", "value": "http://chat.example.org"}])
    with pytest.raises(CrisisDataError, match="https"):
        CrisisService.load([bad])


def test_accepts_the_validated_config_tables(make_settings):
    settings = make_settings({"crisis": {"extra": [eap()]}})
    service = CrisisService.load(settings.crisis.extra)
    assert "ACME employee assistance" in service.card("uk").text()


def test_id_is_optional_and_derived_from_the_name():
    entry = eap()
    del entry["id"]
    service = CrisisService.load([entry])
    ids = [e.id for e in service.directory.for_country("GB")]
    assert "extra-acme-employee-assistance" in ids
