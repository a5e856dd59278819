"""Stage 3 (analyze, language): phrase patterns as data, read and checked without spaCy.

Rule packs may hold a ``patterns/`` directory of YAML files, one *signal* per file (for example
``camera-refusal``): token patterns in spaCy Matcher syntax and phrase lists matched on
lower-cased text. Rules then read the facts the matches produce (``phrases.signal``), so a
reviewer can add wording without Python. Files are validated here, when the engine is built,
with the file, line and column of every problem (collected in one pass), so a broken pattern
fails like a broken rule instead of silently matching nothing. Patterns may only use token
attributes that the blank pipeline sets, so they behave the same with or without a trained
model; compiling them into spaCy matchers happens later, once, on the first text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from screening.errors import RulePackError, RuleProblem
from screening.resources import PACK_MANIFEST, pack_dirs
from screening.safeload import Loaded, LoadError
from screening.safeload import read_yaml_file as safe_read_yaml_file

MANIFEST = PACK_MANIFEST
PATTERNS = "patterns"
MAX_FILE_BYTES = 1024 * 1024
MAX_TOKEN_SPECS = 12
MAX_SPAN_TOKENS = 16  # longest text a token pattern can cover: the matching window is this wide
MAX_PHRASES = 2000
MAX_PHRASE_CHARS = 120
MAX_REGEX_CHARS = 200
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Attributes the tokenizer alone sets (plus sentence starts from the sentencizer); anything a
# trained component sets (POS, LEMMA, DEP, ENT_TYPE ...) would make a pattern silently dead on
# the default pipeline.
TEXT_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM"})
FLAG_ATTRS = frozenset(
    {
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_STOP",
        "IS_BRACKET",
        "IS_QUOTE",
        "IS_LEFT_PUNCT",
        "IS_RIGHT_PUNCT",
        "IS_CURRENCY",
        "IS_SENT_START",
        "LIKE_NUM",
        "LIKE_URL",
        "LIKE_EMAIL",
        "SPACY",
    }
)
NUMBER_ATTRS = frozenset({"LENGTH"})
TRAINED_ATTRS = frozenset(
    {"POS", "TAG", "DEP", "LEMMA", "MORPH", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"}
)
_SET_PREDICATES = frozenset({"IN", "NOT_IN"})
_NUMBER_PREDICATES = frozenset({"==", "!=", ">=", "<=", ">", "<"})
_OP = re.compile(r"^(!|\?|\+|\*|\{\d{0,2},?\d{0,2}\})$")
_RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")

# Words that negate a statement; a pattern that spells one out itself (``would not turn on``)
# keeps it as part of the wording (see ``PatternSpec.literal_cues``).
NEGATION_CUES = frozenset(
    {
        "not",
        "n't",
        "n’t",
        "nt",
        "no",
        "never",
        "without",
        "nor",
        "neither",
        "none",
        "nobody",
        "nothing",
        "cannot",
        "deny",
        "denied",
        "denies",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "cant",
        "wont",
        # a rule or policy against the thing is not a request for it
        "forbid",
        "forbids",
        "forbidden",
        "prohibit",
        "prohibits",
        "prohibited",
        "banned",
        "disallow",
        "disallowed",
    }
)
# Words that make a statement a question ("asked whether the camera was broken"). In a *request*
# signal (equipment, payment, remote access, pressure) the question is the request itself ("asked
# if the laptop can go to a friend"), so there they do not negate (``kind: request``).
HEDGES = frozenset({"if", "whether"})

# Words too frequent to anchor a pattern on: windows around them would cover most of a text.
COMMON_WORDS = NEGATION_CUES | frozenset(
    "a an the to at in on of for with by from as into about over it its is are was were be been "
    "and or but if so my your his her their our me you he she we they i this that these those "
    "do does did can could will would should may might have has had 's ' - , .".split()
)


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """One pattern: ``tokens`` (a spaCy Matcher pattern) or ``phrases`` (lower-cased text)."""

    key: str  # "<signal>.<id>", unique across every pattern file loaded
    signal: str
    tokens: tuple[Mapping[str, Any], ...] = ()
    phrases: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()  # lower-cased words one of which every match contains
    literal_cues: frozenset[str] = frozenset()

    @property
    def is_tokens(self) -> bool:
        """True for a token pattern, False for a phrase list."""
        return bool(self.tokens)


@dataclass(frozen=True, slots=True)
class Examples:
    """Sentences a signal's file says must match, must not match, or match but negated."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignalFile:
    """One pattern file: a signal, what it means, its patterns and its examples."""

    path: Path
    pack: str
    signal: str
    description: str
    patterns: tuple[PatternSpec, ...]
    examples: Examples
    kind: str = "observation"  # or "request": asking for it is the signal (hedges do not negate)


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Every pattern file found in the rule-pack directories, in load order."""

    files: tuple[SignalFile, ...] = ()
    packs: tuple[tuple[str, str], ...] = ()  # (pack id, version) of packs that hold patterns

    @property
    def patterns(self) -> tuple[PatternSpec, ...]:
        """All patterns of all files."""
        return tuple(p for f in self.files for p in f.patterns)

    @property
    def signals(self) -> tuple[str, ...]:
        """Signal names, in load order, without repeats."""
        return tuple(dict.fromkeys(f.signal for f in self.files))


def item_kind(item: object, file_kind: str) -> str:
    """A pattern's kind: its own ``kind`` when it sets one, else its file's."""
    own = item.get("kind") if isinstance(item, dict) else None
    return own if isinstance(own, str) else file_kind


def pattern_packs(dirs: Iterable[Path]) -> list[Path]:
    """Pack directories (a dir holding ``pack.yml``, or its subdirs that do) with patterns."""
    out: list[Path] = []
    for directory in dirs:
        if directory.is_dir():
            out.extend(p for p in pack_dirs(directory) if (p / PATTERNS).is_dir() and p not in out)
    return out


def load_patterns(dirs: Iterable[Path]) -> PatternSet:
    """Read and check every pattern file of the packs in ``dirs``; RulePackError lists problems."""
    problems: list[RuleProblem] = []
    files: list[SignalFile] = []
    packs: list[tuple[str, str]] = []
    keys: dict[str, Path] = {}
    for pack_dir in pattern_packs(dirs):
        pack_id, version = _manifest(pack_dir)
        packs.append((pack_id, version))
        for path in sorted((pack_dir / PATTERNS).glob("*.y*ml")):
            loaded = read_yaml_file(path, problems)
            if loaded is None:
                continue
            parsed = _FileChecker(path, pack_id, loaded, problems).check()
            if parsed is None:
                continue
            for spec in parsed.patterns:
                if spec.key in keys:
                    problems.append(
                        RuleProblem(
                            str(path),
                            f"pattern '{spec.key}' is also defined in {keys[spec.key]}",
                        )
                    )
                keys[spec.key] = path
            files.append(parsed)
    if problems:
        raise RulePackError(problems)
    return PatternSet(tuple(files), tuple(packs))


def _manifest(pack_dir: Path) -> tuple[str, str]:
    """The pack's id and version for the report's sources (the rule loader checks the rest)."""
    try:
        data = safe_read_yaml_file(pack_dir / MANIFEST, MAX_FILE_BYTES).data
    except LoadError:
        return pack_dir.name, "unknown"
    if not isinstance(data, dict):
        return pack_dir.name, "unknown"
    return str(data.get("id") or pack_dir.name), str(data.get("version") or "unknown")


def read_yaml_file(
    path: Path, problems: list[RuleProblem], max_bytes: int = MAX_FILE_BYTES
) -> Loaded | None:
    """One size-limited YAML file of the language data; on failure its problems are added."""
    try:
        return safe_read_yaml_file(path, max_bytes)
    except LoadError as exc:
        for p in exc.problems:
            problems.append(RuleProblem(str(path), p.message, p.line, p.column))
    return None


class _FileChecker:
    """Checks one loaded pattern file; every problem is located by line and column."""

    def __init__(self, path: Path, pack: str, loaded: Loaded, problems: list[RuleProblem]) -> None:
        self.path = path
        self.pack = pack
        self.loaded = loaded
        self.problems = problems
        self.start = len(problems)

    def fail(self, where: tuple[str | int, ...], message: str) -> None:
        line, column = self.loaded.where(where)
        label = ".".join(str(p) for p in where)
        self.problems.append(
            RuleProblem(str(self.path), f"{label}: {message}" if label else message, line, column)
        )

    def check(self) -> SignalFile | None:
        data = self.loaded.data
        if not isinstance(data, dict):
            self.fail((), "expected a mapping with signal, description and patterns")
            return None
        self._closed(data, (), {"signal", "description", "kind", "patterns", "examples"})
        kind = data.get("kind", "observation")
        if kind not in ("observation", "request"):
            self.fail(("kind",), "kind must be observation (the default) or request")
            kind = "observation"
        signal = data.get("signal")
        if not isinstance(signal, str) or not KEBAB.match(signal):
            self.fail(("signal",), "signal must be a kebab-case name, e.g. camera-refusal")
            signal = "invalid"
        description = data.get("description")
        if not isinstance(description, str) or not description.strip():
            self.fail(("description",), "a one-line description of the signal is required")
            description = ""
        raw = data.get("patterns")
        specs: list[PatternSpec] = []
        if not isinstance(raw, list) or not raw:
            self.fail(("patterns",), "patterns must be a non-empty list")
        else:
            seen: set[str] = set()
            for i, item in enumerate(raw):
                spec = self._pattern(signal, item, ("patterns", i))
                if spec is None:
                    continue
                if item_kind(item, kind) == "request":
                    spec = replace(spec, literal_cues=spec.literal_cues | HEDGES)
                if spec.key in seen:
                    self.fail(("patterns", i, "id"), f"id repeated in this file: {spec.key}")
                seen.add(spec.key)
                specs.append(spec)
        examples = self._examples(data.get("examples"))
        if len(self.problems) > self.start:
            return None
        return SignalFile(
            self.path, self.pack, signal, description.strip(), tuple(specs), examples, kind
        )

    def _closed(
        self, data: Mapping[str, Any], where: tuple[str | int, ...], keys: set[str]
    ) -> None:
        for key in data:
            if key not in keys:
                self.fail(
                    (*where, str(key)), f"unknown key; expected one of {', '.join(sorted(keys))}"
                )

    def _pattern(
        self, signal: str, item: object, where: tuple[str | int, ...]
    ) -> PatternSpec | None:
        if not isinstance(item, dict):
            self.fail(where, "expected a mapping with id and tokens or phrases")
            return None
        self._closed(item, where, {"id", "tokens", "phrases", "description", "kind"})
        if item.get("kind", "observation") not in ("observation", "request"):
            self.fail((*where, "kind"), "kind must be observation or request")
        pid = item.get("id")
        if not isinstance(pid, str) or not KEBAB.match(pid):
            self.fail((*where, "id"), "id must be kebab-case, e.g. webcam-broken")
            return None
        key = f"{signal}.{pid}"
        has_tokens, has_phrases = "tokens" in item, "phrases" in item
        if has_tokens == has_phrases:
            self.fail(where, "give exactly one of tokens (a Matcher pattern) or phrases (a list)")
            return None
        if has_phrases:
            phrases = self._phrases(item["phrases"], (*where, "phrases"))
            if not phrases:
                return None
            cues = frozenset(_phrase_words(phrases)) & NEGATION_CUES
            return PatternSpec(key, signal, phrases=phrases, literal_cues=cues)
        tokens = self._tokens(item["tokens"], (*where, "tokens"))
        if tokens is None:
            return None
        return PatternSpec(
            key,
            signal,
            tokens=tokens,
            anchors=_anchors(tokens),
            literal_cues=frozenset(_literals(tokens)) & NEGATION_CUES,
        )

    def _phrases(self, raw: object, where: tuple[str | int, ...]) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail(where, "phrases must be a non-empty list of text")
            return ()
        if len(raw) > MAX_PHRASES:
            self.fail(where, f"{len(raw)} phrases, over {MAX_PHRASES}")
            return ()
        out: list[str] = []
        for j, phrase in enumerate(raw):
            if not isinstance(phrase, str) or not phrase.strip():
                self.fail((*where, j), "expected non-empty text")
            elif len(phrase) > MAX_PHRASE_CHARS:
                self.fail((*where, j), f"phrase longer than {MAX_PHRASE_CHARS} characters")
            else:
                out.append(" ".join(phrase.lower().split()))
        return tuple(dict.fromkeys(out))

    def _tokens(
        self, raw: object, where: tuple[str | int, ...]
    ) -> tuple[Mapping[str, Any], ...] | None:
        if not isinstance(raw, list) or not raw:
            self.fail(where, "tokens must be a non-empty list of token specifications")
            return None
        if len(raw) > MAX_TOKEN_SPECS:
            self.fail(where, f"{len(raw)} token specifications, over {MAX_TOKEN_SPECS}")
            return None
        start = len(self.problems)
        specs: list[Mapping[str, Any]] = []
        span = 0
        for j, spec in enumerate(raw):
            if not isinstance(spec, dict):
                self.fail((*where, j), "expected a mapping such as {LOWER: camera}")
                continue
            self._spec(spec, (*where, j))
            span += _max_repeat(spec.get("OP"))
            specs.append(spec)
        if len(self.problems) > start:
            return None
        if span > MAX_SPAN_TOKENS:
            self.fail(where, f"the pattern can cover {span} tokens, over {MAX_SPAN_TOKENS}")
            return None
        if all(spec.get("OP") in ("?", "*", "!") or _is_range_optional(spec) for spec in specs):
            self.fail(where, "every token is optional: the pattern would match empty text")
            return None
        return tuple(specs)

    def _spec(self, spec: Mapping[str, Any], where: tuple[str | int, ...]) -> None:
        for attr, value in spec.items():
            at = (*where, str(attr))
            if attr == "OP":
                if not isinstance(value, str) or not _OP.match(value):
                    self.fail(at, "OP must be !, ?, +, * or a range such as {0,3}")
                elif value in ("*", "+") and not (set(spec) - {"OP"}):
                    self.fail(at, "an unbounded OP on an empty token matches anything; use {0,3}")
                elif value.startswith("{") and not _range_ok(value):
                    self.fail(at, "a range needs numbers: {n}, {n,m}, {n,} or {,m}")
            elif attr in TEXT_ATTRS:
                self._text_value(value, attr, at)
            elif attr in FLAG_ATTRS:
                if not isinstance(value, bool):
                    self.fail(at, f"{attr} takes true or false")
            elif attr in NUMBER_ATTRS:
                self._number_value(value, at)
            elif attr in TRAINED_ATTRS:
                self.fail(
                    at,
                    f"{attr} needs a trained pipeline; patterns must work on the blank pipeline "
                    "(use LOWER, ORTH, NORM, IS_* and LIKE_* attributes)",
                )
            else:
                known = sorted(TEXT_ATTRS | FLAG_ATTRS | NUMBER_ATTRS | {"OP"})
                self.fail(at, f"unknown token attribute; use one of {', '.join(known)}")

    def _text_value(self, value: object, attr: str, at: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            if attr == "LOWER" and value != value.lower():
                self.fail(at, f"LOWER compares lower-case text; write {value.lower()!r}")
            return
        if not isinstance(value, dict) or len(value) != 1:
            self.fail(
                at, f"{attr} takes text or one of {{IN: [...]}}, {{NOT_IN: [...]}}, {{REGEX: ...}}"
            )
            return
        ((predicate, arg),) = value.items()
        if predicate in _SET_PREDICATES:
            if not isinstance(arg, list) or not arg or not all(isinstance(v, str) for v in arg):
                self.fail((*at, predicate), f"{predicate} takes a non-empty list of text")
            elif attr == "LOWER" and any(v != v.lower() for v in arg):
                self.fail((*at, predicate), "LOWER compares lower-case text; lower-case the list")
        elif predicate == "REGEX":
            if not isinstance(arg, str) or len(arg) > MAX_REGEX_CHARS:
                self.fail(
                    (*at, predicate),
                    f"REGEX takes a pattern of at most {MAX_REGEX_CHARS} characters",
                )
                return
            try:
                re.compile(arg)
            except re.error as exc:
                self.fail((*at, predicate), f"invalid regular expression: {exc}")
        else:
            self.fail((*at, str(predicate)), "use IN, NOT_IN or REGEX")

    def _number_value(self, value: object, at: tuple[str | int, ...]) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            return
        ok = (
            isinstance(value, dict)
            and value
            and all(
                k in _NUMBER_PREDICATES and isinstance(v, int) and not isinstance(v, bool)
                for k, v in value.items()
            )
        )
        if not ok:
            self.fail(at, "LENGTH takes a number or comparisons such as {'>=': 3}")

    def _examples(self, raw: object) -> Examples:
        if raw is None:
            return Examples()
        if not isinstance(raw, dict):
            self.fail(("examples",), "expected a mapping with match, no_match and negated")
            return Examples()
        self._closed(raw, ("examples",), {"match", "no_match", "negated"})
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("match", "no_match", "negated"):
            value = raw.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.fail(("examples", name), "expected a list of sentences")
                value = []
            lists[name] = tuple(value)
        return Examples(lists["match"], lists["no_match"], lists["negated"])


def _range_ok(op: str) -> bool:
    m = _RANGE.match(op)
    return bool(m and (m.group(1) or m.group(3)) and (m.group(2) or not m.group(3)))


def _max_repeat(op: object) -> int:
    """How many tokens one specification can take (unbounded counts as one per match step)."""
    if op in (None, "!", "?", "+", "*"):
        return 1
    m = _RANGE.match(str(op))
    if not m:
        return 1
    low, comma, high = m.groups()
    if high:
        return int(high)
    return int(low) if low and not comma else max(int(low or 0), 1)


def _is_range_optional(spec: Mapping[str, Any]) -> bool:
    m = _RANGE.match(str(spec.get("OP", "")))
    return bool(m and not int(m.group(1) or 0))


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return [str(v).lower() for v in value["IN"]]
    return []


def _phrase_words(phrases: Sequence[str]) -> list[str]:
    """Words of phrases as the tokenizer splits negations ("can't" -> "ca", "n't")."""
    out: list[str] = []
    for phrase in phrases:
        for word in phrase.split():
            out.append(word)
            if word == "cannot":
                out.append("not")
            for suffix in ("n't", "n’t"):
                if word.endswith(suffix):
                    out.append(suffix)
    return out


def _literals(tokens: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every literal word a pattern spells out (so its own "not" is not read as negation)."""
    out: list[str] = []
    for spec in tokens:
        for attr in TEXT_ATTRS:
            if attr in spec:
                out.extend(_words(spec[attr]))
    return out


def _anchors(tokens: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Words one of which every match must contain: the most selective required literal token.

    Matching runs the token patterns only near these words (found with a vectorised lookup),
    which keeps long resumes cheap; a pattern with no required literal has no anchors and runs
    over the whole text.
    """
    best: list[str] | None = None
    for spec in tokens:
        if spec.get("OP") not in (None, "+") and not _range_required(spec):
            continue
        for attr in ("ORTH", "TEXT", "LOWER"):  # NORM maps "n't" to "not": not a safe anchor
            words = _words(spec.get(attr)) if attr in spec else []
            if words and (best is None or _rarity(words) < _rarity(best)):
                best = words
    return tuple(dict.fromkeys(best)) if best else ()


def _rarity(words: Sequence[str]) -> tuple[bool, int]:
    """Sort key of anchor candidates: sets without everyday words first, then smaller sets."""
    return (any(w in COMMON_WORDS for w in words), len(words))


def _range_required(spec: Mapping[str, Any]) -> bool:
    m = _RANGE.match(str(spec.get("OP", "")))
    return bool(m and int(m.group(1) or 0) >= 1)
