"""Autocomplete lists for Discord options: time zones and countries, as someone types.

Discord shows at most :data:`MAX_CHOICES` suggestions of at most :data:`MAX_CHOICE`
characters (name and value alike); anything longer would make Discord refuse the whole
answer, so both are enforced here. The value is what the core parses (an IANA zone
name, an ISO 3166 alpha-2 code); the name is what a person recognises. A typed value
that matches nothing is still sent as typed, and the core answers it with its hints.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import pycountry

from bot.core.countries import ALIASES, parse_country

MAX_CHOICES = 25
MAX_CHOICE = 100
# Old aliases zoneinfo still knows (US/Eastern, Etc/GMT+5): valid, but not what to offer.
_LEGACY = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CHOICE else text[: MAX_CHOICE - 1] + "…"


@cache
def _zones() -> tuple[str, ...]:
    names = {z for z in available_timezones()
             if "/" in z and not z.startswith(_LEGACY) and z.upper() != z}
    return tuple(sorted(names | {"UTC"}))


def zone_choices(typed: str) -> list[tuple[str, str]]:
    """(name, value) pairs for the zones matching what was typed: a city or region,
    spaces or underscores alike (``new york``, ``Europe/Lon``); cities that start with
    it first. Nothing typed: a spread of the most asked-for zones."""
    key = typed.strip().lower().replace(" ", "_")
    if not key:
        return [(z.replace("_", " "), z) for z in COMMON]
    starts, contains = [], []
    for zone in _zones():
        lowered = zone.lower()
        city = lowered.rsplit("/", 1)[-1]
        if city.startswith(key) or lowered.startswith(key):
            starts.append(zone)
        elif key in lowered:
            contains.append(zone)
    return [(_fit(z.replace("_", " ")), z) for z in (starts + contains)[:MAX_CHOICES]
            if len(z) <= MAX_CHOICE]


COMMON = ("Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "America/New_York",
          "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
          "America/Sao_Paulo", "Africa/Johannesburg", "Africa/Lagos", "Asia/Kolkata",
          "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Australia/Perth",
          "Pacific/Auckland", "UTC")


@cache
def _countries() -> tuple[tuple[str, str], ...]:
    """(code, name) of every ISO 3166 country, by name."""
    found = [(c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries]
    return tuple(sorted(found, key=lambda pair: pair[1]))


def country_choices(typed: str) -> list[tuple[str, str]]:
    """(``United Kingdom (GB)``, ``GB``) pairs: a code or alias typed exactly first, then
    names starting with it, then names containing it."""
    key = " ".join(typed.split()).lower()
    exact = parse_country(typed) if key and (len(key) <= 3 or key in ALIASES) else None
    starts, contains = [], []
    for code, name in _countries():
        lowered = name.lower()
        if exact is not None and code == exact.code:
            continue
        if not key or lowered.startswith(key):
            starts.append((code, name))
        elif key in lowered:
            contains.append((code, name))
    ordered = ([(exact.code, exact.name)] if exact else []) + starts + contains
    return [(_fit(f"{name} ({code})"), code) for code, name in ordered[:MAX_CHOICES]]
