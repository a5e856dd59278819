"""Every exception the toolkit defines is in the documented tree or documented as internal."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import screening
from screening.errors import INTERNAL, ScreeningError

PACKAGE = Path(screening.__file__).parent


def defined_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module_name = ".".join(p for p in parts if p != "__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if not classes:
            continue
        module = importlib.import_module(module_name)
        for name in classes:
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                found[f"{module_name}.{name}"] = cls
    return found


def test_every_exception_is_in_the_tree_or_listed_as_internal() -> None:
    found = defined_exceptions()
    outside = {n for n, cls in found.items() if not issubclass(cls, ScreeningError)}
    assert outside == set(INTERNAL)
    assert "screening.errors.InputError" in found


def test_internal_exceptions_are_not_in_the_tree() -> None:
    # an exception both in the tree and listed would be documented twice
    found = defined_exceptions()
    assert not any(issubclass(found[name], ScreeningError) for name in INTERNAL)
