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
import functools
import operator
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
    names = tuple(row)
    return _builder(cls, names)(tuple(row[n] for n in names))


@functools.cache
def _fields(cls: type) -> tuple[dict[str, dataclasses.Field], frozenset[str]]:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    required = frozenset(n for n, f in fields.items() if _required(f))
    return fields, required


@functools.cache
def _builder(cls: type[T], names: tuple[str, ...]) -> Callable[[Sequence[Any]], T]:
    """How to build ``cls`` from rows with these column names, checked once per shape.

    Checking the columns against the fields and looking up converters once, rather than
    per row, keeps a 5,000-row read as cheap as building by position was.
    """
    fields, required = _fields(cls)
    extra, missing = set(names) - set(fields), required - set(names)
    if extra or missing:
        raise KeyError(f"{cls.__name__}: columns {sorted(extra)} have no field, "
                       f"fields {sorted(missing)} have no column")
    if set(names) == set(fields):  # every field selected: pass them in field order
        slots = tuple((names.index(n), fields[n].metadata.get(CONVERT)) for n in fields)
        if not any(fn for _, fn in slots):
            if names == tuple(fields):  # SELECT {columns(cls)}: already in field order
                return lambda row: cls(*row)
            pick = operator.itemgetter(*(i for i, _ in slots))
            return lambda row: cls(*pick(row))
        return lambda row: cls(*[fn(row[i]) if fn is not None and row[i] is not None else row[i]
                                 for i, fn in slots])
    converters = tuple(fields[n].metadata.get(CONVERT) for n in names)

    def make(row: Sequence[Any]) -> T:
        return cls(**{name: fn(value) if fn is not None and value is not None else value
                      for name, fn, value in zip(names, converters, row, strict=True)})

    return make


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def fetch_all(db: sqlite_utils.Database, cls: type[T], sql: str,
              params: Sequence[Any] | Mapping[str, Any] = ()) -> list[T]:
    cursor = db.execute(sql, params)
    make = _builder(cls, tuple(d[0] for d in cursor.description))
    return [make(row) for row in cursor.fetchall()]


def fetch_one(db: sqlite_utils.Database, cls: type[T], sql: str,
              params: Sequence[Any] | Mapping[str, Any] = ()) -> T | None:
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return _builder(cls, tuple(d[0] for d in cursor.description))(row)


def fetch_dicts(db: sqlite_utils.Database, sql: str,
                params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name (for exports, where the keys are the schema)."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
