"""Fixtures for the network analyzer tests: a loopback DNS server serving the test zone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dnszone import ZoneServer, good_zone


@pytest.fixture
def zone() -> Iterator[ZoneServer]:
    """The test zone on 127.0.0.1 (fresh per test, so query counts start at zero)."""
    with ZoneServer(good_zone()) as server:
        yield server
