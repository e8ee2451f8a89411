"""Build the crisis cards as neutral Messages from a validated Directory.

Safe-messaging choices live here, in one place: the emergency number is the first
line after the title, every number appears exactly as the service publishes it, the
card says plainly that the bot is not a crisis service and is not monitored, and the
wording is warm, brief and free of method talk or stigmatising language.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.model import Context, Divider, Header, Message, Section
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
    return Section(f"*{entry.name}*: {entry.serves}\n" + " · ".join(details))


def _grouped(entries: Sequence[Entry]) -> list[Section]:
    bundled = [e for e in entries if e.origin is Origin.BUNDLED]
    general = [e for e in bundled if not e.emergency and not e.professional]
    professional = [e for e in bundled if e.professional]
    operator = [e for e in entries if e.origin is Origin.CONFIG]
    blocks = [entry_block(e) for e in general]
    if operator:
        blocks.append(Section("*From your organisation*"))
        blocks.extend(entry_block(e) for e in operator)
    if professional:
        blocks.append(Section("*For health professionals*"))
        blocks.extend(entry_block(e) for e in professional)
    return blocks


def _hint(directory: Directory, command: str) -> str:
    codes = ", ".join(
        f"{code} ({c.aliases[0]})" if code == "GB" and c.aliases else code
        for code, c in directory.countries.items()
    )
    return (
        f"Other countries: `/{command} crisis <code>` ({codes}). "
        f"Worried about someone at work? `/{command} crisis colleague`."
    )


def country_blocks(directory: Directory, code: str) -> list[Header | Section]:
    """Title, emergency line, the not-a-crisis-service intro and every entry."""
    country = directory.countries[code]
    entries = directory.for_country(code)
    emergency = entries[0]
    return [
        Header(f"Crisis support: {country.name}"),
        Section(f"*If you are in immediate danger, call {emergency_phrase(emergency)} now.*"),
        Section(INTRO),
        *_grouped(entries),
    ]


def country_card(directory: Directory, code: str, *, command: str = "peer") -> Message:
    """The card for a supported country code (already resolved)."""
    entries = directory.for_country(code)
    checked = min(e.verified for e in entries).isoformat()
    return Message(
        blocks=(
            *country_blocks(directory, code),
            Context(
                f"Numbers checked against each service's own published page "
                f"(oldest check {checked}). {_hint(directory, command)}"
            ),
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
        resources = country_blocks(directory, code)
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
                + _hint(directory, command)
            ),
        )
    )
