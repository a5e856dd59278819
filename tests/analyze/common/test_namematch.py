"""Loose, fair name matching: what counts as the same person and what never counts as different."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.analyze.common.namematch import (
    MAX_NAME_TOKENS,
    NameRelation,
    compare_names,
    handle_relation,
    names_other,
)
from screening.normalize.names import normalize_name as n


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Jonathan Miller", "Jon Miller", NameRelation.SAME),  # short form
        ("Jonathan Miller", "J. Miller", NameRelation.SAME),  # initial
        ("Miller Jonathan", "Jonathan Miller", NameRelation.SAME),  # order
        ("Nguyễn Văn An", "An Nguyen", NameRelation.SAME),  # diacritics, order, middle name
        ("Mohammed Al-Farsi", "Muhammad Alfarsi", NameRelation.SAME),  # romanization
        ("Katharina Schmidt", "Katharina Weber", NameRelation.VARIANT),  # married name
        ("Xiaoming Li", "Kevin Lee", NameRelation.VARIANT),  # shared surname romanization
        ("Jonathan Miller", "Robert Smith", NameRelation.DIFFERENT),
        ("김민준", "Minjun Kim", NameRelation.INCOMPARABLE),  # scripts differ: never a mismatch
        ("佐藤 花子", "Hanako Sato", NameRelation.INCOMPARABLE),
    ],
)
def test_compare_names(a: str, b: str, relation: NameRelation) -> None:
    assert compare_names(n(a), n(b))[0] is relation


@pytest.mark.parametrize(
    ("handle", "relation"),
    [
        ("jon.miller.dev77", NameRelation.RELATED),
        ("jmiller-dev", NameRelation.RELATED),
        ("jon-miller-1a2b3c", NameRelation.RELATED),
        ("jm1990", NameRelation.RELATED),
        ("robert.smith1985", NameRelation.UNRELATED),  # someone else only if corroborated
        ("octo-builder", NameRelation.UNRELATED),
        ("coolcoder", NameRelation.UNRELATED),
        ("luckydev0412", NameRelation.UNRELATED),
        ("data.engineer", NameRelation.UNRELATED),
    ],
)
def test_handle_relation(handle: str, relation: NameRelation) -> None:
    assert handle_relation([n("Jonathan Miller")], handle)[0] is relation


def test_handles_are_never_judged_against_a_name_in_another_script() -> None:
    assert handle_relation([n("김민준")], "robert.smith")[0] is NameRelation.INCOMPARABLE
    # a declared Latin alias makes the comparison possible
    assert handle_relation([n("김민준"), n("Minjun Kim")], "minjun.kim")[0] is NameRelation.RELATED


names = st.lists(
    st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1, max_size=10),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(names, names)
def test_relation_is_symmetric(a: str, b: str) -> None:
    assert compare_names(n(a), n(b))[0] is compare_names(n(b), n(a))[0]


@given(names)
def test_a_name_is_never_different_from_itself(a: str) -> None:
    assert compare_names(n(a), n(a))[0] in (NameRelation.SAME, NameRelation.INCOMPARABLE)


def test_a_handle_names_another_person_only_against_a_name_found_elsewhere() -> None:
    assert names_other("robert.hayes1988", n("Robert Hayes"))
    assert names_other("robert-hayes-3f9a", n("Hayes Robert"))
    assert not names_other("robert.smith", n("Robert Hayes"))  # one token is not enough
    assert not names_other("octo-builder", n("Robert Hayes"))
    assert not names_other("minjun.kim", n("김민준"))


def test_a_crafted_huge_name_is_compared_in_bounded_time() -> None:
    """A name of thousands of words and a long handle: only the capped prefix is compared."""
    import time

    huge = n(" ".join(["ab", "cd", "ef", "gh", "ij"] * 2000))
    assert len(huge.tokens) > 100 * MAX_NAME_TOKENS
    started = time.perf_counter()
    compare_names(huge, huge)
    handle_relation([huge], "x" * 60 + "." + "y" * 50_000)
    names_other("ab.cd." * 10_000, huge)
    assert time.perf_counter() - started < 1.0
