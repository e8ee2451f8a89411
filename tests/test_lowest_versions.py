"""The dependency floors in pyproject.toml are true: the matching tests pass on them.

A fresh virtual environment gets every direct runtime dependency at the lowest version
pyproject allows (``name>=X`` becomes ``name==X``; the test tools at any version), and
runs ``tests/pairing/matching`` there. numpy is the reason: the k-nearest graphs call
``numpy.bitwise_count``, new in NumPy 2.0, so a ``numpy>=1.26`` floor let large rounds
crash. This runs inside CI's one test command (about a minute: pip installs from the
index, then the matching tests run). ``PEERBOT_SKIP_LOWEST=1`` skips it during local
work on other files; CI never sets it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest

from tests.support.paths import REPO

FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)")


def lowest_pins() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = FLOOR.match(requirement)
        assert found, f"{requirement!r} has no floor: say the lowest version that works"
        pins.append(f"{found[1]}=={found[2]}")
    return pins


def test_every_runtime_dependency_has_a_floor_and_numpy_2_is_required():
    pins = lowest_pins()
    assert "numpy==2.0" in pins  # numpy.bitwise_count


@pytest.mark.skipif(os.environ.get("PEERBOT_SKIP_LOWEST") == "1", reason="asked to skip")
def test_matching_tests_pass_at_the_lowest_allowed_versions(tmp_path):
    venv = tmp_path / "lowest"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", *lowest_pins(), "pytest", "pytest-asyncio",
         "hypothesis", "networkx", "phonenumbers"],
        capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    shown = subprocess.run([python, "-c", "import numpy, rustworkx; print(numpy.__version__,"
                            " rustworkx.__version__)"], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["2.0.0", "0.15.0"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERBOT_SKIP_LOWEST": "1"}
    run = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/pairing/matching"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
