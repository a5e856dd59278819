"""Stage 4 (evaluate): compiling one selection key into a record test.

``phones.region|neq|fieldref: identity.claimed_country`` becomes a ``KeyMatcher``: the key is
parsed, its fact looked up in the catalogue, its modifiers checked against the fact's type, and
its values converted (or its pack list expanded, or its fieldref target resolved) once. Every
problem is reported where the author wrote it, including lines of a pack's list files.
"""

from __future__ import annotations

from dataclasses import replace

from screening.evaluate.matcher import KeyMatcher
from screening.evaluate.messages import describe
from screening.evaluate.modifiers import (
    KeySpec,
    check_ref,
    check_type,
    exists_test,
    normalizer,
    parse_key,
    ref_test,
    rule_value,
    static_test,
)
from screening.evaluate.packs import LIST_PLACEHOLDER, LoadedPack
from screening.evaluate.values import ValueProblem
from screening.evaluate.yaml_files import Reporter
from screening.model.facts import FactCatalogue, FactSpec
from screening.safeload import DocPath

MAX_LIST_ERRORS = 5


class KeyCompiler:
    """Compiles the selection keys of one rule; remembers single-value ``all`` keys for lint."""

    def __init__(self, rep: Reporter, pack: LoadedPack, catalogue: FactCatalogue) -> None:
        self.rep = rep
        self.pack = pack
        self.catalogue = catalogue
        self.single_all: list[tuple[str, int | None]] = []

    def key(self, where: DocPath, label: str, text: str, value: object) -> KeyMatcher | None:
        """The matcher for one selection key, or None after reporting its problems."""
        try:
            spec = parse_key(text)
        except ValueProblem as exc:
            self.rep.key(where, f"{label}: key '{text}': {exc}")
            return None
        fact = self.rep.fact(self.catalogue, spec.path, where, label, key=True)
        if fact is None:
            return None
        try:
            check_type(spec, fact)
        except ValueProblem as exc:
            self.rep.key(where, f"{label}: key '{text}': {exc}")
            return None
        line = self.rep.locator.key(where)[0]
        prefix = f"{label}: key '{text}'"
        if value is None:
            if spec.op not in ("eq", "neq") or spec != KeySpec(spec.path, spec.op):
                self.rep.value(
                    where,
                    f"{prefix}: null only means absent ('{spec.path}: null') or present "
                    f"('{spec.path}|neq: null'); use '{spec.path}|exists: false' to be explicit",
                )
                return None
            spec, value = replace(spec, op="exists"), spec.op == "neq"
        if spec.op == "exists":
            if not isinstance(value, bool):
                self.rep.value(
                    where, f"{prefix}: 'exists' takes true or false, got {describe(value)}"
                )
                return None
            return KeyMatcher(
                text, fact.path, fact.key, fact.family, exists_test(fact.key, value), line=line
            )
        if spec.fieldref:
            return self.fieldref(where, prefix, text, spec, fact, value, line)
        values = self.values(where, prefix, spec, fact, value)
        if values is None:
            return None
        if spec.all and len(values) == 1:
            self.single_all.append((text, line))
        norm = normalizer(fact.type.element, spec.cased)
        test = static_test(fact.key, fact.type.is_list, norm, spec.op, values, spec.all)
        return KeyMatcher(text, fact.path, fact.key, fact.family, test, line=line)

    def fieldref(
        self,
        where: DocPath,
        prefix: str,
        text: str,
        spec: KeySpec,
        fact: FactSpec,
        value: object,
        line: int | None,
    ) -> KeyMatcher | None:
        if not isinstance(value, str):
            self.rep.value(
                where, f"{prefix}: 'fieldref' takes one fact path, got {describe(value)}"
            )
            return None
        ref = self.rep.fact(self.catalogue, value, where, prefix)
        if ref is None:
            return None
        try:
            check_ref(spec, fact, ref)
        except ValueProblem as exc:
            self.rep.value(where, f"{prefix}: {exc}")
            return None
        same = ref.namespace == fact.namespace
        test = ref_test(
            fact.key,
            normalizer(fact.type.element, spec.cased),
            spec.op,
            spec.all,
            ref.key if same else None,
            ref.path,
            normalizer(ref.type.element, spec.cased),
        )
        return KeyMatcher(
            text,
            fact.path,
            fact.key,
            fact.family,
            test,
            ref_path=ref.path,
            ref_family=ref.family,
            ref_key=ref.key if same else None,
            line=line,
        )

    def values(
        self, where: DocPath, prefix: str, spec: KeySpec, fact: FactSpec, value: object
    ) -> list[object] | None:
        if isinstance(value, dict):
            self.rep.value(where, f"{prefix}: expected a value or a list of values, got a mapping")
            return None
        items = value if isinstance(value, list) else [value]
        if not items:
            self.rep.value(
                where, f"{prefix}: an empty list matches nothing; give at least one value"
            )
            return None
        out: list[object] = []
        ok = True
        for i, item in enumerate(items):
            at = (*where, i) if isinstance(value, list) else where
            if item is None or isinstance(item, list | dict):
                self.rep.value(at, f"{prefix}: expected a single value, got {describe(item)}")
                ok = False
                continue
            if spec.expand:
                expanded = self.expand(at, prefix, spec, fact, item)
                ok = ok and expanded is not None
                out.extend(expanded or ())
                continue
            try:
                out.append(rule_value(spec, fact, item))
            except ValueProblem as exc:
                self.rep.value(at, f"{prefix}: {exc}")
                ok = False
        return out if ok else None

    def expand(
        self, where: DocPath, prefix: str, spec: KeySpec, fact: FactSpec, item: object
    ) -> list[object] | None:
        match = LIST_PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
        if match is None:
            self.rep.value(
                where,
                f"{prefix}: with 'expand' each value is a list name such as "
                f"'%disposable_domains%', got {describe(item)}",
            )
            return None
        try:
            lines = self.pack.lists.get(match.group(1))
        except ValueProblem as exc:
            self.rep.value(where, f"{prefix}: {exc}")
            return None
        if not lines:
            self.rep.value(where, f"{prefix}: list '{item}' is empty")
            return None
        out: list[object] = []
        errors = 0
        list_file = self.pack.lists.path(match.group(1))
        for number, line in lines:
            try:
                out.append(rule_value(spec, fact, line, from_list=True))
            except ValueProblem as exc:
                errors += 1
                if errors <= MAX_LIST_ERRORS:
                    self.rep.at(
                        list_file,
                        number,
                        1,
                        f"{exc} (expanded by '{spec.path}' in {self.rep.file.name})",
                    )
        return None if errors else out
