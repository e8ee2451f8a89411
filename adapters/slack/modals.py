"""The profile and conflict-list modals: Slack forms that become ordinary core commands.

A modal is only a friendlier way to type: on submission each filled field turns into
the command a member could have typed (``profile tz Europe/London``, ``pair avoid
<@U123>``) and goes through the core like any other invocation, so validation, consent
and privacy rules live in one place. Values are shell-quoted so a stray word such as
``group:x`` in a specialty cannot change the command's meaning.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from bot.core.model import Button, Buttons, Context, Divider, Form

PROFILE = "peer_profile"
CONFLICTS = "peer_conflicts"
FORM = "peer_form"  # any form the core asks for (bot.core.model.Form)
# Button values owned by the adapter (they open a modal instead of reaching the core).
OPEN_PROFILE = "slack.profile"
OPEN_CONFLICTS = "slack.conflicts"
ADAPTER_VALUES = frozenset({OPEN_PROFILE, OPEN_CONFLICTS})

_PROFILE_FIELDS = (
    ("tz", "Time zone", "e.g. Europe/London or America/New_York", 64),
    ("country", "Country", "two letters, e.g. GB, US, AU", 2),
    ("specialty", "Specialty", "e.g. trauma, child and adolescent, grief", 40),
)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _modal(callback_id: str, title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def profile_modal(slack_timezone: str = "") -> dict[str, Any]:
    """The profile form; ``slack_timezone`` (from users.info) pre-fills the time zone."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Leave a field empty to keep it as it is."}],
        }
    ]
    for key, label, hint, max_length in _PROFILE_FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "max_length": max_length,
            "placeholder": _plain(hint),
        }
        if key == "tz" and slack_timezone and len(slack_timezone) <= max_length:
            element["initial_value"] = slack_timezone
        blocks.append(
            {
                "type": "input",
                "block_id": key,
                "optional": True,
                "label": _plain(label),
                "hint": _plain(f"Slack says your time zone is {slack_timezone}.")
                if key == "tz" and slack_timezone
                else _plain(hint),
                "element": element,
            }
        )
    return _modal(PROFILE, "Your profile", blocks)


def conflicts_modal() -> dict[str, Any]:
    return _modal(
        CONFLICTS,
        "Pairing conflicts",
        [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "People you should never be paired with: a dual relationship, "
                    "the same clinic, a supervisor. *This list is private*: nobody on it "
                    "is ever told.",
                },
            },
            {
                "type": "input",
                "block_id": "avoid",
                "optional": True,
                "label": _plain("Add to your conflict list"),
                "element": {"type": "multi_users_select", "action_id": "users"},
            },
        ],
    )


def _text(values: dict[str, Any], block_id: str, action_id: str) -> str:
    return str(((values.get(block_id) or {}).get(action_id) or {}).get("value") or "").strip()


PROFILE_PHRASE = "edit-profile"  # the core form these fields belong to


def profile_values(values: dict[str, Any]) -> dict[str, str]:
    """view.state.values -> {tz, country, specialty: what was typed}."""
    return {key: _text(values, key, "value") for key, _label, _hint, _max in _PROFILE_FIELDS}


def conflict_commands(values: dict[str, Any]) -> list[str]:
    """view.state.values -> one ``pair avoid <@U>`` command per chosen person."""
    chosen = ((values.get("avoid") or {}).get("users") or {}).get("selected_users") or []
    return [f"pair avoid <@{user}>" for user in chosen if str(user).isalnum()]


def home_extras(crisis_command: str = "crisis") -> tuple[Any, ...]:
    """Blocks the Slack Home tab adds under the core's home.

    The two form buttons, and a pointer to the crisis command; the crisis card itself
    belongs in the core's home sections.
    """
    return (
        Divider(),
        Buttons(
            (Button("Edit profile", OPEN_PROFILE), Button("Pairing conflicts", OPEN_CONFLICTS))
        ),
        Context(
            "Your conflict list is private; nobody on it is ever told. "
            f"Need support now? `/{crisis_command}` shows crisis lines for your country, "
            "only to you."
        ),
    )


def form_modal(form: Form) -> dict[str, Any]:
    """A core :class:`Form` as a modal; ``private_metadata`` keeps what to run on submit."""
    blocks = []
    for f in form.fields:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value",
                                   "multiline": f.multiline,
                                   "max_length": min(f.max_length, 3000)}
        if f.initial:
            element["initial_value"] = f.initial[:3000]
        block: dict[str, Any] = {"type": "input", "block_id": f.name,
                                 "label": _plain(f.label[:2000]), "element": element}
        if f.hint:
            block["hint"] = _plain(f.hint[:2000])
        blocks.append(block)
    view = _modal(FORM, form.title[:24], blocks)
    view["submit"] = _plain(form.submit[:24])
    view["private_metadata"] = json.dumps({"phrase": form.phrase, "group": form.group,
                                           "fields": [f.name for f in form.fields]})
    return view


def form_submission(view: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """A submitted form -> (command text, field values), or None if it is not ours."""
    try:
        meta = json.loads(view.get("private_metadata") or "")
        phrase, group, names = str(meta["phrase"]), str(meta["group"]), list(meta["fields"])
    except (ValueError, KeyError, TypeError):
        return None
    values = view.get("state", {}).get("values", {})
    fields = tuple((str(n), _text(values, str(n), "value")) for n in names)
    text = phrase + (f" group:{shlex.quote(group)}" if group else "")
    return text, fields
