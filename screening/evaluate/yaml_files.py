"""Stage 4 (evaluate): reading rule-pack YAML files and locating problems in them.

Rule packs may come from users, so they are read like any other input: size-limited, UTF-8,
through ``screening.safeload`` (no aliases, no duplicate keys, bounded depth). The ``Locator``
turns a path inside the document into the line and column an author should look at: the value's
position for a bad value, the key's own position for a bad key; the ``Reporter`` collects the
problems of one rule file with those positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from screening.errors import RuleProblem
from screening.evaluate.messages import describe, did_you_mean, schema_problems
from screening.model.facts import FactCatalogue, FactSpec
from screening.safeload import DocPath, Loaded, LoadError, read_yaml_file

MAX_FILE_BYTES = 256 * 1024
M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class Locator:
    """Positions in one loaded YAML document."""

    loaded: Loaded
    lines: list[str]

    def value(self, path: DocPath) -> tuple[int | None, int | None]:
        """Line and column of the value at ``path`` (or of its nearest parent)."""
        return self.loaded.where(path)

    def key(self, path: DocPath) -> tuple[int | None, int | None]:
        """Line and column of the key that ends ``path`` (the value's position if not found)."""
        line, column = self.value(path)
        if not path or path not in self.loaded.positions or line is None or column is None:
            return line, column
        key = str(path[-1])
        same = self.lines[line - 1] if line <= len(self.lines) else ""
        pattern = re.compile(r"(?:^|[\s{,\-])(['\"]?)" + re.escape(key) + r"\1\s*:")
        found = list(pattern.finditer(same[: column - 1]))
        if found:
            return line, found[-1].start(1) + 1
        stop = self.loaded.positions.get(path[:-1], (1, 1))[0]
        for number in range(line - 1, stop - 1, -1):
            match = pattern.search(self.lines[number - 1])
            if match:
                return number, match.start(1) + 1
        return line, column

    def text_column(self, path: DocPath, text: str, offset: int) -> int | None:
        """The file column of character ``offset`` (1-based) of the one-line scalar at ``path``."""
        line, column = self.value(path)
        if line is None or column is None or line > len(self.lines):
            return column
        source = self.lines[line - 1]
        start = column - 1
        if source[start : start + 1] in ("'", '"'):
            start += 1
        if source[start : start + len(text)] != text:
            return column
        return start + offset


def read_yaml(
    path: Path,
    problems: list[RuleProblem],
    rule_id: str | None = None,
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[object, Locator] | None:
    """Load one YAML file; on failure add its problems (with positions) and return None."""
    try:
        loaded = read_yaml_file(path, max_bytes)
    except LoadError as exc:
        for p in exc.problems:
            message = f"{p.field}: {p.message}" if p.field else p.message
            problems.append(RuleProblem(str(path), message, p.line, p.column, rule_id))
        return None
    return loaded.data, Locator(loaded, loaded.lines)


def read_model(
    path: Path,
    model: type[M],
    problems: list[RuleProblem],
    *,
    holds: str,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[M, Locator] | None:
    """Load one YAML file and validate it against ``model``; on failure add its problems (each
    located at the bad key or value) and return None. ``holds`` names the expected keys."""
    read = read_yaml(path, problems, max_bytes=max_bytes)
    if read is None:
        return None
    data, locator = read
    if not isinstance(data, dict):
        problems.append(
            RuleProblem(
                str(path),
                f"expected a mapping with {holds}, got {describe(data)}",
                *locator.value(()),
            )
        )
        return None
    try:
        return model.model_validate(data), locator
    except ValidationError as exc:
        for problem in schema_problems(exc, model):
            where = locator.key(problem.path) if problem.at_key else locator.value(problem.path)
            problems.append(RuleProblem(str(path), problem.message, *where))
    return None


@dataclass(slots=True)
class Reporter:
    """Collects the problems of one rule file, located by document path."""

    file: Path
    rule_id: str
    locator: Locator
    problems: list[RuleProblem]

    def value(self, path: DocPath, message: str) -> None:
        """A problem with the value at ``path``."""
        self.problems.append(
            RuleProblem(str(self.file), message, *self.locator.value(path), self.rule_id)
        )

    def key(self, path: DocPath, message: str) -> None:
        """A problem with the key that ends ``path``."""
        self.problems.append(
            RuleProblem(str(self.file), message, *self.locator.key(path), self.rule_id)
        )

    def at(self, file: Path, line: int | None, column: int | None, message: str) -> None:
        """A problem at an explicit place (e.g. a line of a pack list)."""
        self.problems.append(RuleProblem(str(file), message, line, column, self.rule_id))

    def fact(
        self, catalogue: FactCatalogue, path: str, where: DocPath, label: str, *, key: bool = False
    ) -> FactSpec | None:
        """The catalogue entry of ``path``, or None after reporting it as unknown."""
        spec = catalogue.get(path)
        if spec is None:
            message = f"{label}: {unknown_path(path, catalogue)}"
            (self.key if key else self.value)(where, message)
        return spec


def unknown_path(path: str, catalogue: FactCatalogue) -> str:
    """Message for a path that is not in the catalogue, with the closest one."""
    hint = did_you_mean(path, catalogue.facts) or "; 'screening facts list' shows every fact"
    return f"unknown fact path '{path}'{hint}"
