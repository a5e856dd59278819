"""Test-wide isolation: no test reads or writes the user's real history store or lists."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_history_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("SCREENING_STORE__PATH", str(root / "history.sqlite3"))
    monkeypatch.setenv("SCREENING_LISTS__DIR", str(root / "lists"))
