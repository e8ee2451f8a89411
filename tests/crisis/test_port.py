"""The crisis service is what ``ctx.crisis`` promises (the CrisisCards port), and the
crisis commands use nothing else: no logger, no store, no audit log.

``ctx.crisis`` is typed as the port, so the two must not drift apart: every port method
exists on CrisisService with a signature a caller of the port can rely on.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from bot.core.ports import CrisisCards
from bot.crisis import commands, service
from bot.crisis.service import CrisisService

PORT_METHODS = sorted(n for n, v in vars(CrisisCards).items()
                      if inspect.isfunction(v) and not n.startswith("_"))


def drift(port: object, impl: object) -> list[str]:
    """Ways ``impl`` cannot stand in for ``port`` (empty when it can)."""
    wanted, offered = inspect.signature(port), inspect.signature(impl)
    problems = []
    for name, param in wanted.parameters.items():
        mine = offered.parameters.get(name)
        if mine is None:
            problems.append(f"no parameter {name}")
        elif (mine.kind, mine.default, mine.annotation) != (param.kind, param.default,
                                                           param.annotation):
            problems.append(f"parameter {name}: {mine} instead of {param}")
    extra = [p for n, p in offered.parameters.items() if n not in wanted.parameters]
    problems += [f"extra required parameter {p.name}" for p in extra
                 if p.default is inspect.Parameter.empty
                 and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if offered.return_annotation != wanted.return_annotation:
        problems.append(f"returns {offered.return_annotation}")
    return problems


def test_the_port_is_the_three_cards_and_resolve():
    assert PORT_METHODS == ["card", "colleague_card", "home_card", "resolve"]


@pytest.mark.parametrize("name", PORT_METHODS)
def test_crisis_service_satisfies_the_port(name):
    assert callable(getattr(CrisisService, name, None)), name
    assert drift(getattr(CrisisCards, name), getattr(CrisisService, name)) == []


def test_the_drift_check_finds_a_drifted_method():
    class Drifted:
        def card(self, country: str, *, command: str = "crisis", extra: int) -> str: ...

    assert drift(CrisisCards.card, Drifted.card) == [
        "parameter country: country: 'str' instead of country: 'str | None'",
        "parameter command: command: 'str' = 'crisis' instead of command: 'str' = 'peer'",
        "no parameter audience",
        "extra required parameter extra",
        "returns str",
    ]


def test_the_commands_call_only_the_port():
    tree = ast.parse(Path(commands.__file__).read_text(encoding="utf-8"))
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
              and isinstance(node.value, ast.Attribute) and node.value.attr == "crisis"}
    assert called and called <= set(PORT_METHODS)


@pytest.mark.parametrize("module", [commands, service], ids=lambda m: m.__name__)
def test_no_logger_no_store_no_audit(module):
    """A crisis request leaves no trace but the counter: nothing here could write one."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    forbidden = ("logging", "sqlite3", "sqlite_utils", "bot.store", "bot.audit",
                 "bot.core.logsafe")
    assert [m for m in imported if m.startswith(forbidden)] == []
