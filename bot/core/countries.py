"""Country input, validated against ISO 3166 (pycountry's data), with gentle hints.

One place decides what counts as a country, so `/peer profile country`, `/crisis`,
`/peer crisis post` and a group's ``country`` setting agree. Accepted: an ISO 3166-1
alpha-2 or alpha-3 code or a country's name (case-insensitive), plus ``UK``. Refused
with a hint: things people commonly type for a country that are not its code (``EN``
for England is a language code; the United Kingdom is ``GB``). Hints are offered only
for a single short word, so free text such as a sentence is never read as a country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

from bot.core.errors import UserError

# Accepted spellings that are not ISO codes or names.
ALIASES = {"uk": "GB", "usa": "US", "great britain": "GB", "britain": "GB"}
# Refused, with this hint: not a country code, but what people mean by it.
HINTS = {
    "en": "GB", "eng": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "sco": "GB", "wal": "GB", "northern ireland": "GB", "el": "GR", "ksa": "SA",
    "uae": "AE", "america": "US",
}
MAX_HINTS = 3


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


def _key(text: str) -> str:
    return " ".join(text.replace(".", "").split()).lower()


def _country(code: str) -> Country:
    record = pycountry.countries.get(alpha_2=code)
    assert record is not None, code
    return Country(record.alpha_2, getattr(record, "common_name", None) or record.name)


def parse_country(text: str | None) -> Country | None:
    """The country ``text`` names exactly, else None (never a guess)."""
    if not text:
        return None
    key = _key(text)
    if key in ALIASES:
        return _country(ALIASES[key])
    if not key or key.isdigit() or not re.fullmatch(r"[a-z][a-z ,'()-]*", key):
        return None
    try:
        record = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return _country(record.alpha_2)


def looks_like_a_code(text: str) -> bool:
    """One word of two or three letters: someone meant a country code."""
    return bool(re.fullmatch(r"[A-Za-z]{2,3}", text.strip()))


def suggestions(text: str) -> list[Country]:
    """Likely meanings of a single word that is not a country (``EN`` -> GB)."""
    key = _key(text)
    if key in HINTS:
        return [_country(HINTS[key])]
    if " " in key or len(key) < 4 or not key.isalpha():
        return []
    try:
        found = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return []
    return [_country(c.alpha_2) for c in found[:MAX_HINTS]]


def hint_text(text: str) -> str:
    """`` Did you mean GB (United Kingdom)?`` or empty."""
    found = suggestions(text)
    if not found:
        return ""
    return " Did you mean " + " or ".join(str(c) for c in found) + "?"


def require_country(text: str) -> Country:
    """The country, or a UserError that says what would work (for settings)."""
    country = parse_country(text)
    if country is not None:
        return country
    shown = text.strip()[:20]
    raise UserError(
        f"“{shown}” is not an ISO 3166 country code.{hint_text(text)} Use a two-letter code "
        "such as US, GB, AU or IE. Nothing was changed."
    )
