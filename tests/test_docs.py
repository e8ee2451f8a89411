"""The docs stay honest: every command is in the README, every key in config.example.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel

from bot.core.config import Settings, parse_config
from bot.runtime import build_router
from tests.support.paths import REPO

ROOT = REPO


def keys_of(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        sub = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
        if sub and name not in ("extra",):
            keys |= keys_of(sub[0], path + ".")
        else:
            keys.add(path)
    return keys


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.phrase for s in build_router().commands() if f"/peer {s.phrase}" not in readme]
    assert not missing, f"README.md lacks: {missing}"


def test_every_config_key_is_in_the_example():
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    example = text.replace("# ", "")
    missing = []
    for key in sorted(keys_of(Settings)):
        leaf = key.split(".")[-1]
        if f"{leaf} =" not in example and f"[{key}]" not in example and f"[[{key}]]" not in example:
            missing.append(key)
    assert not missing, f"config.example.toml lacks: {missing}"


def test_the_example_config_is_valid():
    parse_config(tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8")))


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in readme


PATH_IN_DOCS = re.compile(
    r"\b((?:bot|adapters|jobs|tests|bench|deploy|docs)/[A-Za-z0-9_./*-]+\.(?:py|toml|yml|md))"
    r"(?:::([A-Za-z_][A-Za-z0-9_]*))?"
)


def doc_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "config.example.toml", ROOT / "tests" / "README.md",
            *sorted((ROOT / "docs").glob("*.md"))]


def test_every_path_and_test_named_in_the_docs_exists():
    """A moved module or a renamed test makes the docs that name it fail here."""
    missing = []
    for doc in doc_files():
        if not doc.exists():
            continue
        for path, test_name in PATH_IN_DOCS.findall(doc.read_text(encoding="utf-8")):
            matches = sorted(ROOT.glob(path))
            if not matches:
                missing.append(f"{doc.name}: {path}")
            elif test_name and not any(f"def {test_name}(" in m.read_text(encoding="utf-8")
                                       for m in matches):
                missing.append(f"{doc.name}: {path}::{test_name}")
    assert missing == []
