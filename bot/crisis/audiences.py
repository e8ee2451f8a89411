"""Whom a crisis line is specifically for, and the words members use to ask for it."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class Audience(StrEnum):
    """Whom a line is specifically for, so a card can offer it to the right person.

    Lines without an audience are for anyone. A clinician often looks these up for a
    client or a colleague, so the colleague card lists them by audience and
    ``/peer crisis <country> <audience>`` shows just one audience.
    """

    YOUTH = "youth"
    LGBTQ = "lgbtq"
    INDIGENOUS = "indigenous"
    MEN = "men"
    VETERANS = "veterans"


AUDIENCE_TITLES: dict[Audience, str] = {
    Audience.YOUTH: "For young people",
    Audience.LGBTQ: "For LGBTQ+ people",
    Audience.INDIGENOUS: "For Indigenous peoples",
    Audience.MEN: "For men",
    Audience.VETERANS: "For veterans and service members",
}

AUDIENCE_WORDS: dict[str, Audience] = {
    "youth": Audience.YOUTH,
    "young": Audience.YOUTH,
    "young people": Audience.YOUTH,
    "kids": Audience.YOUTH,
    "children": Audience.YOUTH,
    "teens": Audience.YOUTH,
    "lgbtq": Audience.LGBTQ,
    "lgbtq+": Audience.LGBTQ,
    "lgbt": Audience.LGBTQ,
    "lgbtqia": Audience.LGBTQ,
    "queer": Audience.LGBTQ,
    "trans": Audience.LGBTQ,
    "indigenous": Audience.INDIGENOUS,
    "first nations": Audience.INDIGENOUS,
    "aboriginal": Audience.INDIGENOUS,
    "maori": Audience.INDIGENOUS,
    "men": Audience.MEN,
    "veterans": Audience.VETERANS,
    "veteran": Audience.VETERANS,
    "military": Audience.VETERANS,
}


def parse_audience(words: str) -> Audience | None:
    """The audience named by ``words`` ('youth', 'LGBTQ+', 'first nations'), else None."""
    return AUDIENCE_WORDS.get(" ".join(words.lower().split()))


def split_audience(words: Sequence[str]) -> tuple[list[str], Audience | None]:
    """Take an audience off either end of ``words``: ``['au', 'youth']`` -> ``(['au'], YOUTH)``.

    Two-word names ('first nations', 'young people') are tried before one-word ones.
    Words that name no audience are left for the country.
    """
    words = list(words)
    for size in (2, 1):
        if len(words) < size:
            continue
        for head, tail in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            audience = parse_audience(" ".join(head))
            if audience is not None:
                return tail, audience
    return words, None
