"""The shape of the code, checked on every run (ast only, no new dependency).

docs/architecture.md explains each rule; this file is what keeps them true:
- no import cycle among project modules, counting every import (lazy, function-level
  and type-checking-only imports too: a cycle hidden in a function is still a cycle);
- imports point one way: core and store know no topic, topics know only the topics
  listed below, adapters and jobs know only the core, and only the composition root
  (bot.runtime, bot.cli, bot.doctor) knows everything;
- the matching engine is pure: no database, no clock, no platform;
- every table is written by the module that owns it, and by no other;
- services never commit: only the dispatcher, jobs, delivery and the store do;
- rows become dataclasses by column name, never by position;
- no module over 400 lines; one list of topics, and every topic package is on it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support.paths import REPO

PROJECT = ("bot", "adapters", "jobs")
TOPICS = ("agreements", "audit", "checkins", "community", "consultations", "crisis",
          "dashboard", "mentoring", "pairing", "privacy", "resources", "sessions")
ROOT_MODULES = {"bot", "bot.runtime", "bot.cli", "bot.doctor", "bot.__main__", "bot.demo",
                "bot.monitoring", "bot.web"}
# Which topics a topic may import (one way: this must stay a DAG).
TOPIC_DEPENDENCIES = {
    "audit": set(),
    "crisis": {"audit"},  # only bot.crisis.post: a facilitator's post is audited
    "privacy": {"audit"},
    "pairing": {"audit", "privacy"},
    "checkins": {"audit", "pairing"},
    "community": {"audit", "pairing", "agreements"},  # joining shows the agreement
    "agreements": {"audit"},
    "resources": {"audit"},
    "consultations": {"resources", "privacy"},  # the rate limit's keyed pseudonym
    "mentoring": {"audit", "pairing"},
    # the lead's note goes to the resource library, de-identified like a takeaway;
    # reminders quote the agreement
    "sessions": {"audit", "resources", "consultations", "agreements"},
    "dashboard": {"audit", "checkins", "pairing", "resources", "sessions"},  # reads their figures
}
MAX_LINES = 400

# ---- reading the code -------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {
    module_name(p): p for top in PROJECT for p in sorted((REPO / top).rglob("*.py"))
}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def resolve(name: str) -> str | None:
    """The project module an import refers to (``bot.core.model.Role`` -> bot.core.model)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Project modules this module imports, anywhere in it."""
    found: set[str] = set()
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            target = resolve(name)
            if target is not None and target != module:
                found.add(target)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def area(module: str) -> str:
    """core, store, a topic, root, jobs, or adapters.<platform>."""
    parts = module.split(".")
    if parts[0] == "bot":
        return "root" if module in ROOT_MODULES else parts[1]
    if parts[0] == "adapters":
        return "adapters." + parts[1] if len(parts) > 1 else "adapters"
    return parts[0]


# ---- imports ------------------------------------------------------------------------


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def allowed(source: str, target: str) -> bool:
    src, dst = area(source), area(target)
    if src == dst or src == "root":
        return True
    if src == "store":
        return False
    if src == "core":
        return dst == "store"
    if src in TOPICS:
        return dst in ("core", "store") or dst in TOPIC_DEPENDENCIES[src]
    if src == "jobs" or src.startswith("adapters"):
        return dst == "core"
    return False


def test_imports_point_one_way():
    wrong = {(a, b) for a, targets in GRAPH.items() for b in targets if not allowed(a, b)}
    assert sorted(wrong) == []


def test_topic_dependencies_form_a_dag():
    graph = {t: set(deps) for t, deps in TOPIC_DEPENDENCIES.items()}
    assert cycles(graph) == [] and all(t not in d for t, d in graph.items())


PURE_FORBIDDEN = ("sqlite3", "sqlite_utils", "apscheduler", "slack_bolt", "slack_sdk",
                  "discord", "aiohttp", "asyncio", "time")


def test_the_matching_engine_is_pure():
    """bot.pairing.matching: inputs in, groups out; no store, no clock, no platform."""
    for module, tree in TREES.items():
        if not module.startswith("bot.pairing.matching"):
            continue
        for target in GRAPH[module]:
            assert target.startswith("bot.pairing.matching"), f"{module} imports {target}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""])
                bad = [n for n in names if n.split(".")[0] in PURE_FORBIDDEN]
                assert not bad, f"{module} imports {bad}"
            if isinstance(node, ast.Attribute) and node.attr in ("now", "today", "utcnow"):
                pytest.fail(f"{module} reads the clock (line {node.lineno})")


# ---- the database -------------------------------------------------------------------

WRITE = re.compile(  # SQL keywords are upper case throughout the project
    r"\b(?:INSERT(?:\s+OR\s+[A-Z]+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+([a-z_]+)"
)
# Who writes each table. A topic owns its tables; the core's are split by module.
OWNERS = {
    "workspaces": "bot.core.members", "members": "bot.core.members",
    "peer_groups": "bot.core.members", "memberships": "bot.core.members",
    "outbox": "bot.core.outbox", "audit_log": "bot.audit", "pulse_aggregates": "bot.checkins",
    "privacy_key": "bot.privacy", "privacy_erasures": "bot.privacy",
    "receipts": "bot.core.receipts",
}
OWNER_PREFIXES = {"checkin_": "bot.checkins", "pairing_": "bot.pairing",
                  "agreement_": "bot.agreements", "resource": "bot.resources",
                  "consultation": "bot.consultations", "mentoring_": "bot.mentoring",
                  "consent_": "bot.privacy", "session_": "bot.sessions",
                  "dashboard_": "bot.dashboard"}


def sql_strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, text


def owner_of(table: str) -> str | None:
    if table in OWNERS:
        return OWNERS[table]
    return next((o for p, o in OWNER_PREFIXES.items() if table.startswith(p)), None)


def table_writes(module: str, tree: ast.AST) -> set[tuple[str, str]]:
    """(module, table) for every write statement that is not the table owner's."""
    wrong = set()
    for _, text in sql_strings(tree):
        for match in WRITE.finditer(text):
            table = match.group(1)
            owner = owner_of(table)
            if owner is None or not (module == owner or module.startswith(owner + ".")):
                wrong.add((module, table))
    return wrong


def test_every_table_is_written_only_by_its_owner():
    wrong: set[tuple[str, str]] = set()
    for module, tree in TREES.items():
        if module != "bot.store.migrations":  # creating the schema is not writing data
            wrong |= table_writes(module, tree)
    assert sorted(wrong) == []


def test_the_ownership_check_finds_a_write_in_an_f_string():
    tree = ast.parse('sql = f"UPDATE memberships SET x = {v} WHERE a = ?"')
    assert table_writes("bot.community.groups", tree) == {("bot.community.groups",
                                                           "memberships")}


UNIT_OWNERS = {"bot.core.dispatch", "bot.core.delivery", "bot.runtime", "bot.cli",
               "bot.dashboard.host"}  # one unit per dashboard request, like the dispatcher


def commits_in(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in ("commit", "write_transaction", "unit_of_work", "executescript"):
                found.append((node.lineno, name))
    for line, text in sql_strings(tree):
        if re.search(r"^\s*(COMMIT|BEGIN)\b", text):
            found.append((line, text.strip()[:20]))
    return found


def test_services_never_commit():
    """Only the owners of a unit of work open or commit one: the dispatcher (a command),
    a topic's jobs module (each job step), delivery (each send), the store itself, and
    the composition root."""
    wrong = set()
    for module, tree in TREES.items():
        owns_units = (module in UNIT_OWNERS or module.startswith("bot.store")
                      or module.endswith(".jobs") or module.startswith("jobs"))
        if not owns_units and commits_in(tree):
            wrong.add(module)
    assert sorted(wrong) == []


ROW_NAMES = {"row", "r", "rows", "record"}


def positional_rows(tree: ast.AST) -> list[int]:
    """Lines that build something from a row by position: ``X(*row)``, ``X(row[0], ...)``."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        values = [*node.args, *(k.value for k in node.keywords)]
        if any(isinstance(v, ast.Starred) and isinstance(v.value, ast.Name)
               and v.value.id in ROW_NAMES for v in values):
            lines.append(node.lineno)
            continue
        indexed = [v for v in values if isinstance(v, ast.Subscript)
                   and isinstance(v.value, ast.Name) and v.value.id in ROW_NAMES
                   and isinstance(v.slice, ast.Constant) and isinstance(v.slice.value, int)]
        if len(indexed) >= 2:
            lines.append(node.lineno)
    return lines


def test_rows_become_objects_by_column_name():
    # bot.store.rows is the one place allowed to pass a row positionally: it does so only
    # after matching the cursor's column names to the dataclass's fields.
    wrong = {m for m, tree in TREES.items() if positional_rows(tree) and m != "bot.store.rows"}
    assert sorted(wrong) == []


def test_the_row_check_finds_both_forms():
    tree = ast.parse("a = Group(*row)\nb = Member(user_id=row[1], role=Role(row[6]), x=row[2])")
    assert positional_rows(tree) == [1, 2]


# ---- size and registration ------------------------------------------------------------


@pytest.mark.parametrize("top", [*PROJECT, "tests", "bench"])
def test_no_module_over_400_lines(top):
    long = [f"{p.relative_to(REPO)}: {n}" for p in (REPO / top).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def test_one_list_of_topics_holds_every_topic_package():
    from bot import runtime

    packages = {p.parent.name for p in (REPO / "bot").glob("*/__init__.py")} - {"core", "store"}
    assert {t.__name__.split(".")[-1] for t in runtime.TOPICS} == packages == set(TOPICS)
    for topic in runtime.TOPICS:
        assert callable(topic.register), topic.__name__


def test_every_package_has_an_init():
    """setuptools installs only real packages: a folder without __init__.py is lost."""
    missing = [str(d.relative_to(REPO)) for top in PROJECT for d in (REPO / top).rglob("*")
               if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
               and not (d / "__init__.py").exists()]
    assert missing == []


def test_jobs_and_adapters_never_import_each_other():
    """Jobs call topic services through the core; adapters only translate."""
    pairs = {(a.split(".")[0], b.split(".")[0]) for a, targets in GRAPH.items() for b in targets}
    assert ("jobs", "adapters") not in pairs and ("adapters", "jobs") not in pairs


def test_the_direction_check_refuses_each_kind_of_wrong_arrow():
    assert not allowed("bot.core.members", "bot.pairing.rounds")  # the kernel knows no topic
    assert not allowed("bot.store.db", "bot.core.config")  # the store knows nothing above it
    assert not allowed("adapters.slack.app", "bot.runtime")  # adapters get a Host
    assert not allowed("jobs.scheduler", "bot.checkins.jobs")  # jobs run what is registered
    assert not allowed("bot.pairing.rounds", "bot.checkins.prompts")  # not on the DAG
    assert allowed("bot.checkins.facilitator", "bot.pairing.followup")
    assert allowed("bot.runtime", "adapters.slack")


def test_the_commit_check_finds_each_form():
    tree = ast.parse("db.commit()\nwith write_transaction(db):\n    pass\n"
                     "with unit_of_work(db):\n    pass\nsql = 'COMMIT'\n")
    assert [line for line, _ in commits_in(tree)] == [1, 2, 4, 6]
