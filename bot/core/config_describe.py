"""One sentence per bad config value: the key, the value, and what was expected.

pydantic reports errors as nested locations and library wording; an operator needs
``'groups[0].checkins.time' = '25:00': expected ...``, naming the
environment variable when the value came from one.
"""

from __future__ import annotations

from typing import Any


def key_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1] = f"{parts[-1]}[{item}]" if parts else f"[{item}]"
        elif item in ("function-after", "literal_error") or "[" in str(item):
            continue
        else:
            parts.append(str(item))
    return ".".join(parts)


def describe_error(error: dict[str, Any], env_names: dict[str, str] | None = None) -> str:
    key = key_path(error["loc"])
    kind = error["type"]
    value = error.get("input")
    label = f"'{key}'"
    variable = next((name for path, name in (env_names or {}).items()
                     if key == path or key.startswith((path + ".", path + "["))), None)
    if variable is not None:  # the value came from the environment: name the variable
        label += f" (environment variable {variable})"
    if kind == "extra_forbidden":
        return f"unknown key {label} (check its spelling; every key is in config.example.toml)"
    if kind == "missing":
        return f"missing key {label}"
    msg = error["msg"]
    msg = msg.removeprefix("Value error, ")
    if kind == "value_error":
        expected = msg
    elif kind == "literal_error":
        expected = msg.replace("Input should be", "one of")
    elif kind == "string_pattern_mismatch":
        expected = "a value matching " + msg.split("'", 1)[-1].rstrip("'")
    else:
        expected = msg.replace("Input should be", "").strip() or msg
    return f"{label} = {value!r}: expected {expected}"
