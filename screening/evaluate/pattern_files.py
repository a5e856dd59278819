"""Stage 4 (evaluate): the phrase-pattern files of rule packs (``<pack>/patterns/*.yml``).

Each file is validated against ``PatternFileModel`` (the schema exported as
``rules/schema/pattern.schema.json``) with the file, field, line and column of every problem, so
a broken pattern fails like a broken rule instead of silently matching nothing. Packs' overrides
apply to patterns as they do to rules: a later pack's pattern with the same ``<signal>.<id>``
replaces the earlier one, ``overrides.patterns.disable`` in ``pack.yml`` and ``[rules]
disabled_patterns`` in the configuration turn a pattern or a whole signal off. The result is the
``PatternSet`` the engine hands to the language analyzer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from screening.analyze.language.patterns import (
    Examples,
    PatternSet,
    PatternSpec,
    SignalFile,
    near_pattern,
    phrase_pattern,
    token_pattern,
)
from screening.errors import RuleProblem
from screening.evaluate.messages import did_you_mean
from screening.evaluate.packs import PATTERNS, LoadedPack
from screening.evaluate.schema import PatternFileModel
from screening.evaluate.yaml_files import read_model

MAX_PATTERN_FILE_BYTES = 1024 * 1024


def pattern_files(pack: LoadedPack) -> list[Path]:
    """The pack's pattern files, sorted (sub-folders such as ``phrasings/`` are not patterns)."""
    folder = pack.directory / PATTERNS
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file()) if folder.is_dir() else []


def read_pattern_file(path: Path, pack: str, problems: list[RuleProblem]) -> SignalFile | None:
    """One pattern file checked against the schema; on failure its problems are added."""
    read = read_model(
        path,
        PatternFileModel,
        problems,
        holds="signal, description and patterns",
        max_bytes=MAX_PATTERN_FILE_BYTES,
    )
    if read is None:
        return None
    model = read[0]
    specs: list[PatternSpec] = []
    for item in model.patterns:
        key = f"{model.signal}.{item.id}"
        kind = item.kind or model.kind
        if item.tokens is not None:
            tokens = [token.matcher_spec() for token in item.tokens]
            specs.append(token_pattern(key, model.signal, tokens, kind))
        elif item.near is not None:
            groups = item.near.groups
            specs.append(near_pattern(key, model.signal, groups, item.near.within, kind))
        else:
            specs.append(phrase_pattern(key, model.signal, item.phrases or [], kind))
    ex = model.examples
    return SignalFile(
        path,
        pack,
        model.signal,
        model.description.strip(),
        tuple(specs),
        Examples(tuple(ex.match), tuple(ex.no_match), tuple(ex.negated)),
        model.kind,
    )


class PatternRegistry:
    """Pattern files in load order, which file defines each pattern now, and what is disabled."""

    def __init__(self) -> None:
        self.files: list[SignalFile] = []
        self.packs: list[tuple[str, str]] = []
        self.current: dict[str, int] = {}  # pattern key -> index of the file defining it
        self.disabled: set[str] = set()
        self.notes: list[str] = []

    def load(self, pack: LoadedPack, problems: list[RuleProblem]) -> None:
        """Read the pack's pattern files; a key defined twice in one pack is an error."""
        if not (pack.directory / PATTERNS).is_dir():
            return
        self.packs.append((pack.id, pack.version))
        mine: dict[str, Path] = {}
        for path in pattern_files(pack):
            file = read_pattern_file(path, pack.id, problems)
            if file is None:
                continue
            for spec in file.patterns:
                if spec.key in mine:
                    problems.append(
                        RuleProblem(
                            str(path), f"pattern '{spec.key}' is also defined in {mine[spec.key]}"
                        )
                    )
                    continue
                mine[spec.key] = path
                old = self.current.get(spec.key)
                if old is not None:
                    self.notes.append(
                        f"pattern {spec.key} from pack {self.files[old].pack} replaced by pack "
                        f"{pack.id}"
                    )
                self.current[spec.key] = len(self.files)
                self.disabled.discard(spec.key)
            self.files.append(file)

    def apply_pack(self, pack: LoadedPack, problems: list[RuleProblem]) -> None:
        """The pack's ``overrides.patterns.disable``."""
        for i, entry in enumerate(pack.overrides.patterns.disable):
            if not self.disable(entry, f"pack {pack.id}"):
                where = (
                    pack.locator.value(("overrides", "patterns", "disable", i))
                    if pack.locator
                    else (None, None)
                )
                problems.append(
                    RuleProblem(
                        str(pack.manifest),
                        f"overrides.patterns.disable[{i}]: {self._unknown(entry)}",
                        *where,
                    )
                )

    def apply_config(self, disabled: Collection[str], problems: list[RuleProblem]) -> None:
        """``[rules] disabled_patterns``, after every pack."""
        for entry in disabled:
            if not self.disable(entry, "configuration"):
                problems.append(
                    RuleProblem("configuration", f"disabled_patterns: {self._unknown(entry)}")
                )

    def disable(self, entry: str, who: str) -> bool:
        """Turn off a pattern ('<signal>.<id>') or every pattern of a signal; False if unknown."""
        keys = [k for k in self.current if k == entry or k.split(".", 1)[0] == entry]
        if not keys:
            return False
        fresh = [k for k in keys if k not in self.disabled]
        self.disabled.update(keys)
        if fresh:
            what = f"pattern {entry}" if "." in entry else f"signal {entry} ({len(fresh)} patterns)"
            self.notes.append(f"{who} disabled {what}")
        return True

    def result(self) -> PatternSet:
        """The loaded patterns minus the replaced and the disabled ones."""
        files: list[SignalFile] = []
        for index, file in enumerate(self.files):
            kept = tuple(
                spec
                for spec in file.patterns
                if self.current.get(spec.key) == index and spec.key not in self.disabled
            )
            if kept:
                files.append(file if kept == file.patterns else replace(file, patterns=kept))
        return PatternSet(tuple(files), tuple(self.packs))

    def _unknown(self, entry: str) -> str:
        known = set(self.current) | {k.split(".", 1)[0] for k in self.current}
        return f"unknown pattern or signal '{entry}'{did_you_mean(entry, known)}"
