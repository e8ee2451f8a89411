"""The crisis-resource directory: load the bundled data file, validate it, merge overrides.

The numbers live in ``bot/crisis/data/crisis_directory.toml`` so that correcting one is a data
change reviewed against its source, not a code change. Every rule that keeps a number
trustworthy (a dialable form that matches the published one, an https source, a
verification date, exactly one emergency entry per country listed first) is checked
here at load time, for the bundled file and for operator additions alike, so a bad
entry stops start-up instead of reaching someone in distress.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.crisis.audiences import Audience
from bot.crisis.sources import host_of, is_official_host

DATA_FILE = "data/crisis_directory.toml"
ALL_COUNTRIES = "*"

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SHORT_CODE = re.compile(r"^\d{2,6}$")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


class ContactKind(StrEnum):
    """How a service is reached; the data file spells it as the value."""

    CALL = "call"
    TEXT = "text"
    CHAT = "chat"
    WEB = "web"


class Origin(StrEnum):
    """Where an entry came from: the reviewed bundled file or the operator's config."""

    BUNDLED = "bundled"
    CONFIG = "config"


class CrisisDataError(ValueError):
    """A directory entry or operator override that cannot be trusted; names key and value."""


def _https(value: str) -> str:
    if not value.startswith("https://") or len(value) <= len("https://"):
        raise ValueError("an https:// URL")
    return value


def _http_any(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise ValueError("an http(s):// URL")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Contact(_Frozen):
    """One way to reach a service. ``value`` is shown as published; ``dial`` is checked."""

    kind: ContactKind
    value: str = Field(min_length=1)
    dial: str | None = None
    keyword: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Contact:
        if self.kind in (ContactKind.CHAT, ContactKind.WEB):
            _https(self.value)
            if self.dial is not None:
                raise ValueError(f"no 'dial' for a {self.kind} contact (got {self.dial!r})")
            return self
        if self.dial is None:
            raise ValueError(f"a 'dial' form (E.164 or short code) for {self.value!r}")
        if not (E164.match(self.dial) or SHORT_CODE.match(self.dial)):
            raise ValueError(
                f"'dial' in E.164 form like +441234567890 or a 3-6 digit short code, "
                f"got {self.dial!r}"
            )
        if not dial_matches(self.value, self.dial):
            raise ValueError(
                f"'dial' {self.dial!r} to be the same number as 'value' {self.value!r}"
            )
        return self

    @property
    def is_short_code(self) -> bool:
        return self.dial is not None and not self.dial.startswith("+")


def dial_matches(value: str, dial: str) -> bool:
    """Whether the published ``value`` and the checked ``dial`` form are the same number.

    A short code must equal the value's digits. An E.164 number must end with the
    value's national digits (leading trunk zeros dropped), and at most a three-digit
    country code may precede them, so a typo in either field is caught.
    """
    digits = re.sub(r"\D", "", value)
    if not digits:
        return False
    if not dial.startswith("+"):
        return digits == dial
    national = digits.lstrip("0")
    full = dial[1:]
    return bool(national) and full.endswith(national) and len(full) - len(national) <= 3


class Entry(_Frozen):
    """One service in one country (or in every country, for ``country = "*"``)."""

    country: str
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    serves: str = Field(min_length=1)
    contacts: tuple[Contact, ...] = Field(min_length=1)
    hours: str = Field(min_length=1)
    languages: tuple[str, ...] = ()
    source_url: str
    also_checked: tuple[str, ...] = ()
    verified: date
    emergency: bool = False
    professional: bool = False
    audiences: tuple[Audience, ...] = ()
    local_name: str | None = None
    site: str | None = None
    weak_source: bool = False
    weak_reason: str | None = None
    note: str | None = None
    origin: Origin = Origin.BUNDLED

    @field_validator("site")
    @classmethod
    def _site(cls, value: str | None) -> str | None:
        return None if value is None else _https(value)

    @model_validator(mode="after")
    def _weakness_explained(self) -> Entry:
        if self.weak_source and not self.weak_reason:
            raise ValueError(f"entry {self.id!r}: a 'weak_reason' for weak_source = true")
        if self.weak_reason and not self.weak_source:
            raise ValueError(f"entry {self.id!r}: 'weak_reason' only with weak_source = true")
        return self

    @property
    def title(self) -> str:
        """The name as shown: the local-language name first when there is one."""
        return f"{self.local_name} ({self.name})" if self.local_name else self.name

    @property
    def source_is_strong(self) -> bool:
        """The source is the service's own site or a government or health-system page."""
        host = host_of(self.source_url)
        own = self.site is not None and host == host_of(self.site)
        return own or is_official_host(host)

    @field_validator("source_url")
    @classmethod
    def _source(cls, value: str) -> str:
        return _https(value)

    @field_validator("also_checked")
    @classmethod
    def _also(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_http_any(v) for v in value)


class Country(_Frozen):
    name: str
    local_name: str | None = None
    aliases: tuple[str, ...] = ()
    short_codes: tuple[str, ...] = ()

    @field_validator("short_codes")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not SHORT_CODE.match(code):
                raise ValueError(f"short codes of 3-6 digits, got {code!r}")
        return value


class Intl(_Frozen):
    name: str
    serves: str
    url: str
    source_url: str
    verified: date

    @field_validator("url", "source_url")
    @classmethod
    def _urls(cls, value: str) -> str:
        return _https(value)


class Colleague(_Frozen):
    title: str
    steps: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    verified: date

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_https(v) for v in value)


class Directory(_Frozen):
    """The whole validated directory; entries keep file order, emergency first per country."""

    schema_version: Literal[1]
    countries: dict[str, Country]
    intl: Intl
    colleague: Colleague
    entries: tuple[Entry, ...]

    @model_validator(mode="after")
    def _coherent(self) -> Directory:
        seen: set[tuple[str, str]] = set()
        for entry in self.entries:
            if entry.country != ALL_COUNTRIES and entry.country not in self.countries:
                raise ValueError(f"entry {entry.id!r}: unknown country {entry.country!r}")
            if (entry.country, entry.id) in seen:
                raise ValueError(f"entry {entry.id!r}: duplicate id in {entry.country}")
            seen.add((entry.country, entry.id))
            check_short_codes(entry, self.countries.get(entry.country))
        for code in self.countries:
            emergencies = [e for e in self.entries if e.country == code and e.emergency]
            if len(emergencies) != 1:
                raise ValueError(f"country {code}: expected exactly one emergency entry")
        aliases = [a.lower() for c in self.countries.values() for a in c.aliases]
        if len(aliases) != len(set(aliases)):
            raise ValueError("country aliases must be unique")
        return self

    def for_country(self, code: str) -> tuple[Entry, ...]:
        """Entries for ``code``: its emergency entry first, then the rest in file order."""
        own = [e for e in self.entries if e.country == code]
        shared = [e for e in self.entries if e.country == ALL_COUNTRIES]
        return tuple(sorted(own, key=lambda e: not e.emergency)) + tuple(shared)

    def shared_entries(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.country == ALL_COUNTRIES)


def check_short_codes(entry: Entry, country: Country | None) -> None:
    allowed = country.short_codes if country else ()
    for index, contact in enumerate(entry.contacts):
        if contact.is_short_code and contact.dial not in allowed:
            where = entry.country if country else "every country ('*')"
            raise ValueError(
                f"entry {entry.id!r} contacts[{index}].dial: {contact.dial!r} is a short code "
                f"not listed for {where}; expected E.164 or one of {list(allowed)}"
            )


def format_error(prefix: str, error: ValidationError) -> str:
    first = error.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    key = f"{prefix}.{loc}" if loc else prefix
    message = first["msg"].removeprefix("Value error, ")
    got = first.get("input")
    shown = got if isinstance(got, (str, int, float, bool)) or got is None else "(see entry)"
    return f"{key}: got {shown!r}; expected {message}"


def weak_entries(directory: Directory) -> tuple[Entry, ...]:
    """Entries whose source is neither the service's own site nor an official page."""
    return tuple(e for e in directory.entries if e.weak_source)


def parse_directory(raw: Mapping[str, Any], *, source: str = "crisis directory") -> Directory:
    """Validate a parsed TOML mapping into a Directory, or raise CrisisDataError."""
    try:
        return Directory.model_validate(dict(raw))
    except ValidationError as exc:
        raise CrisisDataError(format_error(source, exc)) from None


def load_bundled() -> Directory:
    """Load the directory shipped in the package (``bot/crisis/data/crisis_directory.toml``)."""
    text = resources.files("bot.crisis").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_directory(tomllib.loads(text), source=DATA_FILE)


def stale_entries(directory: Directory, today: date, max_age_days: int) -> list[str]:
    """Ids (and 'intl', 'colleague') whose verification is older than ``max_age_days``."""
    dated = [(e.id, e.verified) for e in directory.entries]
    dated += [("intl", directory.intl.verified), ("colleague", directory.colleague.verified)]
    return [name for name, day in dated if (today - day).days > max_age_days]


def resolve_country(directory: Directory, code: str | None) -> str | None:
    """Canonical country code for a code or alias (case-insensitive), else None."""
    if not code:
        return None
    key = " ".join(code.replace(".", "").split()).lower()
    if key.upper() in directory.countries:
        return key.upper()
    for canonical, country in directory.countries.items():
        if key in (a.lower() for a in country.aliases):
            return canonical
    return None
