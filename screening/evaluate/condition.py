"""Stage 4 (evaluate): the ``condition`` language of a rule, parsed by hand and compiled once.

``sel_voip and not 1 of filter_*`` is tokenized with columns, parsed by recursive descent
(precedence from loosest to tightest: ``or``, ``and``, ``not``, ``x of``, parentheses), checked
against the selection names the rule defines, and compiled into closures that evaluate in Kleene
three-valued logic: ``True``, ``False`` or ``None`` for unknown (a fact that could not be
computed). A hand-written parser gives exact columns in errors and no dependency to audit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from screening.evaluate.messages import did_you_mean

Tri = bool | None
Getter = Callable[[int, Any], Tri]
"""Reads selection ``i`` for an evaluation context (the getter decides how and whether to cache)."""
Evaluator = Callable[[Getter, Any], Tri]

KEYWORDS = frozenset({"and", "or", "not", "of", "any", "all"})
NAME = re.compile(r"[a-z][a-z0-9_]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\*?|[0-9]+")


class ConditionError(ValueError):
    """A condition that cannot be parsed or names selections that do not exist."""

    def __init__(self, message: str, column: int) -> None:
        self.message = message
        self.column = column
        super().__init__(f"column {column}: {message}")

    def caret(self, expression: str) -> str:
        """The expression with a caret under the offending column, for terminals."""
        return f"{expression}\n{' ' * (self.column - 1)}^"


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token and its 1-based column in the condition."""

    kind: str
    text: str
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    """A reference to one selection."""

    name: str
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    """Negation."""

    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    """Conjunction of two or more operands."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Disjunction of two or more operands."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Of:
    """``N of pattern``: at least ``count`` selections true (``None`` means all of them)."""

    count: int | None
    pattern: str
    column: int = field(default=0, compare=False)
    pattern_column: int = field(default=0, compare=False)


Node = Name | Not | And | Or | Of


def tokenize(text: str) -> list[Token]:
    """Split a condition into tokens; unknown characters are errors with their column."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        column = i + 1
        if char.isspace():
            i += 1
            continue
        if char in "()":
            tokens.append(Token(char, char, column))
            i += 1
            continue
        match = _WORD.match(text, i)
        if match is None:
            if char == "*":
                raise ConditionError("a pattern needs a prefix before '*', e.g. sel_*", column)
            raise ConditionError(f"unexpected character {char!r}", column)
        word = match.group()
        i = match.end()
        tokens.append(_word_token(word, column))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _word_token(word: str, column: int) -> Token:
    if word.isdigit():
        return Token("int", word, column)
    lowered = word.lower()
    if lowered in KEYWORDS:
        if word != lowered:
            raise ConditionError(f"write keywords in lowercase: '{lowered}'", column)
        return Token(lowered, word, column)
    if lowered == "them":
        raise ConditionError("'them' is not supported: name a pattern such as 'sel_*'", column)
    if not NAME.fullmatch(word.rstrip("*")):
        raise ConditionError(
            f"'{word}' is not a selection name (lowercase letters, digits and '_', "
            "starting with a letter)",
            column,
        )
    return Token("pattern" if word.endswith("*") else "name", word, column)


def parse(text: str) -> Node:
    """Parse a condition into its syntax tree."""
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ConditionError("the condition is empty", 1)
        node = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            raise ConditionError(
                f"expected 'and', 'or' or the end, got {_show(token)}", token.column
            )
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek().kind == "or":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.peek().kind == "and":
            self.take()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Node:
        if self.peek().kind == "not":
            self.take()
            return Not(self.not_expr())
        return self.of_expr()

    def of_expr(self) -> Node:
        token = self.peek()
        if token.kind not in ("int", "any", "all"):
            return self.atom()
        self.take()
        if self.peek().kind != "of":
            raise ConditionError(
                f"expected 'of' after '{token.text}', got {_show(self.peek())}", self.peek().column
            )
        self.take()
        target = self.peek()
        if target.kind not in ("name", "pattern"):
            raise ConditionError(
                f"expected a selection name or a pattern such as sel_* after 'of', got "
                f"{_show(target)}",
                target.column,
            )
        self.take()
        if token.kind == "int":
            count: int | None = int(token.text)
            if count == 0:
                raise ConditionError("'0 of' is always true: use 1 or more", token.column)
        else:
            count = 1 if token.kind == "any" else None
        return Of(count, target.text, token.column, target.column)

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.or_expr()
            close = self.peek()
            if close.kind != ")":
                raise ConditionError(
                    f"expected ')' to close the '(' at column {token.column}, got {_show(close)}",
                    close.column,
                )
            self.take()
            return node
        if token.kind == "name":
            return Name(token.text, token.column)
        if token.kind == "pattern":
            raise ConditionError(
                f"a pattern needs a quantifier: '1 of {token.text}' or 'all of {token.text}'",
                token.column,
            )
        raise ConditionError(
            f"expected a selection name, '(', 'not' or 'N of', got {_show(token)}", token.column
        )


def _show(token: Token) -> str:
    return "the end of the condition" if token.kind == "end" else f"'{token.text}'"


_PRECEDENCE = {Or: 1, And: 2, Not: 3, Of: 4, Name: 5}


def render(node: Node) -> str:
    """Canonical text of a syntax tree; ``parse(render(n)) == n``."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Of):
        return f"{'all' if node.count is None else node.count} of {node.pattern}"
    if isinstance(node, Not):
        inner = render(node.operand)
        return f"not ({inner})" if _PRECEDENCE[type(node.operand)] < 3 else f"not {inner}"
    word = " or " if isinstance(node, Or) else " and "
    mine = _PRECEDENCE[type(node)]
    parts = []
    for operand in node.operands:
        text = render(operand)
        parts.append(f"({text})" if _PRECEDENCE[type(operand)] <= mine else text)
    return word.join(parts)


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition: the evaluator and which selections it reads, and how."""

    text: str
    evaluate: Evaluator
    used: frozenset[str]
    positive: frozenset[str]
    single: int | None = None
    """The selection index when the condition is just one selection name (a fast path)."""


def compile_condition(text: str, names: Sequence[str]) -> Condition:
    """Parse ``text`` and bind it to the selection ``names`` (their index is the getter's key)."""
    tree = parse(text)
    index = {name: i for i, name in enumerate(names)}
    used: set[str] = set()
    positive: set[str] = set()
    evaluator = _compile(tree, index, True, used, positive)
    single = index[tree.name] if isinstance(tree, Name) else None
    return Condition(text, evaluator, frozenset(used), frozenset(positive), single)


def _compile(
    node: Node, index: dict[str, int], polarity: bool, used: set[str], positive: set[str]
) -> Evaluator:
    if isinstance(node, Name):
        if node.name not in index:
            raise ConditionError(_undefined(node.name, index), node.column)
        used.add(node.name)
        if polarity:
            positive.add(node.name)
        return _name(index[node.name])
    if isinstance(node, Not):
        return _not(_compile(node.operand, index, not polarity, used, positive))
    if isinstance(node, And):
        return _and([_compile(o, index, polarity, used, positive) for o in node.operands])
    if isinstance(node, Or):
        return _or([_compile(o, index, polarity, used, positive) for o in node.operands])
    matched = _expand(node, index)
    used.update(matched)
    if polarity:
        positive.update(matched)
    need = len(matched) if node.count is None else node.count
    if need > len(matched):
        raise ConditionError(
            f"'{node.count} of {node.pattern}' can never be true: it matches only "
            f"{len(matched)} selection{'s' if len(matched) != 1 else ''} ({', '.join(matched)})",
            node.column,
        )
    return _of([index[name] for name in matched], need)


def _undefined(name: str, index: dict[str, int]) -> str:
    defined = ", ".join(index) or "none"
    return f"unknown selection '{name}'{did_you_mean(name, index)}; defined: {defined}"


def _expand(node: Of, index: dict[str, int]) -> list[str]:
    if node.pattern.endswith("*"):
        prefix = node.pattern[:-1]
        matched = [name for name in index if name.startswith(prefix)]
        if not matched:
            defined = ", ".join(index) or "none"
            raise ConditionError(
                f"'{node.pattern}' matches no selection; defined: {defined}", node.pattern_column
            )
        return matched
    if node.pattern not in index:
        raise ConditionError(_undefined(node.pattern, index), node.pattern_column)
    return [node.pattern]


def _name(i: int) -> Evaluator:
    def evaluate(get: Getter, ctx: Any) -> Tri:
        return get(i, ctx)

    return evaluate


def _not(inner: Evaluator) -> Evaluator:
    def evaluate(get: Getter, ctx: Any) -> Tri:
        result = inner(get, ctx)
        return None if result is None else not result

    return evaluate


def _and(parts: list[Evaluator]) -> Evaluator:
    def evaluate(get: Getter, ctx: Any) -> Tri:
        unknown = False
        for part in parts:
            result = part(get, ctx)
            if result is False:
                return False
            if result is None:
                unknown = True
        return None if unknown else True

    return evaluate


def _or(parts: list[Evaluator]) -> Evaluator:
    # Every operand is evaluated (no short-circuit on True) so evidence names every signal.
    def evaluate(get: Getter, ctx: Any) -> Tri:
        found = unknown = False
        for part in parts:
            result = part(get, ctx)
            if result is True:
                found = True
            elif result is None:
                unknown = True
        return True if found else (None if unknown else False)

    return evaluate


def _of(indexes: list[int], need: int) -> Evaluator:
    def evaluate(get: Getter, ctx: Any) -> Tri:
        true = unknown = 0
        for i in indexes:
            result = get(i, ctx)
            if result is True:
                true += 1
            elif result is None:
                unknown += 1
        if true >= need:
            return True
        return False if true + unknown < need else None

    return evaluate
