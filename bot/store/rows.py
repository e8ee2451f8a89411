"""Rows into dataclasses by column name, never by position.

``SELECT {columns(Member)} FROM members ...`` names exactly the dataclass's fields, and
:func:`fetch_all` / :func:`fetch_one` build each object from the cursor's column names,
so adding a column or a field can never shift every value one place along. A field
whose stored form differs from its Python type declares a converter in its metadata::

    role: Role = field(metadata=convert(Role))
    opened_at: datetime = field(metadata=convert(datetime.fromisoformat))

Columns a query returns that the dataclass has no field for are an error, as are
fields it lacks: both mean the SQL and the dataclass have drifted apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import sqlite_utils

T = TypeVar("T")
CONVERT = "peerbot.convert"


def convert(fn: Callable[[Any], Any]) -> dict[str, Any]:
    """Field metadata: apply ``fn`` to the stored value (never to NULL)."""
    return {CONVERT: fn}


def columns(cls: type, *, prefix: str = "") -> str:
    """The dataclass's fields as a SELECT list, e.g. ``m.user_id, m.role`` with prefix ``m.``."""
    return ", ".join(f"{prefix}{f.name}" for f in dataclasses.fields(cls))


def build(cls: type[T], row: Mapping[str, Any]) -> T:
    """One dataclass from a mapping of column name to stored value."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    extra = set(row) - set(fields)
    missing = {n for n, f in fields.items() if n not in row and _required(f)}
    if extra or missing:
        raise KeyError(f"{cls.__name__}: columns {sorted(extra)} have no field, "
                       f"fields {sorted(missing)} have no column")
    values = {}
    for name, value in row.items():
        fn = fields[name].metadata.get(CONVERT)
        values[name] = fn(value) if fn is not None and value is not None else value
    return cls(**values)


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def fetch_all(db: sqlite_utils.Database, cls: type[T], sql: str,
              params: Sequence[Any] | Mapping[str, Any] = ()) -> list[T]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [build(cls, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def fetch_one(db: sqlite_utils.Database, cls: type[T], sql: str,
              params: Sequence[Any] | Mapping[str, Any] = ()) -> T | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return build(cls, dict(zip([d[0] for d in cursor.description], row, strict=True)))


def fetch_dicts(db: sqlite_utils.Database, sql: str,
                params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name (for exports, where the keys are the schema)."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
