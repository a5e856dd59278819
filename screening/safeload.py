"""Hostile-input-safe loading of YAML and JSON documents, shared by ingest and the rule loader.

Why not ``yaml.safe_load``: it accepts anchors and aliases (a "billion laughs" document expands
exponentially once validated), silently keeps the last of duplicate keys, and forgets where each
key was written. Here the document is composed into nodes by the C parser, then walked once:
aliases, duplicate keys, excessive depth and node counts are refused, and the line and column of
every value are kept so errors can point at them.

Numbers are bounded too, in YAML and JSON alike: a number written with more than
``MAX_NUMBER_CHARS`` characters, or one that is not finite (``1e400``, ``NaN``), is a problem
naming its field, never an exception from deep inside Python's integer conversion.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from screening.errors import Problem

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The C loader with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 reads ``NO`` (Norway), ``ON`` (Ontario), ``yes`` and ``off`` as booleans, which turns
    country and region codes into ``False`` and ``True``.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

# The C composer recurses once per nesting level and crashes the interpreter on documents nested
# tens of thousands deep, before any depth check on the composed tree can run; documents with
# enough nesting marks to get near that are measured on the event stream first.
_NESTING_MARKS = "[{-:?"
_CHEAP_BOUND = 2000

DocPath = tuple[str | int, ...]
"""Where a value sits in a loaded document: keys and list indexes from the root."""
MAX_NUMBER_CHARS = 40  # longer than any id, amount or timestamp a contract carries
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _BadNumber:
    """Stands in for a refused JSON number until the walk can name its field."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _number_problem(text: str, value: float | None) -> str | None:
    if len(text) > MAX_NUMBER_CHARS:
        return f"number has more than {MAX_NUMBER_CHARS} characters"
    if value is not None and not math.isfinite(value):
        return "number is out of range (not finite)"
    return None


def shown_key(key: str, limit: int = 60) -> str:
    """A mapping key as quoted in a message: printable, at most ``limit`` characters (keys come
    from the document, which may be hostile)."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in key[: limit + 1])
    return clean if len(clean) <= limit else clean[:limit] + "…"


def _json_int(text: str) -> int | _BadNumber:
    reason = _number_problem(text, None)
    return _BadNumber(reason) if reason else int(text)


def _json_float(text: str) -> float | _BadNumber:
    reason = _number_problem(text, None) or _number_problem(text, float(text))
    return _BadNumber(reason) if reason else float(text)


def _json_constant(text: str) -> _BadNumber:
    return _BadNumber(f"{text} is not a JSON number")


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """Bounds on the shape of a loaded document."""

    max_depth: int = 32
    max_nodes: int = 200_000


@dataclass(slots=True)
class Loaded:
    """A loaded document and the (1-based) line and column of every value in it."""

    data: Any
    positions: dict[DocPath, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # the source text, when read from a file

    def where(self, path: DocPath) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest parent that has one."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (None, None))


class LoadError(ValueError):
    """A document that cannot be parsed or breaks a limit; carries structured problems."""

    def __init__(self, problems: list[Problem], limit: bool = False) -> None:
        self.problems = problems
        self.limit = limit  # True when a size or depth limit was broken, not the syntax
        super().__init__("; ".join(str(p) for p in problems))


def dotted(path: DocPath) -> str:
    """``('employment', 2, 'start')`` -> ``employment[2].start``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def load_yaml(text: str, limits: LoadLimits | None = None) -> Loaded:
    """Parse one YAML document safely (also accepts JSON, which is YAML)."""
    limits = limits or LoadLimits()
    _check_nesting(text, limits)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark is not None else None
            col = mark.column + 1 if mark is not None else None
            msg = (exc.problem or "invalid YAML").strip()
            raise LoadError([Problem("", f"not valid YAML: {msg}", line, col)]) from None
        except yaml.YAMLError as exc:
            raise LoadError([Problem("", f"not valid YAML: {exc}")]) from None
        if node is None:
            return Loaded(None, {})
        walker = _Walker(loader, limits)
        data = walker.build(node, (), 0)
        if walker.problems:
            raise LoadError(walker.problems, limit=walker.limited)
        return Loaded(data, walker.positions)
    finally:
        loader.dispose()


def _too_deep(limit: int) -> str:
    return f"nested deeper than {limit} levels (limits.max_depth)"


def _too_many(limit: int) -> str:
    return f"document has more than {limit} values (limits.max_nodes)"


def _check_nesting(text: str, limits: LoadLimits) -> None:
    if sum(text.count(mark) for mark in _NESTING_MARKS) <= _CHEAP_BOUND:
        return
    depth = 0
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    raise LoadError(
                        [
                            Problem(
                                "",
                                _too_deep(limits.max_depth),
                                mark.line + 1 if mark else None,
                                mark.column + 1 if mark else None,
                            )
                        ],
                        limit=True,
                    )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: the composer reports it with its position
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, limits: LoadLimits) -> None:
        self.loader = loader
        self.limits = limits
        self.positions: dict[DocPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0
        self.limited = False

    def _fail(self, path: DocPath, node: yaml.Node, message: str) -> None:
        self.problems.append(
            Problem(dotted(path), message, node.start_mark.line + 1, node.start_mark.column + 1)
        )

    def build(self, node: yaml.Node, path: DocPath, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            self.limited = True
            if self.count == self.limits.max_nodes + 1:
                self._fail(path, node, _too_many(self.limits.max_nodes))
            return None
        if depth > self.limits.max_depth:
            self.limited = True
            self._fail(path, node, _too_deep(self.limits.max_depth))
            return None
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self._fail(path, node, "YAML anchors and aliases are not allowed")
            return None
        self.seen.add(id(node))
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._fail(path, key_node, "YAML merge keys ('<<') are not allowed")
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._fail(path, key_node, "mapping keys must be plain strings")
                    continue
                key = str(self.loader.construct_object(key_node))
                if key in out:
                    self._fail((*path, key), key_node, f"duplicate key '{shown_key(key)}'")
                    continue
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            self._fail(path, node, f"number has more than {MAX_NUMBER_CHARS} characters")
            return None
        try:
            value = self.loader.construct_object(node)
            if isinstance(value, float) and not math.isfinite(value):
                self._fail(path, node, "number is out of range (not finite)")
                return None
            return value
        except yaml.YAMLError as exc:
            self._fail(path, node, f"cannot read value: {exc}")
            return None
        except ValueError as exc:  # e.g. an impossible timestamp such as 2024-02-31
            self._fail(path, node, f"cannot read value: {exc}")
            return None


def load_json(
    text: str, limits: LoadLimits | None = None, keep_last: list[str] | None = None
) -> Any:
    """Parse JSON with depth and size limits (positions are not tracked for JSON).

    A duplicate key is an error, unless ``keep_last`` is given: then the last value is kept (as
    JSON parsers do) and the key is appended to ``keep_last`` for the caller to judge.
    """
    limits = limits or LoadLimits()
    duplicates: list[str] = [] if keep_last is None else keep_last

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        problem = Problem("", f"not valid JSON: {exc.msg}", exc.lineno, exc.colno)
        raise LoadError([problem]) from None
    except RecursionError:
        too_deep = Problem("", _too_deep(limits.max_depth))
        raise LoadError([too_deep], limit=True) from None
    problems = [
        Problem(shown_key(key), f"duplicate key '{shown_key(key)}'")
        for key in (duplicates[:10] if keep_last is None else [])
    ]
    count = 0
    stack: list[tuple[Any, DocPath, int]] = [(data, (), 0)]
    while stack:
        value, path, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            problems.append(Problem("", _too_many(limits.max_nodes)))
            break
        if depth > limits.max_depth:
            problems.append(Problem(dotted(path), _too_deep(limits.max_depth)))
            break
        if isinstance(value, _BadNumber):
            problems.append(Problem(dotted(path), value.reason))
            if len(problems) >= 10:
                break
        elif isinstance(value, dict):
            stack.extend((v, (*path, str(k)), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i), depth + 1) for i, v in enumerate(value))
    if problems:
        raise LoadError(problems, limit=count > limits.max_nodes or depth > limits.max_depth)
    return data


def read_yaml_file(path: Path, max_bytes: int, limits: LoadLimits | None = None) -> Loaded:
    """A YAML file from disk: size-capped before it is read, UTF-8, then ``load_yaml``.

    Every failure is a ``LoadError`` (a file that is too big, not UTF-8 or unreadable has a
    problem without a field); ``Loaded.lines`` keeps the text for callers that quote it.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(
                [Problem("", f"file is {size} bytes, over the limit of {max_bytes}; split it")],
                limit=True,
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem("", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise LoadError([Problem("", f"cannot read: {exc.strerror}")]) from None
    loaded = load_yaml(text, limits)
    loaded.lines = text.splitlines()
    return loaded
