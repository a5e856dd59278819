"""Stage 4 (evaluate): the pack loader, reporting every error in one pass.

Packs load in order (shipped first, then the user's extra directories). ``read_packs`` reads
what the analyzers need before the fact catalogue exists: every ``pack.yml`` and the phrase
patterns (``pattern_files``); ``load_ruleset`` then compiles the rules against the catalogue. A
later pack may replace a rule or a pattern by defining the same id, and its ``overrides`` may
disable or re-weight rules and disable patterns loaded so far; the caller's configuration applies
last. Nothing stops at the first problem: every file is read, every error is collected with its
file, line, column and rule id, and one RulePackError lists them all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from screening.analyze.language.patterns import PatternSet
from screening.errors import RulePackError, RuleProblem
from screening.evaluate.compile import compile_rule, expected_id
from screening.evaluate.knownfps import KnownFP, read_known_fps
from screening.evaluate.messages import describe, did_you_mean
from screening.evaluate.packs import LoadedPack, find_packs, read_pack, rule_files
from screening.evaluate.pattern_files import PatternRegistry
from screening.evaluate.rule import CompiledRule
from screening.evaluate.ruleset import RuleSet
from screening.evaluate.yaml_files import read_yaml
from screening.model.facts import FactCatalogue
from screening.model.screening import PackInfo

CONFIG = "configuration"


@dataclass(frozen=True, slots=True)
class PackSet:
    """Every pack under some directories, read once: manifests and phrase patterns (after the
    overrides), the notes on what was replaced or disabled, and the problems found so far."""

    packs: tuple[LoadedPack, ...]
    patterns: PatternSet
    notes: tuple[str, ...] = ()
    problems: tuple[RuleProblem, ...] = ()

    def list_files(self, name: str) -> tuple[tuple[str, Path], ...]:
        """(pack folder name, path) of every pack's ``lists/<name>.txt``, in load order (for an
        analyzer that reads a pack list itself, such as the front-company domains)."""
        found = ((pack.directory.name, pack.lists.path(name)) for pack in self.packs)
        return tuple((folder, path) for folder, path in found if path.is_file())


def read_packs(dirs: Sequence[Path], *, disabled_patterns: Collection[str] = ()) -> PackSet:
    """Read the manifests and pattern files of every pack under ``dirs`` (in order).

    Problems are returned, not raised, so the engine can build its analyzers and
    ``load_ruleset`` reports them together with the rules' own.
    """
    problems: list[RuleProblem] = []
    patterns = PatternRegistry()
    packs: list[LoadedPack] = []
    for directory in find_packs(list(dirs), problems):
        pack = read_pack(directory, problems)
        _check_pack_id(pack, packs, problems)
        patterns.load(pack, problems)
        patterns.apply_pack(pack, problems)
        packs.append(pack)
    patterns.apply_config(disabled_patterns, problems)
    return PackSet(tuple(packs), patterns.result(), tuple(patterns.notes), tuple(problems))


def load_packs(dirs: Sequence[Path], *, disabled_patterns: Collection[str] = ()) -> PackSet:
    """``read_packs``, raising RulePackError with every problem of the manifests and pattern
    files (for callers that need the packs' patterns and lists but not their rules)."""
    packs = read_packs(dirs, disabled_patterns=disabled_patterns)
    if packs.problems:
        raise RulePackError(packs.problems)
    return packs


def load_patterns(dirs: Sequence[Path], *, disabled: Collection[str] = ()) -> PatternSet:
    """The phrase patterns of the packs under ``dirs`` (``load_packs``)."""
    return load_packs(dirs, disabled_patterns=disabled).patterns


def load_ruleset(
    packs: Sequence[Path] | PackSet,
    catalogue: FactCatalogue,
    *,
    weight_overrides: Mapping[str, float] | None = None,
    disabled: Collection[str] = (),
    known_fps: Path | None = None,
) -> RuleSet:
    """Load the rules of ``packs`` (read by ``read_packs``, or the directories to read) against
    ``catalogue``.

    Raises RulePackError with every problem found, in the manifests, the pattern files and the
    rules, including unknown ids in the overrides.
    """
    if not isinstance(packs, PackSet):
        packs = read_packs(packs)
    problems: list[RuleProblem] = list(packs.problems)
    registry = _Registry()
    for pack in packs.packs:
        registry.load(pack, catalogue, problems)
        registry.apply_pack(pack, problems)
    registry.apply_config(weight_overrides or {}, disabled, problems)
    fps: list[KnownFP] = []
    if known_fps is not None:
        fps, fp_problems = read_known_fps(known_fps)
        problems.extend(fp_problems)
        for fp in fps:
            if fp.rule not in registry.known:
                problems.append(
                    RuleProblem(
                        str(known_fps),
                        f"unknown rule id '{fp.rule}'{did_you_mean(fp.rule, registry.known)}",
                        fp.line,
                        rule_id=fp.rule,
                    )
                )
    if problems:
        raise RulePackError(problems)
    rules = list(registry.rules.values())
    return RuleSet(
        rules,
        [_pack_info(pack, rules) for pack in packs.packs],
        catalogue,
        notes=[*packs.notes, *registry.notes],
        sensitive_warnings=_sensitive(rules),
        known_fps=fps,
        patterns=packs.patterns,
    )


class _Registry:
    """Rules by id in load order, plus every id ever seen (for overrides and suggestions)."""

    def __init__(self) -> None:
        self.rules: dict[str, CompiledRule] = {}
        self.known: set[str] = set()
        self.notes: list[str] = []

    def load(self, pack: LoadedPack, catalogue: FactCatalogue, problems: list[RuleProblem]) -> None:
        mine: dict[str, Path] = {}
        for file in rule_files(pack.directory):
            rule_id = expected_id(file)
            self.known.add(rule_id)
            if rule_id in mine:
                problems.append(
                    RuleProblem(
                        str(file),
                        f"duplicate rule id '{rule_id}': {mine[rule_id]} defines it too",
                        1,
                        1,
                        rule_id,
                    )
                )
                continue
            mine[rule_id] = file
            read = read_yaml(file, problems, rule_id)
            if read is None:
                continue
            data, locator = read
            if not isinstance(data, dict):
                problems.append(
                    RuleProblem(
                        str(file),
                        f"a rule file holds one mapping (id, title, match, ...), got "
                        f"{describe(data)}",
                        *locator.value(()),
                        rule_id,
                    )
                )
                continue
            rule, errors = compile_rule(data, locator, file, pack, catalogue)
            problems.extend(errors)
            if rule is not None:
                self.add(rule)

    def add(self, rule: CompiledRule) -> None:
        old = self.rules.get(rule.id)
        if old is not None and old.pack != rule.pack:
            self.notes.append(f"rule {rule.id} from pack {old.pack} replaced by pack {rule.pack}")
        self.rules[rule.id] = rule

    def apply_pack(self, pack: LoadedPack, problems: list[RuleProblem]) -> None:
        locator = pack.locator
        for i, rule_id in enumerate(pack.overrides.disable):
            if rule_id not in self.known:
                where = locator.value(("overrides", "disable", i)) if locator else (None, None)
                problems.append(
                    RuleProblem(
                        str(pack.manifest),
                        f"overrides.disable[{i}]: {self._unknown(rule_id)}",
                        *where,
                        rule_id,
                    )
                )
            else:
                self.disable(rule_id, f"pack {pack.id}")
        for rule_id, weight in pack.overrides.weights.items():
            if rule_id not in self.known:
                where = locator.key(("overrides", "weights", rule_id)) if locator else (None, None)
                problems.append(
                    RuleProblem(
                        str(pack.manifest),
                        f"overrides.weights: {self._unknown(rule_id)}",
                        *where,
                        rule_id,
                    )
                )
            else:
                self.reweight(rule_id, weight, f"pack {pack.id}")

    def apply_config(
        self,
        weights: Mapping[str, float],
        disabled: Collection[str],
        problems: list[RuleProblem],
    ) -> None:
        for rule_id in disabled:
            if rule_id not in self.known:
                problems.append(
                    RuleProblem(CONFIG, f"disabled: {self._unknown(rule_id)}", rule_id=rule_id)
                )
            else:
                self.disable(rule_id, CONFIG)
        for rule_id, weight in weights.items():
            if rule_id not in self.known:
                problems.append(
                    RuleProblem(CONFIG, f"weights: {self._unknown(rule_id)}", rule_id=rule_id)
                )
            elif isinstance(weight, bool) or not isinstance(weight, int | float):
                problems.append(
                    RuleProblem(
                        CONFIG,
                        f"weights: {rule_id} needs a number in [-1, 1], got {describe(weight)}",
                        rule_id=rule_id,
                    )
                )
            elif not -1.0 <= weight <= 1.0:
                problems.append(
                    RuleProblem(
                        CONFIG,
                        f"weights: {rule_id} must be between -1 and 1, got {weight}",
                        rule_id=rule_id,
                    )
                )
            else:
                self.reweight(rule_id, float(weight), CONFIG)

    def disable(self, rule_id: str, who: str) -> None:
        if self.rules.pop(rule_id, None) is not None:
            self.notes.append(f"{who} disabled rule {rule_id}")

    def reweight(self, rule_id: str, weight: float, who: str) -> None:
        rule = self.rules.get(rule_id)
        if rule is None:
            return
        self.rules[rule_id] = replace(rule, info=replace(rule.info, weight=weight))
        self.notes.append(
            f"{who} set the weight of {rule_id} to {weight:g} "
            f"(rule file: {rule.info.default_weight:g})"
        )

    def _unknown(self, rule_id: str) -> str:
        return f"unknown rule id '{rule_id}'{did_you_mean(rule_id, self.known)}"


def _check_pack_id(pack: LoadedPack, packs: list[LoadedPack], problems: list[RuleProblem]) -> None:
    for other in packs:
        if other.id == pack.id:
            where = pack.locator.value(("id",)) if pack.locator else (None, None)
            problems.append(
                RuleProblem(
                    str(pack.manifest),
                    f"pack id '{pack.id}' is already used by {other.directory}; give this pack "
                    "its own id",
                    *where,
                )
            )
            return


def _pack_info(pack: LoadedPack, rules: list[CompiledRule]) -> PackInfo:
    count = sum(1 for rule in rules if rule.pack == pack.id)
    return PackInfo(pack.id, pack.version, count, pack.title, str(pack.directory))


def _sensitive(rules: list[CompiledRule]) -> list[str]:
    out = []
    for rule in rules:
        paths = rule.lint.sensitive_paths
        if not paths:
            continue
        why = (
            f"justified by pack {rule.pack}: {rule.justification}"
            if rule.justification
            else f"pack {rule.pack} gives no justification"
        )
        out.append(f"rule {rule.id} reads sensitive fact(s) {', '.join(paths)} ({why})")
    return out
