"""The layout's arrows, enforced: libraries never reach up into Dagster or the orchestration.

Read from the source (AST, so imports inside functions and ``TYPE_CHECKING`` blocks count too):

- ``ml``, ``landing``, ``expectations`` and ``serving`` are libraries. They never import
  ``orchestration`` nor any ``dagster*`` package, and among themselves each imports only the
  libraries below it (``LIBRARY_MAY_IMPORT``).
- ``orchestration`` imports downward only: a module imports only modules of a lower rank
  (``ORCHESTRATION_RANKS``), so ``definitions`` stays the table of contents and nothing but the
  CLI imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("ml", "landing", "expectations", "serving")
LIBRARY_MAY_IMPORT = {
    "ml": set(),
    "landing": set(),
    "expectations": {"landing"},
    "serving": {"landing"},
}
FORBIDDEN_IN_LIBRARIES = ("orchestration", "dagster")  # dagster matches dagster_dbt etc. too

# Lower ranks sit lower in the house; a module may import only strictly lower ranks. Prefixes
# match submodules (``orchestration.assets`` covers every asset module).
ORCHESTRATION_RANKS = {
    "orchestration.platform.child_processes": -1,  # used by the dbt hook beside it
    "orchestration.platform": 0,
    "orchestration.project": 1,
    "orchestration.partitions": 1,
    "orchestration.loggers": 1,
    "orchestration.instance": 2,
    "orchestration.resources": 2,
    "orchestration.assets.descriptions": 2,
    "orchestration.assets.outputs": 3,
    "orchestration.assets.stock_inputs": 3,
    "orchestration.assets.customer_history": 3,  # the lifetime value's inputs, in SQL
    "orchestration.assets.pricing_readouts": 4,
    "orchestration.assets": 5,
    "orchestration.checks": 6,
    "orchestration.jobs": 6,
    "orchestration.schedules": 7,
    "orchestration.sensors": 7,
    "orchestration.definitions": 8,
    "orchestration.cli.guard": 2,  # Dagster-free helpers of the CLI: home checks, errors
    "orchestration.cli.parser": 2,
    "orchestration.cli.reports": 9,
    "orchestration.cli.stopping": 8,  # Ctrl-C and SIGTERM during a run (used by the runner)
    "orchestration.cli.runner": 9,
    "orchestration.cli.summary": 9,
    "orchestration.cli.demo": 10,
    "orchestration.cli.soak_report": 9,  # the soak harness: an operator tool, not the Definitions
    "orchestration.cli.soak_loops": 9,
    "orchestration.cli.soak": 10,
    "orchestration.cli.main": 11,
    "orchestration.cli": 12,  # the package and its __main__
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from pkg import sub" may import a submodule: count pkg.sub as well as pkg
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def python_files(top: str) -> list[Path]:
    return sorted(p for p in (REPO_ROOT / top).rglob("*.py") if "__pycache__" not in p.parts)


def library_violations(top: str) -> list[str]:
    allowed = LIBRARY_MAY_IMPORT[top] | {top}
    problems = []
    for path in python_files(top):
        for line, name in imports_of(path):
            root = name.split(".")[0]
            where = f"{path.relative_to(REPO_ROOT)}:{line}"
            if root.startswith(FORBIDDEN_IN_LIBRARIES):
                problems.append(f"{where} imports {name}: {top}/ is a library, free of Dagster")
            elif root in LIBRARIES and root not in allowed:
                problems.append(f"{where} imports {name}: {top}/ may import only {sorted(allowed)}")
    return problems


def rank_of(name: str) -> int | None:
    matches = [prefix for prefix in ORCHESTRATION_RANKS if name == prefix or
               name.startswith(prefix + ".")]
    return ORCHESTRATION_RANKS[max(matches, key=len)] if matches else None


def orchestration_violations() -> list[str]:
    problems = []
    for path in python_files("orchestration"):
        own = module_name(path)
        own_rank = rank_of(own)
        if own_rank is None:
            if own != "orchestration":
                problems.append(f"{path.relative_to(REPO_ROOT)} has no rank in ORCHESTRATION_RANKS")
            continue
        for line, name in imports_of(path):
            target = rank_of(name)
            if name.startswith(own + "."):
                continue  # a module of this package, or a name it defines
            if target is not None and target >= own_rank:
                problems.append(
                    f"{path.relative_to(REPO_ROOT)}:{line} imports {name}: "
                    f"rank {target} is not below {own} (rank {own_rank})"
                )
    return problems


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_import_dagster_or_orchestration(library):
    assert library_violations(library) == []


def test_orchestration_imports_point_down_only():
    assert orchestration_violations() == []


def test_the_checker_names_file_and_line_of_an_upward_import(tmp_path, monkeypatch):
    scratch = REPO_ROOT / "landing" / "_architecture_probe.py"
    scratch.write_text("import os\n\n\ndef f():\n    import dagster\n")
    try:
        problems = library_violations("landing")
    finally:
        scratch.unlink()
    assert problems == [
        "landing/_architecture_probe.py:5 imports dagster: landing/ is a library, free of Dagster"
    ]
