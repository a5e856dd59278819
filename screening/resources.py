"""Where the shipped rule packs and templates are, installed or in a source checkout.

In a wheel they live inside the package (``screening/_data/rules``, ``screening/_data/templates``,
mapped there by the build); in a source checkout or editable install they are the top-level
``rules/`` and ``templates/`` folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / name
    if beside.is_dir():
        return beside
    raise FileNotFoundError(
        f"cannot find the shipped {name}/ directory (looked in {inside} and {beside})"
    )


def rules_dir() -> Path:
    """The directory holding the shipped rule packs."""
    return _locate("rules")


def templates_dir() -> Path:
    """The directory holding the report templates."""
    return _locate("templates")


def data_dir() -> Path:
    """Reference data used by analyzers (package data, always inside the package)."""
    return _PACKAGE / "data"


PACK_MANIFEST = "pack.yml"


def pack_dirs(directory: Path) -> list[Path]:
    """The rule packs in ``directory``: itself when it holds ``pack.yml``, else its subfolders
    that do (sorted). The rule loader and the language patterns find packs the same way."""
    if (directory / PACK_MANIFEST).is_file():
        return [directory]
    return sorted(p for p in directory.iterdir() if p.is_dir() and (p / PACK_MANIFEST).is_file())
