"""`/peer resources add`: reading what was typed (or submitted in the form) into a share.

Typed: ``resources add <link> [title words] [#tags] [note:"..."] [as:named|anonymous]
[to:group|workspace]``. The form submits the same command with ``url:``, ``title:``,
``tags:``, ``note:``, ``as:`` and ``to:`` words. Nothing is saved until the member has
said how to share (named or anonymous), because that decides what erasure does.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import UsageError, UserError
from bot.core.model import Form, FormField
from bot.resources.messages import SHARING_RULE
from bot.resources.model import MAX_NOTE, MAX_TAG, MAX_TAGS, MAX_TITLE, TAG
from bot.resources.search import clean_tag
from bot.resources.urls import check_url

KEYS = ("url", "title", "tags", "note", "as", "to")
USAGE = ('resources add <link> [title] [#tags] [note:"a line about it"] as:named|anonymous '
         "[to:group|workspace]")

FORM = Form(
    phrase="resources add",
    title="Share a resource",
    intro="Share a link your peers may find useful. " + SHARING_RULE,
    submit="Share",
    fields=(
        FormField("url", "Link", "https://...", max_length=2000, optional=False),
        FormField("title", "Title", "what it is, in a few words", max_length=MAX_TITLE),
        FormField("tags", "Tags", "e.g. #burnout #sleep", max_length=200),
        FormField("note", "A short note", "why it helped you (optional)",
                  max_length=MAX_NOTE, multiline=True),
        FormField("as", "Share as", "Named: removed if you erase your data. Anonymous: no "
                  "name is kept, and it stays.", max_length=9, optional=False,
                  choices=(("With my name", "named"), ("Anonymously", "anonymous"))),
        FormField("to", "Who can see it", "group or workspace", max_length=9,
                  choices=(("My peer group", "group"), ("The whole workspace", "workspace"))),
    ),
)


@dataclass(frozen=True)
class Share:
    url: str
    title: str
    note: str
    tags: list[str]
    anonymous: bool | None  # None: the member has not said yet
    audience: str  # "group", "workspace" or "" (the default)


def parse_share(args: list[str]) -> Share:
    keyed: dict[str, str] = {}
    loose: list[str] = []
    tags: list[str] = []
    for token in args:
        key, sep, value = token.partition(":")
        if sep and key.lower() in KEYS and not value.startswith("//"):
            keyed[key.lower()] = value.strip()
        elif token.startswith("#"):
            tags.append(token)
        else:
            loose.append(token)
    url = keyed.get("url") or (loose.pop(0) if loose else "")
    if not url:
        raise UsageError("Which link? Put it first: `resources add https://...`.")
    url = check_url(url)
    title = " ".join(keyed.get("title", "").split()) or " ".join(loose)
    tags += keyed.get("tags", "").replace(",", " ").split()
    return Share(url=url, title=_title(title, url), note=_note(keyed.get("note", "")),
                 tags=_tags(tags), anonymous=_anonymous(keyed.get("as")),
                 audience=_audience(keyed.get("to", "")))


def _title(title: str, url: str) -> str:
    if len(title) > MAX_TITLE:
        raise UserError(f"That title is {len(title)} characters; keep it to {MAX_TITLE}. "
                        "Nothing was changed.")
    if title:
        return title
    bare = url.split("://", 1)[1].split("?", 1)[0].rstrip("/")
    return bare if len(bare) <= MAX_TITLE else bare[: MAX_TITLE - 1] + "…"


def _note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise UserError(f"That note is {len(note)} characters; keep it to {MAX_NOTE}. "
                        "Nothing was changed.")
    return note


def _tags(tokens: list[str]) -> list[str]:
    tags: list[str] = []
    for token in tokens:
        tag = clean_tag(token)
        if not tag:
            continue
        if not TAG.match(tag):
            raise UserError(
                f"“#{tag[:MAX_TAG]}” is not a tag I can keep: use letters, digits and "
                f"hyphens, up to {MAX_TAG} characters (e.g. #self-care). Nothing was changed.")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(f"Use at most {MAX_TAGS} tags. Nothing was changed.")
    return tags


def _anonymous(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    word = value.lower()
    if word in ("anonymous", "anonymously", "anon"):
        return True
    if word in ("named", "name", "me", "my-name"):
        return False
    raise UserError(f"Share `as:named` or `as:anonymous` (not “{value[:20]}”). "
                    "Nothing was changed.")


def _audience(value: str) -> str:
    word = value.lower()
    if word in ("", "group", "workspace"):
        return word
    raise UserError(f"Share `to:group` or `to:workspace` (not “{value[:20]}”). "
                    "Nothing was changed.")
