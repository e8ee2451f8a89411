"""Configuration: TOML file -> validated, frozen settings; secrets from the environment.

pydantic does the validation (types, unknown keys, ranges) because a hand-written
validator for nested tables drifts from the documentation; :func:`load_config` turns
pydantic's error list into the single sentence an operator needs: the key, the value,
and what was expected. Secrets never appear in the file: see :class:`Secrets`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from bot.core.config_describe import describe_error
from bot.core.config_env import CONFIG_PATH_VARIABLE, EnvError, env_overrides, merge
from bot.core.config_sessions import SessionSettings
from bot.core.config_web import WebSettings
from bot.core.countries import hint_text, parse_country
from bot.core.errors import ScheduleError
from bot.core.schedules import check_schedule
from bot.core.timeparse import canonical_hhmm, is_timezone, parse_days

DEFAULT_PATH = Path("peerbot.toml")


class ConfigError(Exception):
    """A configuration problem, phrased for the operator; the CLI exits with status 2."""


def _check_timezone(value: str) -> str:
    if not is_timezone(value):
        raise ValueError("an IANA time zone such as 'Europe/London'")
    return value


def _check_hhmm(value: str) -> str:
    """Any time people type (``9:00``, ``9am``) is stored in its canonical ``HH:MM``."""
    try:
        return canonical_hhmm(value)
    except ScheduleError:
        raise ValueError("a 24-hour time HH:MM such as '09:00'") from None


def _check_weekdays(value: list[str]) -> list[str]:
    """Days as in the chat commands: ``["mon", "thu"]``, ``["mon-fri"]``, ``["weekdays"]``."""
    try:
        return list(parse_days(" ".join(value)))
    except ScheduleError:
        raise ValueError("a non-empty list of days such as ['mon', 'thu'] or ['mon-fri']") from None


def _check_country(value: str) -> str:
    """An ISO 3166 alpha-2 code (``EN`` is refused with "did you mean GB?")."""
    country = parse_country(value) if re.fullmatch(r"[A-Za-z]{2}", value) else None
    if country is None:
        raise ValueError("an ISO 3166 two-letter country code such as 'GB' or 'US'"
                         + hint_text(value).replace(" Did", "; did"))
    return country.code


TimeZone = Annotated[str, AfterValidator(_check_timezone)]
HHMM = Annotated[str, AfterValidator(_check_hhmm)]
Weekdays = Annotated[list[str], AfterValidator(_check_weekdays)]
Country = Annotated[str, AfterValidator(_check_country)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class BotSettings(_Section):
    platform: Literal["auto", "console", "slack", "discord"] = "auto"
    database: str = "peerbot.sqlite"
    command_name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] = "peer"
    crisis_command: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$")] = "crisis"
    default_timezone: TimeZone = "UTC"
    default_country: Country = "US"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    admins: list[str] = []
    busy_reply_after_seconds: Annotated[float, Field(gt=0, le=120)] = 20.0
    shutdown_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0


class CheckinSettings(_Section):
    enabled: bool = True
    days: Weekdays = ["mon", "thu"]
    time: HHMM = "09:00"
    window_hours: Annotated[int, Field(ge=1, le=72)] = 12
    reminder_after_hours: Annotated[int, Field(ge=0, le=48)] = 4
    free_text: bool = False
    question_set: str = "default"
    # Unanswered prompts in a row before slowing down (bot/checkins/quiet.py); 0 = never.
    slow_after_unanswered: Annotated[int, Field(ge=0, le=52)] = 4


class PairingSettings(_Section):
    schedule: Annotated[str, AfterValidator(check_schedule)] = ""
    recent_rounds: Annotated[int, Field(ge=0, le=52)] = 6
    specialty_preference: Literal["same", "mixed", "none"] = "none"
    heads_up_hours: Annotated[int, Field(ge=0, le=168)] = 24
    follow_up_days: Annotated[int, Field(ge=1, le=30)] = 4
    timezone: Annotated[str, AfterValidator(lambda v: _check_timezone(v) if v else v)] = ""
    now_timeout_minutes: Annotated[int, Field(ge=5, le=240)] = 30


class AgreementSettings(_Section):  # [groups.agreement]; the file is checked at start-up
    file: str = ""
    reagree_days: Annotated[int, Field(ge=1, le=90)] = 14


class ResourceSettings(_Section):
    digest: Annotated[str, AfterValidator(check_schedule)] = "every week on mon at 09:00"
    timezone: Annotated[str, AfterValidator(lambda v: _check_timezone(v) if v else v)] = ""


class MentoringSettings(_Section):
    term_days: Annotated[int, Field(ge=14, le=365)] = 91
    match: Annotated[str, AfterValidator(check_schedule)] = ""  # e.g. every 4 weeks on mon


class GroupSettings(_Section):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    channel: str = ""
    country: Annotated[str, AfterValidator(lambda v: _check_country(v) if v else v)] = ""
    facilitators: list[str] = []
    checkins: CheckinSettings = CheckinSettings()
    pairing: PairingSettings = PairingSettings()
    agreement: AgreementSettings = AgreementSettings()
    resources: ResourceSettings = ResourceSettings()
    mentoring: MentoringSettings = MentoringSettings()
    sessions: SessionSettings = SessionSettings()  # bot/core/config_sessions.py


class PulseSettings(_Section):
    min_group_size: Annotated[int, Field(ge=3, le=1000)] = 5
    low_score_threshold: Annotated[int, Field(ge=1, le=5)] = 4


class QuestionOption(_Section):
    label: Annotated[str, Field(min_length=1, max_length=75)]
    value: Annotated[int, Field(ge=0, le=100)]


class Question(_Section):
    """A check-in question; ``concerning`` (required: no guess is safe) is the end that
    means someone struggles, read by the warm reply, the buddy trigger and the legend;
    ``concerning_from`` is its first value (default bot.checkins.questions)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")]
    text: Annotated[str, Field(min_length=1, max_length=300)]
    options: Annotated[list[QuestionOption], Field(min_length=2, max_length=10)]
    concerning: Literal["low", "high", "neither"]
    concerning_from: int | None = None

    @model_validator(mode="after")
    def _check_concerning(self) -> Question:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError("each option of a question needs its own value")
        if self.concerning_from is None:
            return self
        if self.concerning == "neither":
            raise ValueError("concerning_from needs concerning = 'low' or 'high'")
        if self.concerning_from not in values:
            raise ValueError(f"concerning_from must be one of the option values {sorted(values)}")
        return self


class QuestionSet(_Section):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,30}$")]
    questions: Annotated[list[Question], Field(min_length=1, max_length=5)]


class CrisisEntry(_Section):
    model_config = ConfigDict(extra="allow", frozen=True, strict=False)
    country: str


class CrisisSettings(_Section):
    max_age_days: Annotated[int, Field(ge=1, le=3650)] = 365
    extra: list[CrisisEntry] = []


class PrivacySettings(_Section):
    retention_months: Annotated[int, Field(ge=1, le=120)] = 12


class DeliverySettings(_Section):
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 8
    concurrency: Annotated[int, Field(ge=1, le=64)] = 4


class SlackSettings(_Section):
    mode: Literal["socket", "http"] = "socket"
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 3000
    api_base_url: Annotated[str, Field(pattern=r"^https?://")] = "https://slack.com/api/"
    facilitator_user_ids: list[str] = []
    facilitator_usergroup: str = ""
    team_ids: list[str] = []


class LimitSettings(_Section):
    """Flood control: each person's burst of commands and clicks, then the steady rate."""

    command_burst: Annotated[int, Field(ge=1, le=1000)] = 10
    command_rate: Annotated[float, Field(gt=0, le=100)] = 1.0


class DiscordSettings(_Section):
    guild_ids: list[int] = []
    facilitator_role_id: int = 0
    intro_channel_id: int = 0
    application_id: int = 0


class MonitoringSettings(_Section):
    """``/healthz``, ``/readyz`` and ``/metrics`` (bot.monitoring)."""

    enabled: Literal["auto", "on", "off"] = "auto"
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 9464
    outbox_stuck_minutes: Annotated[int, Field(ge=1, le=1440)] = 15

    def enabled_for(self, platform: str) -> bool:
        """``auto``: on for Slack and Discord, off for the console."""
        return self.enabled == "on" or (self.enabled == "auto" and platform != "console")


class LoggingSettings(_Section):
    """How log lines look; what they may contain is bot.core.logsafe's business."""

    format: Literal["text", "json"] = "text"


class ConsoleSettings(_Section):
    workspace: str = "console"
    start: str = "now"
    demo: bool = True
    save_files: str = ""  # a folder where files sent with messages are saved; "" = don't


class Settings(_Section):
    """The whole configuration; every key is documented in config.example.toml."""

    bot: BotSettings = BotSettings()
    pulse: PulseSettings = PulseSettings()
    question_sets: list[QuestionSet] = []
    groups: list[GroupSettings] = []
    crisis: CrisisSettings = CrisisSettings()
    privacy: PrivacySettings = PrivacySettings()
    delivery: DeliverySettings = DeliverySettings()
    limits: LimitSettings = LimitSettings()
    slack: SlackSettings = SlackSettings()
    discord: DiscordSettings = DiscordSettings()
    console: ConsoleSettings = ConsoleSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    logging: LoggingSettings = LoggingSettings()
    web: WebSettings = WebSettings()  # the dashboard (bot/core/config_web.py)

    def group(self, name: str) -> GroupSettings:
        """The ``[[groups]]`` entry of this name (any case), else a group with defaults.

        A group may exist in the database without being in the file (one created in
        chat, or one removed from the config): it then follows the defaults.
        """
        wanted = name.lower()  # (the default is built only when no entry matches)
        found = next((g for g in self.groups if g.name.lower() == wanted), None)
        return found if found is not None else GroupSettings(name=name)


class Secrets(BaseModel):
    """Tokens, read only from the environment; ``repr`` never shows their values."""

    model_config = ConfigDict(frozen=True)

    slack_bot_token: str = Field(default="", repr=False)
    slack_signing_secret: str = Field(default="", repr=False)
    slack_app_token: str = Field(default="", repr=False)
    discord_token: str = Field(default="", repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Secrets:
        env = dict(os.environ) if env is None else env
        return cls(
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            discord_token=env.get("DISCORD_TOKEN", ""),
        )

    def values(self) -> list[str]:
        """Every non-empty secret, so log filters and tests can look for leaks."""
        return [v for v in self.model_dump().values() if v]


def parse_config(data: dict[str, Any], *, env_names: dict[str, str] | None = None) -> Settings:
    """Validate a parsed TOML document; raise ConfigError naming the first bad key.

    ``env_names`` maps the dotted keys that came from ``PEERBOT_`` variables to their
    names: those values are strings, so they are validated in pydantic's lax mode
    (``"3000"`` is a port, ``"false"`` a bool); the file itself stays strict.
    """
    try:
        settings = Settings.model_validate(data, strict=False if env_names else None)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = describe_error(errors[0], env_names)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ConfigError(f"config error: {first}{more}") from None
    names = [g.name for g in settings.groups]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(
            f"config error: 'groups.name' = {dupes[0]!r}: expected unique group names"
        )
    sets = {qs.name for qs in settings.question_sets} | {"default"}
    for i, group in enumerate(settings.groups):
        if group.checkins.question_set not in sets:
            raise ConfigError(
                f"config error: 'groups[{i}].checkins.question_set' = "
                f"{group.checkins.question_set!r}: expected one of {sorted(sets)}"
            )
    return settings


def load_config(path: Path | None,
                env: Mapping[str, str] | None = None) -> tuple[Settings, Path | None]:
    """Read the config file (or built-in defaults when the default path is absent), then
    lay the ``PEERBOT_<SECTION>__<KEY>`` environment overrides over it.

    An explicitly named file that does not exist is an error: a typo in ``--config``
    should never silently run with defaults. ``PEERBOT_CONFIG`` names the file when
    ``--config`` is not given.
    """
    env = dict(os.environ) if env is None else env
    explicit = path is not None or bool(env.get(CONFIG_PATH_VARIABLE))
    path = path or Path(env.get(CONFIG_PATH_VARIABLE) or DEFAULT_PATH)
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config error: {path} is not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config error: cannot read {path}: {exc}") from None
    elif explicit:
        raise ConfigError(f"config error: file not found: {path}")
    settings = parse_config(data)  # the file alone, strictly: its errors name its keys
    try:
        overrides, names = env_overrides(Settings, env)
    except EnvError as exc:
        raise ConfigError(str(exc)) from None
    if overrides:
        settings = parse_config(merge(data, overrides), env_names=names)
    return settings, path if path.exists() else None
