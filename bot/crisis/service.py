"""Crisis-line resources: the service the crisis commands call.

It answers with the right card for a country and nothing else. It never stores or
logs a request, not even the country asked for: the only trace a request leaves is an
optional counter, injected as ``on_request`` (an in-memory or store counter chosen by
the runtime), so a facilitator can see that the card is used without learning by whom.
This module deliberately has no logger.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from bot.core.countries import parse_country
from bot.core.model import Message
from bot.crisis import cards as crisis_cards
from bot.crisis.audiences import Audience
from bot.crisis.directory import (
    ContactKind,
    CrisisDataError,
    Directory,
    load_bundled,
    resolve_country,
)
from bot.crisis.overrides import merge_extra

__all__ = ["NOT_A_CRISIS_SERVICE", "CrisisDataError", "CrisisService", "RequestCounter"]

NOT_A_CRISIS_SERVICE = crisis_cards.NOT_A_CRISIS_SERVICE


class RequestCounter:
    """An in-memory count of crisis cards shown: a number, never who or what."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


class CrisisService:
    """Builds crisis cards from a validated directory; stateless apart from the directory.

    It implements the :class:`~bot.core.ports.CrisisCards` port that ``ctx.crisis`` is
    typed as (tests/crisis/test_port.py keeps the signatures in step).

    Args:
        directory: the validated directory (bundled data merged with operator extras).
        on_request: called once per card built, with no arguments and so no request
            details; a failing counter never stops a card from being returned.
            ``requests`` counts the same cards in memory (a number, never who or what).
    """

    def __init__(
        self, directory: Directory, *, on_request: Callable[[], None] | None = None
    ) -> None:
        self._directory = directory
        self._on_request = on_request
        self.requests = RequestCounter()

    @classmethod
    def load(
        cls,
        extra: Sequence[Any] | None = None,
        *,
        on_request: Callable[[], None] | None = None,
    ) -> CrisisService:
        """Bundled directory plus ``[[crisis.extra]]`` items; raises CrisisDataError."""
        return cls(merge_extra(load_bundled(), extra), on_request=on_request)

    @property
    def directory(self) -> Directory:
        return self._directory

    @property
    def supported(self) -> tuple[str, ...]:
        """Supported country codes, in directory order."""
        return tuple(self._directory.countries)

    def resolve(self, code: str | None) -> str | None:
        """Canonical code for a code or alias such as 'uk' (case-insensitive), else None."""
        return resolve_country(self._directory, code)

    def emergency_numbers(self, code: str) -> tuple[str, ...]:
        """The emergency numbers of a supported country, exactly as published."""
        entry = self._directory.for_country(code)[0]
        return tuple(c.value for c in entry.contacts if c.kind is ContactKind.CALL)

    def card(
        self, country: str | None, *, command: str = "peer", audience: str | None = None
    ) -> Message:
        """The crisis card for ``country`` (code or alias); unknown → international card.

        With an ``audience`` (young people, LGBTQ+ people...), only that audience's
        lines follow the emergency number.
        """
        self._count()
        code = self.resolve(country)
        if code is None:
            return crisis_cards.fallback_card(
                self._directory, unknown=_safe_echo(country), command=command
            )
        if audience is not None:
            return crisis_cards.audience_card(
                self._directory, code, Audience(audience), command=command
            )
        return crisis_cards.country_card(self._directory, code, command=command)

    def home_card(self, country: str | None, *, command: str = "peer") -> Message:
        """The card for the member's home view: not a request, so it is not counted."""
        code = self.resolve(country)
        if code is None:
            return crisis_cards.fallback_card(self._directory, unknown=None, command=command)
        return crisis_cards.country_card(self._directory, code, command=command)

    def colleague_card(self, country: str | None, *, command: str = "peer") -> Message:
        """What to do when worried about a colleague, with the country's crisis card."""
        self._count()
        return crisis_cards.colleague_card(self._directory, self.resolve(country), command=command)

    def _count(self) -> None:
        self.requests()
        if self._on_request is None:
            return
        # A failing counter must never cost someone the card, and is not logged.
        with contextlib.suppress(Exception):
            self._on_request()


def _safe_echo(text: str | None) -> str | None:
    """The ISO 3166 name of a real country the directory lacks (``France (FR)``), else None.

    Never the words someone typed: after `/crisis` they may be a cry for help.
    """
    country = parse_country(text)
    return f"{country.name} ({country.code})" if country else None
