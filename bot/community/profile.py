"""`/peer profile`: the few facts peerbot needs to time and tailor things for you."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import available_timezones

from bot.core.countries import require_country
from bot.core.errors import FieldError, UsageError, UserError
from bot.core.model import FORM_BUTTON, Fields, Form, FormField, Header, Reply, Section, reply
from bot.core.router import Request, Router
from bot.core.timeparse import is_timezone


class ProfileField(StrEnum):
    """A field a member may set; the value is its column in ``members``."""

    TIMEZONE = "timezone"
    COUNTRY = "country"
    SPECIALTY = "specialty"

    @property
    def label(self) -> str:
        match self:
            case ProfileField.TIMEZONE:
                return "Time zone"
            case ProfileField.COUNTRY:
                return "Country"
            case ProfileField.SPECIALTY:
                return "Specialty"

    def parse(self, value: str) -> str | None:
        """The value as stored, or a UserError that says what would work."""
        match self:
            case ProfileField.TIMEZONE:
                return _timezone(value)
            case ProfileField.COUNTRY:
                return _country(value)
            case ProfileField.SPECIALTY:
                return _specialty(value)


# What people type for each field.
FIELD_WORDS = {
    "tz": ProfileField.TIMEZONE,
    "timezone": ProfileField.TIMEZONE,
    "time-zone": ProfileField.TIMEZONE,
    "country": ProfileField.COUNTRY,
    "specialty": ProfileField.SPECIALTY,
    "speciality": ProfileField.SPECIALTY,
}
MAX_SPECIALTY = 40


def _timezone(value: str) -> str:
    """A zone name as stored (``Europe/London``); unknown names get up to three guesses."""
    if is_timezone(value):
        return value
    lowered = value.lower()
    matches = sorted(z for z in available_timezones() if lowered in z.lower())[:3]
    hint = f" Did you mean {', '.join(matches)}?" if matches else ""
    raise UserError(
        f"“{value[:40]}” is not a time zone I know. Use a name like Europe/London or "
        f"America/New_York.{hint} Nothing was changed."
    )


def _country(value: str) -> str:
    """An ISO 3166 country (code, name or UK) as its code; ``EN`` -> "did you mean GB?"."""
    return require_country(value).code


def _specialty(value: str) -> str | None:
    if value.lower() in ("none", "-", "clear"):
        return None
    if len(value) > MAX_SPECIALTY:
        raise UserError(f"Please keep your specialty under {MAX_SPECIALTY} characters.")
    return value


def profile(request: Request) -> Reply:
    if not request.args:
        return _show(request)
    extra = next((e for e in request.router.profile_extras
                  if e.word == request.args[0].lower()), None)
    if extra is not None and len(request.args) >= 2:
        shown = extra.set(request, list(request.args[1:]))
        return reply(Section(f"{extra.label} set to *{shown}*."), *_show(request).message.blocks)
    field = FIELD_WORDS.get(request.args[0].lower())
    if field is None or len(request.args) < 2:
        words = ", ".join(["tz", "country", "specialty",
                           *(e.word for e in request.router.profile_extras)])
        raise UsageError(f"Tell me which field to set: {words}, then the value.")
    value = field.parse(" ".join(request.args[1:]))
    request.ctx.members.update_profile(request.workspace_id, request.user_id,
                                       **{field.value: value})
    return reply(Section(f"{field.label} set to *{value or 'not set'}*."),
                 *_show(request).message.blocks)


def _show(request: Request) -> Reply:
    members = request.ctx.members
    member = members.get(request.workspace_id, request.user_id)
    assert member is not None
    default_tz, default_country = members.workspace_defaults(request.workspace_id)
    groups = ", ".join(g.name for g in members.groups_of(request.workspace_id, request.user_id))
    return reply(
        Header("Your profile"),
        Fields(
            (
                ("Time zone", member.timezone or f"{default_tz} (workspace default)"),
                ("Country", member.country or f"{default_country} (workspace default)"),
                ("Specialty", member.specialty or "not set"),
                ("Groups", groups or "none yet"),
                *((e.label, e.show(request)) for e in request.router.profile_extras),
            )
        ),
        Section(
            f"Change with `{request.ctx.slash('profile tz Europe/London')}`, "
            f"`{request.ctx.slash('profile country GB')}`, "
            f"`{request.ctx.slash('profile specialty trauma')}`"
            + "".join(f" or `{request.ctx.slash('profile ' + e.example)}`"
                      for e in request.router.profile_extras) + "."
        ),
    )


EDIT_PHRASE = "edit-profile"
FORM = Form(
    phrase=EDIT_PHRASE, title="Your profile", submit="Save",
    intro="Leave a field empty to keep it as it is.",
    fields=(
        FormField("tz", "Time zone", hint="a city's zone, e.g. Europe/London", max_length=64),
        FormField("country", "Country", hint="two letters or the name, e.g. GB", max_length=56),
        FormField("specialty", "Specialty", hint="e.g. trauma, child and adolescent",
                  max_length=MAX_SPECIALTY),
    ),
)


FORM_KEYS = {ProfileField.TIMEZONE: "tz", ProfileField.COUNTRY: "country",
             ProfileField.SPECIALTY: "specialty"}


def edit(request: Request) -> Reply:
    """`/peer edit-profile tz:<zone> country:<code> specialty:<text>`: what the profile
    form sends. Every field is checked before anything is stored, so one bad field
    changes nothing."""
    if not request.args:
        return reply(Section(
            f"Type the fields to change: `{request.ctx.slash(EDIT_PHRASE)} tz:Europe/London "
            "country:GB specialty:trauma` (any of them), or "
            f"`{request.ctx.slash('profile tz Europe/London')}`."))
    values: dict[str, str | None] = {}
    for word in request.args:
        key, sep, value = word.partition(":")
        field = FIELD_WORDS.get(key.lower())
        if not sep or field is None or not value.strip():
            raise UsageError(f"I can't read “{word[:40]}”: use tz:, country: or specialty:.")
        try:
            values[field.value] = field.parse(value.strip())
        except UserError as exc:  # shown under the form's field where there is a form
            raise FieldError(str(exc), FORM_KEYS[field]) from None
    request.ctx.members.update_profile(request.workspace_id, request.user_id, **values)
    said = ", ".join(f"{ProfileField(k).label.lower()} *{v or 'not set'}*"
                     for k, v in values.items())
    return reply(Section(f"Saved: {said}."), *_show(request).message.blocks)


def open_form(request: Request) -> Reply:
    """A "form.open|<phrase>" button where the platform opened no form (the console, or
    a form the adapter could not open in time): how to type the command instead."""
    phrase = request.action_args[0] if request.action_args else ""
    spec = next((s for s in request.router.commands() if s.phrase == phrase and s.form), None)
    if spec is None or spec.form is None:
        return reply(Section("That button is no longer valid. Nothing was changed."))
    example = " ".join(f"{f.key}:…" for f in spec.form.fields)
    return reply(Section(f"*{spec.form.title}*: type `{request.ctx.slash(phrase)} {example}`"
                         " with the fields you want to change."))


def register(router: Router) -> None:
    router.command(
        "profile",
        profile,
        summary="see your profile; set your time zone, country or specialty",
        usage="profile [tz <zone> | country <code> | specialty <text> | stage <stage>]",
    )
    router.command(EDIT_PHRASE, edit, summary="change your profile in a form",
                   usage="edit-profile [tz:<zone>] [country:<code>] [specialty:<text>]", form=FORM)
    router.action(FORM_BUTTON, open_form, needs_consent=False)
