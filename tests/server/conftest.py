"""Fixtures of the server tests: fake vendor APIs on loopback (see ``serverkit``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serverkit import FakeApi, running_fake_api


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    yield from running_fake_api()


@pytest.fixture(scope="module")
def module_fake_api() -> Iterator[FakeApi]:
    yield from running_fake_api()
