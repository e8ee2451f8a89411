"""The review's corrections to the directory stay corrected (issue 21, items 1-5)."""

from __future__ import annotations

import re

import pytest

from bot.crisis.directory import ContactKind, load_bundled
from bot.crisis.service import CrisisService
from bot.crisis.sources import host_of

DIRECTORY = load_bundled()
SERVICE = CrisisService(DIRECTORY)


def entry(entry_id):
    return next(e for e in DIRECTORY.entries if e.id == entry_id)


def all_text():
    cards = [SERVICE.card(code) for code in DIRECTORY.countries]
    cards += [SERVICE.colleague_card(code) for code in DIRECTORY.countries]
    cards += [SERVICE.card(code, audience="youth") for code in DIRECTORY.countries]
    return "\n".join(card.text() for card in cards)


def test_nhs_111_uses_the_national_wording_not_option_2():
    contact = entry("gb-nhs-111").contacts[0]
    assert contact.note == "then select the mental health option"
    assert "option 2" not in SERVICE.card("GB").text().lower()


def test_beyond_blue_is_shown_exactly_as_it_publishes_itself():
    call = entry("au-beyond-blue").contacts[0]
    assert call.value == "1300 22 4636" and call.dial == "+611300224636"
    assert "1300 22 4636" in SERVICE.card("AU").text()


def test_988_interpreters_cover_more_than_240_languages():
    languages = " ".join(entry("us-988").languages)
    assert "more than 240 languages" in languages and "250" not in languages
    assert host_of(entry("us-988").source_url) == "samhsa.gov"


@pytest.mark.parametrize(("entry_id", "host"), [("us-emergency", "911.gov"),
                                                ("ca-emergency", "crtc.gc.ca")])
def test_emergency_entries_cite_national_pages(entry_id, host):
    assert host_of(entry(entry_id).source_url) == host


def test_uk_lists_112_next_to_999_with_999_first():
    calls = [c.value for c in entry("gb-emergency").contacts if c.kind is ContactKind.CALL]
    assert calls == ["999", "112"]
    assert "call 999 or 112 now" in SERVICE.card("uk").text()


def test_practitioner_health_states_who_is_eligible_and_that_funding_is_yearly():
    ph = entry("gb-practitioner-health")
    assert "GMC or GDC" in ph.serves and "England" in ph.serves
    assert "March 2026" in ph.note and "check the website" in ph.note


@pytest.mark.parametrize("entry_id", ["au-beyond-blue", "ca-hope-for-wellness"])
def test_only_the_phone_line_is_called_24_7(entry_id):
    e = entry(entry_id)
    chat = next(c for c in e.contacts if c.kind is ContactKind.CHAT)
    assert "see the website" in chat.note
    assert e.hours.startswith("24/7 (phone)")


def test_988s_former_option_3_is_never_offered():
    """The LGBTQ+ youth option on 988 ended in July 2025; no card may send anyone to it."""
    text = all_text().lower()
    assert not re.search(r"press\s*3|option\s*3", text)
    for e in DIRECTORY.entries:
        for c in e.contacts:
            assert not re.search(r"press\s*3|option\s*3", (c.note or "").lower()), e.id
