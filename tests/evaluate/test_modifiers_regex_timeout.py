"""A pathological regular expression in a rule cannot hang a screening on hostile text."""

from __future__ import annotations

import time

import regex

from screening.evaluate.modifiers import _search


def test_catastrophic_pattern_is_bounded() -> None:
    pattern = regex.compile(r"^(\w+\s?)*$")
    start = time.perf_counter()
    assert _search("word " * 2000 + "!", pattern) is False
    assert time.perf_counter() - start < 2.0


def test_ordinary_patterns_still_match() -> None:
    assert _search("luckydev0412", regex.compile(r"dev\d{3,4}$", regex.IGNORECASE))
