"""Environment overrides for every config key: ``PEERBOT_<SECTION>__<KEY>``.

A container is configured by its environment, not by a file baked into the image, so
every key of ``peerbot.toml`` can be set as ``PEERBOT_SLACK__MODE=socket``,
``PEERBOT_BOT__DATABASE=/data/peerbot.sqlite``; lists and tables are JSON
(``PEERBOT_BOT__ADMINS='["fran"]'``, ``PEERBOT_GROUPS='[{"name": "Circle"}]'``).

pydantic-settings reads and decodes the variables (nested delimiter, JSON for complex
fields) so the naming follows a documented convention rather than a home-made one. On
top of it this module refuses a ``PEERBOT_`` variable that names no key: a typo in a
unit file must stop the start, not be silently ignored. The values are then validated
by the same model as the file (:func:`bot.core.config.parse_config`), with the
environment variable's name in the error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_settings import EnvSettingsSource
from pydantic_settings.exceptions import SettingsError

PREFIX = "PEERBOT_"
DELIMITER = "__"
# Not config keys: the path of the config file itself.
CONFIG_PATH_VARIABLE = "PEERBOT_CONFIG"


class EnvError(ValueError):
    """A ``PEERBOT_`` variable that names no key, or whose JSON does not parse."""


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def key_path(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """``PEERBOT_SLACK__PORT`` -> ``("slack", "port")``; EnvError when no such key.

    Sections descend into tables; a list of tables (``groups``) is set whole, as JSON.
    """
    parts = name[len(PREFIX):].lower().split(DELIMITER)
    current: type[BaseModel] | None = model
    path: list[str] = []
    for part in parts:
        if current is None or part not in current.model_fields:
            raise EnvError(
                f"config error: environment variable {name} names no config key "
                "(check its spelling; every key is in config.example.toml, written "
                "PEERBOT_<SECTION>__<KEY>)"
            )
        path.append(part)
        current = _model_of(current.model_fields[part].annotation)
    return tuple(path)


def variable_name(path: tuple[str, ...]) -> str:
    return PREFIX + DELIMITER.join(p.upper() for p in path)


class _MappingSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading a given mapping (tests pass one;
    the CLI passes ``os.environ``) instead of the process environment."""

    def __init__(self, model: type[BaseModel], env: Mapping[str, str]) -> None:
        self._mapping = {k.lower(): v for k, v in env.items()}
        super().__init__(model, case_sensitive=False, env_prefix=PREFIX,  # type: ignore[arg-type]
                         env_nested_delimiter=DELIMITER)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return self._mapping


def env_overrides(model: type[BaseModel], env: Mapping[str, str]) -> tuple[dict[str, Any],
                                                                            dict[str, str]]:
    """The overrides in ``env`` as a nested dict, and dotted key -> variable name.

    Raises EnvError for an unknown ``PEERBOT_`` variable or malformed JSON.
    """
    names: dict[str, str] = {}
    ours = {}
    for name, value in env.items():
        upper = name.upper()
        if not upper.startswith(PREFIX) or upper == CONFIG_PATH_VARIABLE:
            continue
        path = key_path(model, upper)
        names[".".join(path)] = upper
        ours[upper] = value
        annotation = _annotation(model, path)
        if _is_complex(annotation):
            try:
                json.loads(value)
            except ValueError:
                raise EnvError(
                    f"config error: environment variable {upper} = {value!r}: expected JSON "
                    "such as [\"a\", \"b\"] for a list"
                ) from None
    if not ours:
        return {}, {}
    try:
        data = _MappingSource(model, ours)()
    except SettingsError as exc:  # pragma: no cover - JSON is checked above
        raise EnvError(f"config error: {exc}") from None
    return data, names


def _annotation(model: type[BaseModel], path: tuple[str, ...]) -> Any:
    current: Any = model
    annotation: Any = None
    for part in path:
        annotation = current.model_fields[part].annotation
        current = _model_of(annotation)
    return annotation


def _is_complex(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, dict, tuple, set):
        return True
    if origin is not None and any(_is_complex(a) for a in get_args(annotation)):
        return True
    return _model_of(annotation) is not None


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The file's tables with the environment's keys laid over them, key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
