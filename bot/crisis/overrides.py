"""Operator additions to the crisis directory, from ``[[crisis.extra]]`` in the config.

Operators add their employee assistance programme or a local service, or correct a
bundled entry, without editing package data. Additions go through exactly the same
validation as the bundled file, and an emergency entry can be neither added nor
removed here, so a config typo cannot take the emergency number off the card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from bot.crisis.directory import (
    ALL_COUNTRIES,
    CrisisDataError,
    Directory,
    Entry,
    Origin,
    check_short_codes,
    format_error,
    resolve_country,
)


def merge_extra(directory: Directory, extra: Sequence[Any] | None) -> Directory:
    """Apply operator additions from ``[[crisis.extra]]``; same ``id`` replaces an entry.

    Each item is shaped like a directory entry with a ``country`` key (a code, an alias,
    or ``"*"`` for every country); ``id`` is optional and derived from ``name``.
    ``remove = true`` with an ``id`` drops a bundled entry, except an emergency entry,
    which operators cannot remove.
    """
    entries = list(directory.entries)
    for index, item in enumerate(extra or ()):
        key = f"crisis.extra[{index}]"
        if hasattr(item, "model_dump"):  # a validated config table (pydantic model)
            item = item.model_dump()
        if not isinstance(item, Mapping):
            raise CrisisDataError(f"{key}: got {type(item).__name__}; expected a table")
        data = dict(item)
        raw_country = data.get("country")
        country = (
            raw_country
            if raw_country == ALL_COUNTRIES
            else resolve_country(directory, raw_country if isinstance(raw_country, str) else None)
        )
        if country is None:
            raise CrisisDataError(
                f"{key}.country: got {raw_country!r}; expected one of "
                f"{sorted(directory.countries)} (or an alias) or '*'"
            )
        data["country"] = country
        if data.pop("remove", False) is True:
            entries = _remove(entries, country, data.get("id"), key)
            continue
        if "id" not in data and isinstance(data.get("name"), str):
            data["id"] = _slug(data["name"])
        if "origin" in data:
            raise CrisisDataError(f"{key}.origin: got {data['origin']!r}; expected no such key")
        if data.get("emergency"):
            raise CrisisDataError(
                f"{key}.emergency: got True; expected emergency entries "
                "to come only from the bundled directory"
            )
        try:
            entry = Entry.model_validate({**data, "origin": Origin.CONFIG})
        except ValidationError as exc:
            raise CrisisDataError(format_error(key, exc)) from None
        try:
            check_short_codes(entry, directory.countries.get(country))
        except ValueError as exc:
            raise CrisisDataError(f"{key}: {exc}") from None
        entries = [e for e in entries if (e.country, e.id) != (country, entry.id)] + [entry]
    return directory.model_copy(update={"entries": tuple(entries)})


def _slug(name: str) -> str:
    """A stable id from a name, so operators need not invent one ("extra-our-eap")."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return ("extra-" + "-".join(words))[:63].rstrip("-") or "extra"


def _remove(entries: list[Entry], country: str, entry_id: object, key: str) -> list[Entry]:
    target = [e for e in entries if e.country == country and e.id == entry_id]
    if not target:
        raise CrisisDataError(
            f"{key}.id: got {entry_id!r}; expected an existing entry id in {country} to remove"
        )
    if target[0].emergency:
        raise CrisisDataError(
            f"{key}.id: got {entry_id!r}; expected a non-emergency entry "
            "(the emergency number cannot be removed)"
        )
    return [e for e in entries if e is not target[0]]
