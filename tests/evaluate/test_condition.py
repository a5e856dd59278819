"""The condition language: parsing, errors with columns, Kleene evaluation, property tests."""

from __future__ import annotations

import itertools
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.evaluate.condition import (
    And,
    ConditionError,
    Name,
    Not,
    Of,
    Or,
    Tri,
    compile_condition,
    parse,
    render,
)

T, F, U = True, False, None
NAMES = ["sel_a", "sel_b", "sel_c", "filter_x", "filter_y"]


def run(text: str, values: dict[str, Tri], names: list[str] | None = None) -> Tri:
    names = names or list(values)
    condition = compile_condition(text, names)
    return condition.evaluate(lambda i, _ctx: values[names[i]], None)


def test_precedence_or_and_not_of() -> None:
    assert parse("sel_a or sel_b and not sel_c") == Or(
        (Name("sel_a"), And((Name("sel_b"), Not(Name("sel_c")))))
    )
    assert parse("not 1 of filter_* and all of sel_*") == And(
        (Not(Of(1, "filter_*")), Of(None, "sel_*"))
    )
    assert parse("(sel_a or sel_b) and sel_c") == And(
        (Or((Name("sel_a"), Name("sel_b"))), Name("sel_c"))
    )
    assert parse("any of sel_*") == Of(1, "sel_*")
    assert parse("2 of sel_*") == Of(2, "sel_*")
    assert parse("not not sel_a") == Not(Not(Name("sel_a")))


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("", 1, "the condition is empty"),
        (
            "sel_a and",
            10,
            "expected a selection name, '(', 'not' or 'N of', got the end of the condition",
        ),
        ("sel_a AND sel_b", 7, "write keywords in lowercase: 'and'"),
        (
            "(sel_a or sel_b",
            16,
            "expected ')' to close the '(' at column 1, got the end of the condition",
        ),
        ("sel_a sel_b", 7, "expected 'and', 'or' or the end, got 'sel_b'"),
        ("2 sel_*", 3, "expected 'of' after '2', got 'sel_*'"),
        (
            "1 of (sel_a)",
            6,
            "expected a selection name or a pattern such as sel_* after 'of', got '('",
        ),
        ("sel_*", 1, "a pattern needs a quantifier: '1 of sel_*' or 'all of sel_*'"),
        ("0 of sel_*", 1, "'0 of' is always true: use 1 or more"),
        ("sel_a & sel_b", 7, "unexpected character '&'"),
        ("1 of them", 6, "'them' is not supported: name a pattern such as 'sel_*'"),
        ("1 of *", 6, "a pattern needs a prefix before '*', e.g. sel_*"),
        (
            "Sel_A",
            1,
            "'Sel_A' is not a selection name (lowercase letters, digits and '_', starting with a "
            "letter)",
        ),
        ("sel_a and )", 11, "expected a selection name, '(', 'not' or 'N of', got ')'"),
    ],
)
def test_parse_errors_name_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        parse(text)
    assert (info.value.column, info.value.message) == (column, message)


def test_caret_points_at_the_column() -> None:
    with pytest.raises(ConditionError) as info:
        parse("sel_a and and")
    assert info.value.caret("sel_a and and") == "sel_a and and\n          ^"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        (
            "sel_a and sel_d",
            11,
            "unknown selection 'sel_d' (did you mean 'sel_a'?); defined: sel_a, sel_b",
        ),
        ("1 of filter_*", 6, "'filter_*' matches no selection; defined: sel_a, sel_b"),
        (
            "3 of sel_*",
            1,
            "'3 of sel_*' can never be true: it matches only 2 selections (sel_a, sel_b)",
        ),
        (
            "all of sel_x",
            8,
            "unknown selection 'sel_x' (did you mean 'sel_a'?); defined: sel_a, sel_b",
        ),
    ],
)
def test_resolution_errors(text: str, column: int, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition(text, ["sel_a", "sel_b"])
    assert (info.value.column, info.value.message) == (column, message)


def test_used_and_positive_selections() -> None:
    condition = compile_condition(
        "sel_a and not (sel_b or 1 of filter_*)", ["sel_a", "sel_b", "filter_x", "unused"]
    )
    assert condition.used == {"sel_a", "sel_b", "filter_x"}
    assert condition.positive == {"sel_a"}
    double = compile_condition("not not sel_a", ["sel_a"])
    assert double.positive == {"sel_a"}


@pytest.mark.parametrize(
    ("a", "b", "conj", "disj"),
    [
        (T, T, T, T),
        (T, F, F, T),
        (T, U, U, T),
        (F, F, F, F),
        (F, U, F, U),
        (U, U, U, U),
        (U, T, U, T),
        (F, T, F, T),
        (U, F, F, U),
    ],
)
def test_kleene_and_or(a: Tri, b: Tri, conj: Tri, disj: Tri) -> None:
    assert run("sel_a and sel_b", {"sel_a": a, "sel_b": b}) is conj
    assert run("sel_a or sel_b", {"sel_a": a, "sel_b": b}) is disj


@pytest.mark.parametrize(("a", "negated"), [(T, F), (F, T), (U, U)])
def test_kleene_not(a: Tri, negated: Tri) -> None:
    assert run("not sel_a", {"sel_a": a}) is negated


@pytest.mark.parametrize(
    ("values", "two_of", "all_of", "any_of"),
    [
        ((T, T, F), T, F, T),
        ((T, U, F), U, F, T),
        ((T, F, F), F, F, T),
        ((U, U, F), U, F, U),
        ((U, F, F), F, F, U),
        ((T, T, U), T, U, T),
        ((T, T, T), T, T, T),
        ((F, F, F), F, F, F),
    ],
)
def test_kleene_counting(
    values: tuple[Tri, Tri, Tri], two_of: Tri, all_of: Tri, any_of: Tri
) -> None:
    assignment = dict(zip(["sel_a", "sel_b", "sel_c"], values, strict=True))
    assert run("2 of sel_*", assignment) is two_of
    assert run("all of sel_*", assignment) is all_of
    assert run("1 of sel_*", assignment) is any_of


def test_conjunction_stops_reading_after_false() -> None:
    reads: list[int] = []

    def get(i: int, _ctx: object) -> Tri:
        reads.append(i)
        return False

    compile_condition("sel_a and sel_b", ["sel_a", "sel_b"]).evaluate(get, None)
    assert reads == [0]


# -- property tests: generated expressions against a reference evaluator ---------------------

Expr = tuple[object, ...]
PATTERNS = {"sel_*": 3, "filter_*": 2, "sel_a": 1, "filter_y": 1}


def _leaf() -> st.SearchStrategy[tuple[object, ...]]:
    names = st.sampled_from(NAMES).map(lambda n: ("name", n))
    ofs = st.sampled_from(sorted(PATTERNS)).flatmap(
        lambda p: st.sampled_from([*range(1, PATTERNS[p] + 1), None]).map(lambda n: ("of", n, p))
    )
    return st.one_of(names, ofs)


expressions = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        inner.map(lambda x: ("not", x)),
        st.tuples(st.just("and"), st.lists(inner, min_size=2, max_size=3)),
        st.tuples(st.just("or"), st.lists(inner, min_size=2, max_size=3)),
    ),
    max_leaves=10,
)


def to_text(expr: tuple[object, ...], draw_space: bool) -> str:
    space = "  " if draw_space else " "
    kind = expr[0]
    if kind == "name":
        return str(expr[1])
    if kind == "of":
        count = "all" if expr[1] is None else str(expr[1])
        return f"{count}{space}of{space}{expr[2]}"
    if kind == "not":
        return f"not{space}({to_text(cast(Expr, expr[1]), draw_space)})"
    parts = [f"({to_text(p, draw_space)})" for p in cast(list[Expr], expr[1])]
    return f"{space}{kind}{space}".join(parts)


def reference(expr: tuple[object, ...], values: dict[str, Tri]) -> Tri:
    """Kleene logic on the order False < None < True with Python's own min/max and counting."""
    rank = {False: 0, None: 1, True: 2}
    back = {0: False, 1: None, 2: True}
    kind = expr[0]
    if kind == "name":
        return values[str(expr[1])]
    if kind == "not":
        return back[2 - rank[reference(cast(Expr, expr[1]), values)]]
    if kind == "of":
        pattern = str(expr[2])
        chosen = [
            n
            for n in NAMES
            if (n.startswith(pattern[:-1]) if pattern.endswith("*") else n == pattern)
        ]
        need = len(chosen) if expr[1] is None else int(cast(int, expr[1]))
        true = sum(values[n] is True for n in chosen)
        unknown = sum(values[n] is None for n in chosen)
        return True if true >= need else (False if true + unknown < need else None)
    ranks = [rank[reference(p, values)] for p in cast(list[Expr], expr[1])]
    return back[min(ranks) if kind == "and" else max(ranks)]


@settings(max_examples=300, deadline=None)
@given(
    expressions,
    st.booleans(),
    st.lists(st.sampled_from([True, False, None]), min_size=5, max_size=5),
)
def test_generated_conditions_evaluate_like_the_reference(
    expr: tuple[object, ...], wide: bool, truth: list[Tri]
) -> None:
    text = to_text(expr, wide)
    values = dict(zip(NAMES, truth, strict=True))
    assert run(text, values, NAMES) is reference(expr, values)


@settings(max_examples=300, deadline=None)
@given(expressions)
def test_render_round_trips(expr: tuple[object, ...]) -> None:
    tree = parse(to_text(expr, False))
    assert parse(render(tree)) == tree


def test_every_two_valued_assignment_matches_python_booleans() -> None:
    text = "(sel_a or not sel_b) and not (sel_c and 1 of filter_*)"
    for bits in itertools.product([True, False], repeat=5):
        a, b, c, x, y = bits
        expected = (a or not b) and not (c and (x or y))
        assert run(text, dict(zip(NAMES, bits, strict=True)), NAMES) is expected
