"""docs/crisis.md carries the generated coverage and weak-source tables, up to date."""

from __future__ import annotations

from bot.crisis.directory import load_bundled, weak_entries
from bot.crisis.report import BEGIN, END, generated
from tests.support.paths import REPO

DOC = (REPO / "docs" / "crisis.md").read_text(encoding="utf-8")


def test_docs_hold_exactly_the_generated_tables():
    start, end = DOC.index(BEGIN), DOC.index(END) + len(END)
    assert DOC[start:end] == generated(load_bundled()), (
        "docs/crisis.md is out of date: run `python -m bot.crisis.report` and paste the "
        "output between the markers"
    )


def test_every_weak_entry_is_listed_with_date_source_and_reason():
    directory = load_bundled()
    assert weak_entries(directory)
    for entry in weak_entries(directory):
        row = next(line for line in DOC.splitlines() if f"`{entry.id}`" in line)
        assert entry.verified.isoformat() in row and entry.source_url in row
        assert entry.weak_reason in row.replace("\\|", "|")


def test_every_country_has_a_coverage_row():
    for code in load_bundled().countries:
        assert f"({code}) |" in DOC
