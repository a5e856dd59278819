"""Fixtures of the report tests; the builders live in report_fixtures.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from report_fixtures import Doc, build

from screening.model.screening import Screening


@pytest.fixture
def make_screening() -> Callable[..., Screening]:
    """Build a screening with some fields replaced (name, specs, roles, notes ...)."""
    return build


@pytest.fixture
def screening() -> Screening:
    return build()


@pytest.fixture
def parse_html() -> Callable[[str], Doc]:
    """Parse rendered HTML back with the standard library's parser."""
    return Doc
