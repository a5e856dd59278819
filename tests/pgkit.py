"""A throwaway PostgreSQL database per test, on the server ``TEST_DATABASE_URL`` names
(``.ci/run`` sets it: CI always runs the PostgreSQL tests). Outside CI without the variable,
the PostgreSQL tests skip and say why. (Not ``SCREENING_...``: that prefix is the
configuration's, which refuses names it does not know.)"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "TEST_DATABASE_URL"


def base_url() -> str:
    url = os.environ.get(ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{ENV} is not set: CI must run the PostgreSQL tests")
        pytest.skip(f"{ENV} is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def throwaway_database() -> Iterator[str]:
    """A new, empty database; dropped afterwards (even while something is connected)."""
    psycopg = pytest.importorskip("psycopg")
    url = base_url()
    name = f"screening_test_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
