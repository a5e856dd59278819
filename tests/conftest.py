"""Test-wide isolation (no test touches the user's real history store or lists, nor the network)
and a static file server on loopback for the download tests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from dnszone import ZoneServer, good_zone
from loopback import FileServer, _Files


@pytest.fixture(autouse=True)
def _own_history_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("SCREENING_STORE__PATH", str(root / "history.sqlite3"))
    monkeypatch.setenv("SCREENING_LISTS__DIR", str(root / "lists"))
    # offline unless a test says otherwise: no test may query the system's resolver or the
    # internet (the network tests run their own servers on loopback and say so)
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")


@pytest.fixture()
def file_server() -> Iterator[FileServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    httpd.files = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield FileServer(f"http://127.0.0.1:{httpd.server_address[1]}", httpd)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def zone() -> Iterator[ZoneServer]:
    """The test DNS zone on 127.0.0.1 (fresh per test, so query counts start at zero)."""
    with ZoneServer(good_zone()) as server:
        yield server


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (see ``pgkit``); skipped with the reason when there is
    no test server outside CI."""
    from pgkit import throwaway_database

    yield from throwaway_database()
