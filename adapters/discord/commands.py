"""The core's `/peer` grammar as a Discord command tree, and the way back to text.

Discord nests at most command > group > subcommand, and a group cannot be invoked by
itself. The map is derived from the router, so a phrase the core adds appears here
without code changes:

- a one-word phrase with no longer phrases under it is a subcommand (`/peer help`);
- a first word with longer phrases under it is a group (`/peer group join`); the bare
  word itself becomes the subcommand named in :data:`BARE_NAMES` (`/peer crisis lines`);
- words beyond the second are joined with hyphens (`/peer admin checkins-now`);
- arguments are options: curated ones in :data:`CURATED` (a member picker, choices),
  otherwise one free-text option named ``text``;
- phrases that act on a peer group get an optional ``group`` option.

:func:`invocation_text` turns the chosen subcommand and option values back into the
exact text the core parses (``admin role <@123> facilitator group:Circle``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

MAX_CHILDREN = 25
MAX_DESCRIPTION = 100
BARE_NAMES = {"crisis": "lines", "checkin": "answer", "pair": "status", "resources": "search",
              "consult": "ask"}
DEFAULT_BARE = "show"
# First words whose commands never concern one peer group.
NO_GROUP = {"help", "export", "forget-me", "privacy", "profile", "edit-profile", "crisis", "group",
            "home"}


@dataclass(frozen=True)
class Option:
    """One Discord option and how its value is written back into the core's text.

    ``kind`` is "text", "user" (becomes ``<@ID>``), "integer" or "choice".
    ``keyword`` writes ``<name> <value>`` instead of just the value.
    """

    name: str
    description: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    keyword: bool = False
    min_length: int | None = None
    max_length: int | None = None
    keyed: bool = False  # written ``name:value`` (one word), as a form's fields are
    suggests: str = ""  # "zone" or "country": autocompleted as someone types

    def _replace_required(self, required: bool) -> Option:
        return replace(self, required=required)


@dataclass(frozen=True)
class Leaf:
    """A Discord subcommand: its name, the core phrase it runs, and its options."""

    name: str
    phrase: str
    description: str
    options: tuple[Option, ...] = ()


@dataclass
class Branch:
    """A subcommand group under the top-level command."""

    name: str
    description: str
    leaves: list[Leaf] = field(default_factory=list)


MEMBER = Option("member", "who", kind="user", required=True)
GROUP = Option("group", "which peer group (when you are in more than one)")
COUNTRY = Option(
    "country", "start typing a country; two-letter code, e.g. GB", min_length=2,
    max_length=2, suggests="country",
)
NUMBER = Option("number", "the resource's number, as shown in [brackets]", kind="integer",
                required=True)

FOR_WHOM = Option(
    "people", "only the lines for one group of people", kind="choice",
    choices=("youth", "lgbtq", "indigenous", "men", "veterans"),
)

CURATED: dict[str, tuple[Option, ...]] = {
    "profile": (
        Option("field", "what to set", kind="choice", choices=("tz", "country", "specialty")),
        Option("value", "time zone or country: start typing for a list; or your specialty",
               suggests="field"),
    ),
    "edit-profile": (
        Option("tz", "your time zone: start typing a city", keyed=True, suggests="zone"),
        Option("country", "your country: start typing its name", keyed=True,
               suggests="country"),
        Option("specialty", "e.g. trauma, child and adolescent", keyed=True, max_length=40),
    ),
    "crisis": (COUNTRY, FOR_WHOM),
    "crisis colleague": (COUNTRY,),
    "crisis post": (COUNTRY,),
    "group join": (Option("name", "the group's name", required=True),),
    "group leave": (Option("name", "the group's name", required=True),),
    "admin role": (
        Option("member", "who", kind="user", required=True),
        Option("role", "their role", kind="choice", required=True,
               choices=("member", "facilitator", "admin")),
    ),
    "checkin buddy": (
        Option("member", "your check-in buddy", kind="user"),
        Option("when", "when they hear from peerbot, or off", kind="choice",
               choices=("two-low", "two-missed", "off")),
    ),
    "checkin days": (Option("days", "e.g. mon,thu or default", required=True),),
    "checkin note": (Option("text", "a private note with your latest answer", required=True),),
    "checkin pause": (
        Option("span", "how long, e.g. 2w, or until 2026-12-28", required=True),
    ),
    "checkin time": (Option("time", "HH:MM in your time zone, or default", required=True),),
    "pair hours": (Option("hours", "e.g. 09:00-17:00 mon-fri, or default"),),
    "admin checkins": (Option("schedule", "e.g. every mon,thu at 09:00 (empty: show)"),),
    "agreement": (),
    "admin agreement status": (),
    "admin agreement set": (
        Option("text", "the new agreement; leave empty to write it in a form", max_length=4000),
    ),
    "resources": (Option("search", "words and #tags to look for (empty: the newest)"),),
    "resources add": (
        Option("text", "<link> [title] [#tags] as:named|anonymous (empty: a form)"),
    ),
    "resources pin": (NUMBER,),
    "resources unpin": (NUMBER,),
    "resources remove": (NUMBER, Option("reason", "why (kept in the audit log)")),
    "resources tags": (NUMBER, Option("tags", "the new tags, e.g. #sleep #self-care")),
    "consult": (Option("text", 'question:"..." want:"..." as:named|anonymous (empty: a form)'),),
    "consult resolve": (
        Option("number", "the consultation's number", kind="integer", required=True),
        Option("code", "your private code", required=True),
        Option("takeaway", "a short takeaway for the resource library"),
    ),
    "mentor offer": (Option("capacity", "how many mentees, 1-3", kind="integer"),
                     Option("topics", "topics, separated by commas", required=True)),
    "mentor request": (Option("topics", "topics, separated by commas", required=True),),
    "mentor join": (
        Option("text", 'stage:mid as:mentor|mentee topics:"..." capacity:1-3 (empty: a form)'),
    ),
    "mentor stage": (Option("stage", "early, mid, senior, or years in practice",
                            required=True),),
    "admin audit": (
        Option("count", "how many entries", kind="integer"),
        Option("action", "only actions starting with this, e.g. role."),
    ),
}


def _describe(text: str) -> str:
    text = re.sub(r"[`*_]", "", text).strip() or "…"
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _options_for(phrase: str, usage: str) -> tuple[Option, ...]:
    if phrase in CURATED:
        options = CURATED[phrase]
    else:
        tail = usage.split()[len(phrase.split()):]
        if not tail:
            options = ()
        elif len(tail) == 1 and tail[0].strip("[]").startswith("@"):  # "pair avoid @someone"
            options = (MEMBER._replace_required(not tail[0].startswith("[")),)
        else:
            required = not tail[0].startswith("[")
            hint = " ".join(tail)
            options = (Option("text", _describe(hint), required=required),)
    if phrase.split()[0] not in NO_GROUP:
        options = (*options, GROUP)
    return options


def build_map(specs: Iterable[Any]) -> list[Leaf | Branch]:
    """Top-level children of `/peer` from the router's CommandSpecs (path, summary, usage).

    Order follows the specs; names longer than 32 characters are cut; children beyond
    Discord's 25 are left out (the ``run`` escape hatch still reaches them).
    """
    by_first: dict[str, list[Any]] = {}
    for spec in specs:
        if spec.path:
            by_first.setdefault(spec.path[0], []).append(spec)
    children: list[Leaf | Branch] = []
    for first, group in by_first.items():
        nested = any(len(s.path) > 1 for s in group)
        if not nested:
            spec = group[0]
            children.append(
                Leaf(first[:32], spec.phrase, _describe(spec.summary),
                     _options_for(spec.phrase, spec.usage))
            )
            continue
        branch = Branch(first[:32], _describe(f"{first} commands"))
        for spec in group:
            name = "-".join(spec.path[1:]) or BARE_NAMES.get(first, DEFAULT_BARE)
            if any(leaf.name == name[:32] for leaf in branch.leaves):
                continue
            branch.leaves.append(
                Leaf(name[:32], spec.phrase, _describe(spec.summary),
                     _options_for(spec.phrase, spec.usage))
            )
        branch.leaves = branch.leaves[:MAX_CHILDREN]
        children.append(branch)
    if RUN.name in by_first:
        return children[:MAX_CHILDREN]
    return [*children[: MAX_CHILDREN - 1], RUN]


# `/peer run command:<words>`: the whole grammar as text, for phrases copied from help.
RUN = Leaf(
    "run",
    "",
    "type any /peer command as text, e.g. profile tz Europe/London",
    (Option("command", "the words after /peer", required=True),),
)


@dataclass(frozen=True)
class StaffShape:
    """A facilitator or admin command as `/peer-admin` names it: its path without the
    leading ``admin`` (`/peer-admin role`), its phrase the core's own (``admin role``)."""

    path: tuple[str, ...]
    phrase: str
    summary: str
    usage: str
    form: Any = None


def is_staff(spec: Any) -> bool:
    """Commands for facilitators and admins: they live under `/peer-admin` on Discord."""
    return int(getattr(spec, "role", 0)) > 0


def member_specs(specs: Iterable[Any]) -> list[Any]:
    return [s for s in specs if not is_staff(s)]


def staff_specs(specs: Iterable[Any]) -> list[StaffShape]:
    """The staff commands, named for `/peer-admin` (``admin checkins now`` -> ``checkins
    now``); a bare ``admin ...`` phrase that would be empty keeps its words."""
    shaped = []
    for spec in specs:
        if not is_staff(spec):
            continue
        path = tuple(spec.path)
        if path[:1] == ("admin",) and len(path) > 1:
            path = path[1:]
        shaped.append(StaffShape(path, spec.phrase, spec.summary, spec.usage,
                                 getattr(spec, "form", None)))
    return shaped


def build_staff_map(specs: Iterable[Any]) -> list[Leaf | Branch]:
    """`/peer-admin`'s children: the staff commands, no ``run`` escape hatch."""
    return [c for c in build_map(staff_specs(specs)) if c is not RUN]


def _word(value: str) -> str:
    """Quote a value with spaces or quotes so the core's tokenizer keeps it one word."""
    return shlex.quote(value) if re.search(r"\s|['\"]", value) else value


def option_text(option: Option, value: Any) -> str:
    """One option value as the core's text (a user becomes ``<@ID>``)."""
    if option.kind == "user":
        written = f"<@{getattr(value, 'id', value)}>"
    elif option.name == "group":
        return _word(f"group:{str(value).strip()}")  # lifted out by the core wherever it is
    elif option.keyed:
        return _word(f"{option.name}:{str(value).strip()}")
    else:
        # Verbatim: option values are the grammar's trailing words ("until 2026-12-28",
        # "every mon,thu at 09:00"), and handlers join what follows the phrase.
        written = str(value).strip()
    return f"{option.name} {written}" if option.keyword else written


def invocation_text(leaf: Leaf, values: Mapping[str, Any]) -> str:
    """The core's text for a subcommand call: the phrase, then options in declared order."""
    words = [leaf.phrase] if leaf.phrase else []
    for option in leaf.options:
        value = values.get(option.name)
        if value is None or value == "":
            continue
        words.append(option_text(option, value))
    return " ".join(w for w in words if w)


def crisis_text(country: str | None) -> str:
    """Text for the top-level `/crisis` command (the core adds the word ``crisis``)."""
    return _word(country.strip()) if country else ""


def spell_both(members: list[Leaf | Branch], staff: list[Leaf | Branch], admin_command: str,
               text: str) -> str:
    """:func:`spell` over both trees, the longer match winning: a staff phrase comes back
    as the whole command (``/peer-admin role member:@x``), which the core's ``slash``
    shows as it is; a member phrase as :func:`spell` spells it."""
    if " | " in text:
        return " | ".join(spell_both(members, staff, admin_command, p) for p in text.split(" | "))
    words = text.split()
    if _best(staff, words) is not None and (
            _best(members, words) is None
            or _best(staff, words)[0] > _best(members, words)[0]):  # type: ignore[index]
        return f"/{admin_command} {spell(staff, text)}"
    return spell(members, text)


def _best(children: list[Leaf | Branch], words: list[str]) -> tuple[int, str, Leaf] | None:
    """The longest phrase that ``words`` start with: (its length, Discord name, leaf)."""
    best: tuple[int, str, Leaf] | None = None
    for child in children:
        pairs = ([(f"{child.name} {leaf.name}", leaf) for leaf in child.leaves]
                 if isinstance(child, Branch) else [(child.name, child)])
        for name, leaf in pairs:
            n = len(leaf.phrase.split())
            matches = leaf.phrase and [w.lower() for w in words[:n]] == leaf.phrase.split()
            if matches and (best is None or n > best[0]):
                best = (n, name, leaf)
    return best


def spell(children: list[Leaf | Branch], text: str) -> str:
    """How to type a core command on Discord: ``checkin pause 2w`` -> ``checkin pause span:2w``.

    For help texts and hints written in the core's grammar. Words after the phrase fill
    the options in order: a member, a choice or a number takes one word, the last text
    option takes the rest. Text that matches no phrase is returned unchanged; usage
    alternatives (``a | b``) are spelled one by one.
    """
    if " | " in text:
        return " | ".join(spell(children, part) for part in text.split(" | "))
    words = text.split()
    best = _best(children, words)
    if best is None:
        return text
    n, name, leaf = best
    rest = words[n:]
    parts = [name]
    options = [o for o in leaf.options if o.name != "group"]
    for i, option in enumerate(options):
        if not rest:
            break
        last_text = option.kind == "text" and all(o.kind != "text" for o in options[i + 1:])
        value, rest = (" ".join(rest), []) if last_text else (rest[0], rest[1:])
        if option.keyed:  # "[tz:<zone>]" is the tz option's "[<zone>]"
            value = re.sub(rf"^(\[?){re.escape(option.name)}:", r"\1", value)
        parts.append(f"{option.name}:{value}")
    return " ".join(parts + rest)
