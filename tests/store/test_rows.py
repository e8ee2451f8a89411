"""Rows become dataclasses by column name: order never matters, drift is an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.core.model import Role
from bot.store.db import open_database
from bot.store.rows import build, columns, convert, fetch_all, fetch_one


@dataclass(frozen=True)
class Person:
    name: str
    role: Role = field(metadata=convert(Role))
    seen: datetime | None = field(default=None, metadata=convert(datetime.fromisoformat))


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "rows.sqlite", migrate=False)
    db.execute("CREATE TABLE people (name TEXT, role INTEGER, seen TEXT, extra TEXT)")
    db.execute("INSERT INTO people VALUES ('ana', 1, '2026-01-05T08:00:00+00:00', 'x')")
    db.execute("INSERT INTO people VALUES ('kai', 0, NULL, 'y')")
    return db


def test_columns_in_any_order_land_in_the_right_fields(db):
    for sql in ("SELECT name, role, seen FROM people", "SELECT seen, role, name FROM people"):
        ana, kai = fetch_all(db, Person, sql + " ORDER BY name")
        assert ana == Person("ana", Role.FACILITATOR, datetime(2026, 1, 5, 8, tzinfo=UTC))
        assert kai == Person("kai", Role.MEMBER, None)  # NULL is never converted


def test_a_field_with_a_default_may_be_left_out(db):
    assert fetch_one(db, Person, "SELECT role, name FROM people WHERE name = 'kai'") == (
        Person("kai", Role.MEMBER))


def test_the_select_list_names_exactly_the_fields(db):
    assert columns(Person) == "name, role, seen"
    assert columns(Person, prefix="p.") == "p.name, p.role, p.seen"


@pytest.mark.parametrize("sql", ["SELECT name, role, seen, extra FROM people",
                                 "SELECT name, seen FROM people"])
def test_drift_between_the_sql_and_the_dataclass_is_an_error(db, sql):
    with pytest.raises(KeyError, match="Person"):
        fetch_all(db, Person, sql)


def test_one_mapping_builds_the_same_way():
    assert build(Person, {"role": 1, "name": "ana"}) == Person("ana", Role.FACILITATOR)
