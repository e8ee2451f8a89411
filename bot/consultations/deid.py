"""The local de-identification check: does a consultation's text look identifying?

It warns; it never blocks, and nothing leaves the machine. It looks for the kinds of
detail that identify a client (after the HIPAA Safe Harbor list): personal names (a
capitalised word that is a first name in the US census lists shipped by the ``names``
package, or any capitalised word after a title such as *Mr* or *Dr*), exact dates and
dates of birth (a day with a month; a year alone is fine), ages over 89, phone numbers
(``phonenumbers``), email addresses, street addresses and postcodes, and record numbers
(long runs of digits, or a number after *MRN*, *NHS* and the like). A check like this
cannot prove text is safe, and the reminder says so; it catches the common slips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import phonenumbers

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),  # 12/03/1985, 3.4.21
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # 2021-03-04
    re.compile(rf"\b{DAY}\s+(?:of\s+)?(?:{MONTHS})\b\.?(?:,?\s+\d{{4}})?", re.I),  # 3 March
    re.compile(rf"\b(?:{MONTHS})\.?\s+{DAY}\b(?:,?\s+\d{{4}})?", re.I),  # March 3rd, 2021
    re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|born on)\b", re.I),
)
AGE = re.compile(
    r"\b(?:(?:aged?|age of)\s+(?P<a>\d{2,3})|(?P<b>\d{2,3})\s*(?:-|\s)?\s*(?:years?|yrs?|y)"
    r"(?:\s*|-)(?:old|o|/o)\b|(?P<c>\d{2,3})\s*(?:yo|y/o|y\.o\.)\b|(?P<d>\d{2,3})-year-old)",
    re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
STREET = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
    r"Boulevard|Blvd|Court|Ct|Way|Place|Pl|Close|Crescent|Terrace|Square|Sq|Gardens|Grove|"
    r"Parkway|Pkwy|Highway|Hwy)\b\.?")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}|[A-Z]{2}\s+\d{5}(?:-\d{4})?)\b")
RECORD = re.compile(r"(?<![\d.,])\d{6,}(?![\d.,])|\b(?:MRN|NHS|SSN|NI|medical record|record"
                    r"|chart|case|patient|file)\s*(?:no\.?|number|num|#|id)?\s*[:#]?\s*"
                    r"[A-Z]{0,3}\d[\d -]{3,}\b", re.I)
TITLES = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?P<name>[A-Z][a-z'-]+)")
CAPITALISED = re.compile(r"\b[A-Z][a-z'-]+\b")
# First names that are also everyday words, or that a clinician writes for other reasons.
_COMMON_WORDS = (
    "a an and april art august autumn bill blue bob bud buddy carol case chance chase "
    "chastity chip christian crystal dale dawn day dean del destiny dick don dusty early "
    "ebony ed eve faith fay frank gay gene ginger glen grace grant hale hope ivy jack "
    "jade jan jean jewel joy judge june king lady lane laurel lee will may major mark "
    "marsh matt max mercy miles misty nick noble norma page pat patience pearl penny rich "
    "river robin rock rose ruby rusty sage sandy scott shelby sky sonny spring stone "
    "summer sunny sue tad temple terry trinity victor violet wade ward wes west win "
    "winter young the this that these those she he they we our my her his their i you it "
    "in on at of for with from by to as but or if so not no yes ok dear client patient "
    "therapist doctor nurse monday tuesday wednesday thursday friday saturday sunday"
)
COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str


@cache
def first_names() -> frozenset[str]:
    """First names from the US census lists shipped by the ``names`` package."""
    found: set[str] = set()
    for name in ("dist.male.first", "dist.female.first"):
        data = resources.files("names").joinpath(name).read_text(encoding="utf-8")
        found.update(line.split()[0].lower() for line in data.splitlines() if line.strip())
    return frozenset(found - COMMON)


def check(text: str, region: str = "US") -> list[Finding]:
    """What looks identifying in ``text``, in reading order, each kind's excerpts once."""
    found: list[tuple[int, Finding]] = []

    def add(kind: str, start: int, excerpt: str) -> None:
        excerpt = " ".join(excerpt.split())[:40]
        if all(f.text != excerpt or f.kind != kind for _, f in found):
            found.append((start, Finding(kind, excerpt)))

    taken: list[tuple[int, int]] = []  # spans already explained (a phone is no record)
    for match in phonenumbers.PhoneNumberMatcher(text, region or "US",
                                                 leniency=phonenumbers.Leniency.POSSIBLE):
        if sum(c.isdigit() for c in match.raw_string) < 7:  # a year, a short count
            continue
        add("phone number", match.start, match.raw_string)
        taken.append((match.start, match.end))
    for match in EMAIL.finditer(text):
        add("email address", match.start(), match.group())
        taken.append(match.span())
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            add("exact date", match.start(), match.group())
            taken.append(match.span())
    for match in AGE.finditer(text):
        age = int(next(v for v in match.group("a", "b", "c", "d") if v))
        if 89 < age < 130:
            add("age over 89", match.start(), match.group())
    for pattern in (STREET, POSTCODE):
        for match in pattern.finditer(text):
            add("address", match.start(), match.group())
            taken.append(match.span())
    for match in RECORD.finditer(text):
        if not any(a <= match.start() < b for a, b in taken):
            add("record number", match.start(), match.group())
    _names(text, add)
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]


def _names(text: str, add) -> None:
    for match in TITLES.finditer(text):
        add("name", match.start(), match.group())
    names = first_names()
    for match in CAPITALISED.finditer(text):
        word = match.group().strip("'-")
        if word.lower() in names and not _titled_before(text, match.start()):
            add("name", match.start(), word)


def _titled_before(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+$", text[:start]))
