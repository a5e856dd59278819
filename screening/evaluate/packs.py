"""Stage 4 (evaluate): finding rule packs on disk and reading their manifests and lists.

A pack is a directory holding ``pack.yml`` and one rule per YAML file at any depth (``lists/``
holds the pack's value lists instead, and ``patterns/`` its phrase patterns for the language
analyzer). A directory passed to the loader is either a pack or a folder of packs (like the
shipped ``rules/``, which also holds ``schema/`` and ``known-fps.yml``).
Lists are read lazily, once, the first time a rule expands them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from screening.errors import RuleProblem
from screening.evaluate.messages import did_you_mean
from screening.evaluate.schema import OverridesModel, PackModel
from screening.evaluate.values import ValueProblem
from screening.evaluate.yaml_files import Locator, read_model
from screening.resources import PACK_MANIFEST, pack_dirs

MANIFEST = PACK_MANIFEST
LISTS = "lists"
PATTERNS = "patterns"  # phrase patterns, read by the language analyzer, not rules
MAX_LIST_BYTES = 16 * 1024 * 1024
LIST_PLACEHOLDER = re.compile(r"%([a-z0-9][a-z0-9_-]*)%")


def find_packs(dirs: list[Path], problems: list[RuleProblem]) -> list[Path]:
    """Pack directories in load order: each dir is a pack or a folder of packs (by name)."""
    out: list[Path] = []
    for directory in dirs:
        if not directory.is_dir():
            problems.append(RuleProblem(str(directory), "not a directory of rule packs"))
            continue
        packs = pack_dirs(directory)
        if not packs:
            problems.append(
                RuleProblem(
                    str(directory),
                    f"no {MANIFEST} here or in its subdirectories: a pack is a directory with "
                    f"{MANIFEST} and rule files",
                )
            )
        out.extend(packs)
    return out


def rule_files(pack_dir: Path) -> list[Path]:
    """Every rule file of a pack, sorted by path (hidden, ``lists/`` and ``patterns/`` skipped)."""
    out: list[Path] = []
    for path in sorted(pack_dir.rglob("*")):
        rel = path.relative_to(pack_dir)
        if rel.parts[0] in (LISTS, PATTERNS) or any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix in (".yml", ".yaml") and rel != Path(MANIFEST) and path.is_file():
            out.append(path)
    return out


class PackLists:
    """The ``lists/<name>.txt`` files of one pack: one value per line, ``#`` comments."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: dict[str, list[tuple[int, str]]] = {}

    def names(self) -> list[str]:
        """The list names this pack provides."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.txt"))

    def path(self, name: str) -> Path:
        """Where list ``name`` lives."""
        return self.directory / f"{name}.txt"

    def get(self, name: str) -> list[tuple[int, str]]:
        """(line number, value) pairs of list ``name``; ValueProblem if it cannot be used."""
        if name in self._cache:
            return self._cache[name]
        path = self.path(name)
        if not path.is_file():
            known = self.names()
            hint = did_you_mean(name, known) or (
                f" (lists here: {', '.join(known)})" if known else " (this pack has no lists/)"
            )
            raise ValueProblem(f"unknown list '%{name}%'{hint}")
        size = path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise ValueProblem(f"list {path.name} is {size} bytes, over {MAX_LIST_BYTES}")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueProblem(f"list {path.name} is not UTF-8 text ({exc.reason})") from None
        values = []
        for number, line in enumerate(text.splitlines(), 1):
            value = line.strip()
            if value and not value.startswith("#"):
                values.append((number, value))
        self._cache[name] = values
        return values


@dataclass(slots=True)
class LoadedPack:
    """A pack's manifest as loaded (a stand-in named after the directory if it is broken)."""

    directory: Path
    id: str
    title: str
    version: str
    overrides: OverridesModel = field(default_factory=OverridesModel)
    justification: str | None = None
    locator: Locator | None = None
    lists: PackLists = field(init=False)

    def __post_init__(self) -> None:
        self.lists = PackLists(self.directory / LISTS)

    @property
    def manifest(self) -> Path:
        """The path of ``pack.yml``."""
        return self.directory / MANIFEST


def read_pack(directory: Path, problems: list[RuleProblem]) -> LoadedPack:
    """Load ``pack.yml``; problems are collected and a stand-in keeps the rules loading."""
    fallback = LoadedPack(directory, directory.name, directory.name, "0")
    read = read_model(directory / MANIFEST, PackModel, problems, holds="id, title and version")
    if read is None:
        return fallback
    model, locator = read
    return LoadedPack(
        directory,
        model.id,
        model.title,
        model.version,
        model.overrides,
        model.sensitive_facts_justification,
        locator,
    )
