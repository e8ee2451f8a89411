"""Golden files: what a platform is sent, kept as files under ``tests/goldens/``.

``assert_golden(name, value)`` compares a render (JSON for Block Kit and Discord
payloads, text for the console) with its file. Run with ``PEERBOT_UPDATE_GOLDENS=1`` to
write the files after a deliberate change, then read the diff before committing.
"""

from __future__ import annotations

import json
import os
from typing import Any

from tests.support.paths import TESTS

GOLDENS = TESTS / "goldens"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value if value.endswith("\n") else value + "\n"
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def assert_golden(name: str, value: Any) -> None:
    path = GOLDENS / name
    got = _text(value)
    if os.environ.get("PEERBOT_UPDATE_GOLDENS") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with PEERBOT_UPDATE_GOLDENS=1"
    assert got == path.read_text(encoding="utf-8"), f"{path.name} differs from the render"
