"""The data flow is the folder tree: stages import the model and nothing later in the flow."""

from __future__ import annotations

import ast
from pathlib import Path

import screening

PACKAGE = Path(screening.__file__).parent
STAGES = ["ingest", "normalize", "analyze", "evaluate", "score", "report"]
# importable from any stage
SHARED = {"model", "errors", "safeload", "resources", "store", "lists", "refdata"}
ORCHESTRATORS = {
    "pipeline",
    "catalogue",
    "cli",
    "batch",
    "measure",
    "testing",
    "server",
    "config",
    "__main__",
    "__init__",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "screening" and node.level == 0:
            out.update(f"screening.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m == "screening" or m.startswith("screening.")}


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_stages_import_only_the_model_and_earlier_stages() -> None:
    violations = []
    for stage_index, stage in enumerate(STAGES):
        allowed = SHARED | set(STAGES[: stage_index + 1])
        for path in (PACKAGE / stage).rglob("*.py"):
            for module in imported_modules(path):
                target = top(module)
                if target not in allowed:
                    violations.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert violations == []


def test_model_imports_nothing_from_the_stages() -> None:
    for path in (PACKAGE / "model").rglob("*.py"):
        for module in imported_modules(path):
            assert top(module) in {"model", "errors"}, f"{path.name} imports {module}"


def test_every_top_level_module_is_known() -> None:
    """A new top-level module must be classified here (shared, orchestrator or stage)."""
    names = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    unknown = names - SHARED - ORCHESTRATORS - set(STAGES) - {"store", "data"}
    assert unknown == set()


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
        in (None, "", "TODO-docstring.")
    ]
    assert missing == []


def test_shared_modules_import_no_stage() -> None:
    """store and lists are used by stages, so they must not import any stage themselves."""
    paths = [
        PACKAGE / "lists.py",
        PACKAGE / "safeload.py",
        PACKAGE / "resources.py",
        *(PACKAGE / "store").rglob("*.py"),
    ]
    for path in paths:
        for module in imported_modules(path):
            assert top(module) in SHARED, f"{path.name} imports {module}"
