"""The layout rules of the package, checked on its source (what the README's Kiến trúc section promises).

Imports are read with ``ast`` from every module, including imports inside functions (the lazy ones), so
a rule broken in a rarely run branch still fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xl_addin"
MAX_LINES = 500

# Each folder (or top-level module) may import only from layers before its own; so the two front ends,
# in one layer, never import each other.
LAYERS: list[set[str]] = [
    {"core"},
    {"files"},
    {"plan", "forms"},
    {"intake", "results", "excel"},
    {"documents", "routine"},
    {"actions"},
    {"routine_actions", "history_actions"},
    {"tools"},
    {"cli", "buttons"},
    {"__main__"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}
# Libraries that read or write files, draw or talk to Excel: never in the pure core.
IO_LIBRARIES = {"openpyxl", "docx", "docxtpl", "xlwings", "python_calamine", "matplotlib", "sqlite3"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _unit(path: Path) -> str:
    """The folder of a module inside the package, or the module's own name at the top level."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """``(module, line, inside_a_function)`` for every import in ``path``, relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_functions = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
    }
    package = ["xl_addin", *path.relative_to(PACKAGE).parent.parts]
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in in_functions) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # each name too: ``from xl_addin import cli`` imports the module xl_addin.cli
            found += [(f"{module}.{alias.name}", node.lineno, id(node) in in_functions) for alias in node.names]
    return found


def test_every_module_is_in_a_layer() -> None:
    units = {_unit(p) for p in _modules()} - {"__init__"}
    assert units <= set(RANK), f"add {sorted(units - set(RANK))} to LAYERS (and to the README's Kiến trúc table)"


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines: {over}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_run_down_the_layers(path: Path) -> None:
    own = _unit(path)
    wrong = []
    for module, line, _ in _imports(path):
        parts = module.split(".")
        if parts[0] != "xl_addin" or len(parts) < 2 or parts[1] == own:
            continue
        if RANK.get(parts[1], -1) >= RANK.get(own, 0):
            wrong.append(f"{line}: {module}")
    assert not wrong, f"{path.name} ({own}) imports from its own layer or above: {wrong}"


def test_the_core_uses_no_io_library() -> None:
    used = [
        f"{p.name}:{line} {module}"
        for p in _modules()
        if _unit(p) == "core"
        for module, line, _ in _imports(p)
        if module.split(".")[0] in IO_LIBRARIES
    ]
    assert not used


def test_xlwings_is_imported_only_inside_functions() -> None:
    """xlwings must never be needed headless: no module imports it when loaded."""
    eager = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in _modules()
        for module, line, lazy in _imports(p)
        if not lazy and module.split(".")[0] == "xlwings"
    ]
    assert not eager
