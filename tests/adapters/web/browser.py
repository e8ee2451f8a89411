"""Headless Chromium for the dashboard's browser tests: Debian's own, never a download.

Playwright drives the system browser (``executable_path``); ``playwright install`` is
never run. CI installs ``chromium`` with apt (.ci/run). Without a browser the tests skip
and say why. Screenshots go to ``$PEERBOT_SCREENSHOTS`` when set, else to pytest's
temporary folder (never into the repository).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium_path() -> str | None:
    configured = os.environ.get("PEERBOT_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found (install Debian's: apt-get install chromium; or set "
                    "PEERBOT_CHROMIUM to a Chromium executable). CI installs it in .ci/run.")
    pytest.importorskip("playwright", reason="playwright is in the test extra: "
                                             "pip install -e '.[test]'")
    return path


def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("PEERBOT_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
