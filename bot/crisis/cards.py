"""Build the crisis cards as neutral Messages from a validated Directory.

Safe-messaging choices live here, in one place: the emergency number is the first
line after the title, every number appears exactly as the service publishes it, the
card says plainly that the bot is not a crisis service and is not monitored, and the
wording is warm, brief and free of method talk or stigmatising language.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.model import Context, Divider, Header, Message, Section
from bot.crisis.audiences import AUDIENCE_TITLES, Audience
from bot.crisis.directory import Contact, ContactKind, Directory, Entry, Origin

NOT_A_CRISIS_SERVICE = "This bot is not a crisis service and is not monitored."
INTRO = (
    "You're not alone, and reaching out is a strong thing to do. "
    f"{NOT_A_CRISIS_SERVICE} Please contact one of these services directly; "
    "they are there to listen."
)
LOCAL_EMERGENCY = "your local emergency number"


def contact_text(contact: Contact) -> str:
    """One contact as a short instruction, with the number exactly as published."""
    match contact.kind:
        case ContactKind.CALL:
            text = f"Call {contact.value}"
        case ContactKind.TEXT:
            text = (
                f"Text {contact.keyword} to {contact.value}"
                if contact.keyword
                else (f"Text {contact.value}")
            )
        case ContactKind.CHAT:
            text = f"Chat online: {contact.value}"
        case ContactKind.WEB:
            text = f"Web: {contact.value}"
    return f"{text} ({contact.note})" if contact.note else text


def emergency_phrase(entry: Entry) -> str:
    """'911' or '112 or 999': the calls of an emergency entry, as published."""
    return " or ".join(c.value for c in entry.contacts if c.kind is ContactKind.CALL)


def entry_block(entry: Entry) -> Section:
    details = [contact_text(c) for c in entry.contacts] + [entry.hours]
    if entry.languages:
        details.append("Languages: " + ", ".join(entry.languages))
    return Section(f"*{entry.title}*: {entry.serves}\n" + " · ".join(details))


def _for_youth(entry: Entry) -> bool:
    return Audience.YOUTH in entry.audiences


def _grouped(entries: Sequence[Entry], *, youth: bool = False) -> list[Section]:
    """Lines for anyone, the organisation's own, health professionals', then by audience.

    A member's own card leaves out lines only for young people (members are adult
    clinicians; a hint offers them); the colleague card, used to help someone else,
    passes ``youth=True``. Each entry appears once, under its first audience.
    """
    bundled = [e for e in entries if e.origin is Origin.BUNDLED]
    general = [e for e in bundled if not (e.emergency or e.professional or e.audiences)]
    professional = [e for e in bundled if e.professional]
    operator = [e for e in entries if e.origin is Origin.CONFIG]
    blocks = [entry_block(e) for e in general]
    if operator:
        blocks.append(Section("*From your organisation*"))
        blocks.extend(entry_block(e) for e in operator)
    if professional:
        blocks.append(Section("*For health professionals*"))
        blocks.extend(entry_block(e) for e in professional)
    shown = {e.id for e in general + professional}
    for audience, title in AUDIENCE_TITLES.items():
        group = [
            e for e in bundled
            if e.audiences and e.audiences[0] is audience and e.id not in shown
            and (youth or not _for_youth(e))
        ]
        if group:
            blocks.append(Section(f"*{title}*"))
            blocks.extend(entry_block(e) for e in group)
    return blocks


def audiences_in(directory: Directory, code: str) -> list[Audience]:
    """The audiences that have a line of their own in ``code``, in display order."""
    tagged = {a for e in directory.for_country(code) for a in e.audiences}
    return [a for a in AUDIENCE_TITLES if a in tagged]


def _hint(directory: Directory, command: str, code: str | None = None) -> str:
    codes = ", ".join(
        f"{code} ({c.aliases[0]})" if code == "GB" and c.aliases else code
        for code, c in directory.countries.items()
    )
    filters = ""
    if code is not None and (present := audiences_in(directory, code)):
        filters = "Lines for one group of people: " + ", ".join(
            f"`/{command} crisis {code} {a.value}`" for a in present
        ) + ". "
    return (
        f"{filters}Other countries: `/{command} crisis <code>` ({codes}). "
        f"Worried about someone at work? `/{command} crisis colleague`."
    )


def country_title(directory: Directory, code: str) -> str:
    country = directory.countries[code]
    return f"{country.name} ({country.local_name})" if country.local_name else country.name


def country_blocks(
    directory: Directory, code: str, *, youth: bool = False
) -> list[Header | Section]:
    """Title, emergency line, the not-a-crisis-service intro and every entry."""
    entries = directory.for_country(code)
    emergency = entries[0]
    return [
        Header(f"Crisis support: {country_title(directory, code)}"),
        Section(f"*If you are in immediate danger, call {emergency_phrase(emergency)} now.*"),
        Section(INTRO),
        *_grouped(entries, youth=youth),
    ]


def _checked_line(entries: Sequence[Entry], hint: str) -> Context:
    checked = min(e.verified for e in entries).isoformat()
    return Context(
        f"Numbers checked against each service's published page (oldest check {checked}). "
        f"{hint}"
    )


def country_card(directory: Directory, code: str, *, command: str = "peer") -> Message:
    """The card for a supported country code (already resolved)."""
    entries = directory.for_country(code)
    return Message(
        blocks=(
            *country_blocks(directory, code),
            _checked_line(entries, _hint(directory, command, code)),
        )
    )


def audience_card(
    directory: Directory, code: str, audience: Audience, *, command: str = "peer"
) -> Message:
    """Only the lines for one audience in a country, after the emergency number.

    When the country has none, the card says so plainly and shows the lines for anyone,
    so asking for a filter never leaves someone with fewer numbers than they had.
    """
    entries = directory.for_country(code)
    title = AUDIENCE_TITLES[audience]
    for_whom = title[0].lower() + title[1:]  # "for LGBTQ+ people"
    chosen = [e for e in entries if audience in e.audiences]
    if chosen:
        lines = [entry_block(e) for e in chosen]
    else:
        lines = [
            Section(
                f"I don't have a line specifically {for_whom} in "
                f"{directory.countries[code].name}. These lines are for anyone:"
            ),
            *_grouped(entries),
        ]
    return Message(
        blocks=(
            Header(f"Crisis support: {country_title(directory, code)}, {for_whom}"),
            Section(f"*If you are in immediate danger, call {emergency_phrase(entries[0])} now.*"),
            Section(INTRO),
            *lines,
            _checked_line(entries, f"All lines: `/{command} crisis {code}`. "
                          + _hint(directory, command)),
        )
    )


def fallback_blocks(directory: Directory) -> list[Header | Section]:
    """The international card: every covered emergency number and a helpline directory."""
    numbers = " · ".join(
        f"{country.name} {emergency_phrase(directory.for_country(code)[0])}"
        for code, country in directory.countries.items()
    )
    intl = directory.intl
    return [
        Header("Crisis support"),
        Section(f"*If you are in immediate danger, call {LOCAL_EMERGENCY} now.* {numbers}."),
        Section(INTRO),
        Section(f"*{intl.name}*: {intl.serves}\nWeb: {intl.url}"),
        *_grouped(directory.shared_entries()),
    ]


def fallback_card(
    directory: Directory, *, unknown: str | None = None, command: str = "peer"
) -> Message:
    """International fallback, naming the supported codes (and the code not found)."""
    codes = ", ".join(directory.countries)
    lead = f"I don't have a local list for '{unknown}' yet. " if unknown else ""
    return Message(
        blocks=(
            *fallback_blocks(directory),
            Context(
                f"{lead}Supported country codes: {codes} (UK works too). "
                f"{_hint(directory, command)}"
            ),
        )
    )


def colleague_card(directory: Directory, code: str | None, *, command: str = "peer") -> Message:
    """Published peer guidance for a worried colleague, followed by the same crisis card."""
    guide = directory.colleague
    if code is None:
        emergency = LOCAL_EMERGENCY
        resources = fallback_blocks(directory)
    else:
        emergency = emergency_phrase(directory.for_country(code)[0])
        resources = country_blocks(directory, code, youth=True)
    steps = "\n".join(
        f"{n}. {step.format(emergency=emergency)}" for n, step in enumerate(guide.steps, start=1)
    )
    title, *rest = resources
    return Message(
        blocks=(
            Header(guide.title),
            Section(steps),
            Divider(),
            Section(f"*{title.text}*"),
            *rest,
            Context(
                "Guidance adapted from: "
                + " · ".join(guide.sources)
                + ". "
                + _hint(directory, command, code)
            ),
        )
    )
