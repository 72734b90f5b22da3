"""The code stays as easy to see as the pipeline: one package a stage, each importing only from
its own stage or below, small modules and small functions.

Layers, from the bottom: the base modules every stage may use; model (the records and what the
portal computes from them); load (content/ → records); render (records → pages, feeds, data);
write (pages → the output folder, the search index); then what drives the stages: forms,
pipeline and newpost; the workbench; the preview (which serves it); the command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PORTAL = ROOT / "portal"
LAYERS = (
    {"errors", "paths", "limits", "cache", "cores", "atomic", "files"},
    {"model"},
    {"load"},
    {"render"},
    {"write"},
    {"incremental"},
    {"forms", "pipeline", "newpost"},
    {"workbench"},
    {"preview"},
    {"cli"},
    {"__main__"},
)
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def modules() -> list[Path]:
    return sorted(p for p in PORTAL.rglob("*.py") if "__pycache__" not in p.parts and "_data" not in p.parts)


def unit(path: Path) -> str:
    """The layer unit of a module: its package under portal/, or the top-level module's name."""
    parts = path.relative_to(PORTAL).parts
    return parts[0] if len(parts) > 1 else path.stem


def layer(name: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if name in names)


def imported(path: Path) -> set[str]:
    """The portal units a module imports, wherever the import stands (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "portal":
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import (write from portal.… import …)")
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("portal.")}
    return found


def test_every_module_belongs_to_a_layer() -> None:
    units = {unit(path) for path in modules()} - {"__init__"}
    assert units <= set().union(*LAYERS), units - set().union(*LAYERS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PORTAL)))
def test_a_module_imports_only_from_its_own_stage_or_below(path: Path) -> None:
    here = unit(path)
    if here == "__init__":
        return
    mine = layer(here)
    # the base modules may use each other; any other stage only itself and the stages below
    upward = sorted(n for n in imported(path) - {here} if layer(n) > mine or (layer(n) == mine and mine > 0))
    assert not upward, f"{path.relative_to(ROOT)} imports {upward} from its own layer or above"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PORTAL)))
def test_modules_and_functions_are_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines"
