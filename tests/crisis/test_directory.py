"""The bundled crisis directory: every number well-formed, sourced and recently checked."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest

from bot.crisis.directory import (
    E164,
    dial_matches,
    load_bundled,
    stale_entries,
)

TODAY = date.today()
MAX_AGE_DAYS = int(os.environ.get("PEERBOT_CRISIS_MAX_AGE_DAYS", "365"))
DIRECTORY = load_bundled()
ENTRIES = DIRECTORY.entries
PHONE_CONTACTS = [(e, c) for e in ENTRIES for c in e.contacts if c.kind in ("call", "text")]
REQUIRED = {"US", "CA", "GB", "IE", "AU", "NZ"}


def test_covers_the_required_countries():
    assert set(DIRECTORY.countries) >= REQUIRED


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_each_country_has_one_emergency_entry_listed_first(code):
    entries = DIRECTORY.for_country(code)
    assert entries[0].emergency
    assert sum(e.emergency for e in entries) == 1


@pytest.mark.parametrize("code", sorted(REQUIRED))
def test_each_country_has_a_crisis_line_besides_the_emergency_number(code):
    general = [e for e in DIRECTORY.for_country(code) if not e.emergency and not e.professional]
    assert any(c.kind in ("call", "text") for e in general for c in e.contacts)


@pytest.mark.parametrize("code", ["US", "GB", "AU"])
def test_lines_for_health_professionals_are_included_and_labelled(code):
    pro = [e for e in DIRECTORY.for_country(code) if e.professional]
    assert pro and all(e.serves for e in pro)


@pytest.mark.parametrize(("entry", "contact"), PHONE_CONTACTS, ids=lambda x: getattr(x, "id", ""))
def test_every_number_has_an_e164_or_documented_short_code_form(entry, contact):
    if contact.dial.startswith("+"):
        assert E164.match(contact.dial)
    else:
        assert contact.dial in DIRECTORY.countries[entry.country].short_codes


@pytest.mark.parametrize(("entry", "contact"), PHONE_CONTACTS, ids=lambda x: getattr(x, "id", ""))
def test_every_dial_form_is_the_published_number(entry, contact):
    assert dial_matches(contact.value, contact.dial)


@pytest.mark.parametrize(("entry", "contact"), PHONE_CONTACTS, ids=lambda x: getattr(x, "id", ""))
def test_every_number_is_valid_for_its_country_per_libphonenumber(entry, contact):
    phonenumbers = pytest.importorskip("phonenumbers")
    from phonenumbers import shortnumberinfo

    if contact.dial.startswith("+"):
        number = phonenumbers.parse(contact.dial)
        assert phonenumbers.is_valid_number(number)
        region = phonenumbers.region_code_for_number(number)
        nanp = {"US", "CA"}
        assert region == entry.country or {region, entry.country} <= nanp
    else:
        number = phonenumbers.parse(contact.dial, entry.country)
        assert shortnumberinfo.is_valid_short_number_for_region(number, entry.country)


def test_emergency_numbers_are_emergency_numbers_per_libphonenumber():
    pytest.importorskip("phonenumbers")
    from phonenumbers import shortnumberinfo

    for code in REQUIRED:
        for contact in DIRECTORY.for_country(code)[0].contacts:
            assert shortnumberinfo.is_emergency_number(contact.dial, code), (code, contact)


def test_web_and_chat_contacts_are_https():
    for entry in ENTRIES:
        for contact in entry.contacts:
            if contact.kind in ("web", "chat"):
                assert re.match(r"^https://[^\s/]+\.[a-z]{2,}", contact.value), entry.id


def test_every_entry_names_an_https_source_and_a_date():
    for entry in ENTRIES:
        assert entry.source_url.startswith("https://"), entry.id
        assert entry.verified <= TODAY, entry.id
    assert DIRECTORY.intl.url.startswith("https://")
    assert all(s.startswith("https://") for s in DIRECTORY.colleague.sources)


def test_verification_is_not_older_than_the_allowed_age():
    stale = stale_entries(DIRECTORY, TODAY, MAX_AGE_DAYS)
    assert stale == [], (
        f"re-check these against their sources and update 'verified' "
        f"(PEERBOT_CRISIS_MAX_AGE_DAYS={MAX_AGE_DAYS}): {stale}"
    )


def test_the_staleness_check_can_fail():
    later = date(DIRECTORY.intl.verified.year + 2, 1, 1)
    assert "intl" in stale_entries(DIRECTORY, later, 365)
    assert len(stale_entries(DIRECTORY, later, 365)) == len(ENTRIES) + 2


def test_ids_are_unique():
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))
