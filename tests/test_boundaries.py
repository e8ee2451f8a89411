"""The core and the jobs import no platform SDK and no adapter (runtime.py excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

ROOT = REPO
FORBIDDEN = ("slack_bolt", "slack_sdk", "discord", "adapters", "aiohttp")
# The composition root, the health/metrics HTTP server it starts (aiohttp, no SDK), and
# its wiring of the dashboard's web adapter (bot/web.py; bot/dashboard itself is pure).
ALLOWED = {ROOT / "bot" / "runtime.py", ROOT / "bot" / "cli.py", ROOT / "bot" / "monitoring.py",
           ROOT / "bot" / "web.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


CORE_FILES = sorted(
    p for folder in ("bot", "jobs") for p in (ROOT / folder).rglob("*.py") if p not in ALLOWED
)


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_platform(path):
    bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_check_finds_a_violation(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import slack_sdk\nfrom adapters.console import render\n")
    assert imported_modules(sample) == {"slack_sdk", "adapters.console"}
