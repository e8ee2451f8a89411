"""Country codes and aliases resolve case-insensitively; anything else gets the fallback."""

from __future__ import annotations

import pytest

from bot.crisis.service import CrisisService

SERVICE = CrisisService.load()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("uk", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("gb", "GB"),
        ("Gb", "GB"),
        ("us", "US"),
        ("usa", "US"),
        ("au", "AU"),
        ("nz", "NZ"),
        ("new zealand", "NZ"),
        ("Aotearoa", "NZ"),
        ("ie", "IE"),
        ("ireland", "IE"),
        ("ca", "CA"),
        (" canada ", "CA"),
    ],
)
def test_codes_and_aliases_resolve(typed, code):
    assert SERVICE.resolve(typed) == code


@pytest.mark.parametrize("typed", ["jp", "xx", "", None, "united", "12"])
def test_unknown_codes_do_not_resolve(typed):
    assert SERVICE.resolve(typed) is None


def test_unknown_code_gets_international_fallback_and_supported_codes():
    text = SERVICE.card("jp").text()
    assert "https://findahelpline.com" in text
    for code in ("US", "CA", "GB", "IE", "AU", "NZ"):
        assert code in text
    assert "Japan (JP)" in text  # names the real country it has no list for


def test_fallback_lists_every_covered_emergency_number():
    text = SERVICE.card("zz").text()
    for number in ("911", "999", "112", "000", "111"):
        assert number in text


def test_no_country_at_all_also_gets_the_fallback():
    assert "findahelpline.com" in SERVICE.card(None).text()


def test_unknown_code_echo_is_sanitised():
    text = SERVICE.card("<script>x</script>").text()
    assert "<script>" not in text
