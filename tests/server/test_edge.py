"""The HTTP edge of ``screening serve``: slow headers are cut, connections past the cap get a
503 at once, and every log line is bounded JSON that quotes nothing from a request."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from serverkit import SECRETS, Server, base_config, secrets_env

from screening.testing import signed_delivery

pytestmark = pytest.mark.slow

CAP = 20


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("edge")
    config = base_config(
        tmp / "jobs.sqlite3", header_timeout_seconds=1.0, max_connections=CAP, workers=0
    )
    env = {**secrets_env(), "SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001"}
    srv = Server(tmp, config, env).start()
    yield srv
    srv.stop()


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sent before closing, or None when it kept the connection open."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        return None
    return data


def test_a_connection_that_never_finishes_its_headers_is_closed(edge: Server) -> None:
    sock = connect(edge)
    sock.sendall(b"POST /webhooks/greenhouse HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    started = time.monotonic()
    assert closed_within(sock, 5.0) is not None
    assert time.monotonic() - started < 4.0
    sock.close()
    assert edge.client.get("/healthz").status_code == 200


def test_connections_past_the_cap_get_503_and_real_deliveries_still_get_through(
    edge: Server,
) -> None:
    held = [connect(edge) for _ in range(CAP + 10)]
    try:
        # past the cap: 503 at once; within it (and the ones the kernel queued until a slot
        # freed): closed when the header deadline passes; none is held open
        answers = [closed_within(s, 3.0) for s in held]
        assert None not in answers
        refused = [a for a in answers if a]
        assert refused and all(a.startswith(b"HTTP/1.1 503") for a in refused)
    finally:
        for sock in held:
            sock.close()
    # the slow ones are gone; a real delivery is answered
    body, headers = signed_delivery("ashby", SECRETS["ashby"], {"action": "ping"})
    assert edge.client.post("/webhooks/ashby", content=body, headers=headers).status_code < 500


def test_log_lines_are_bounded_json_without_request_content(edge: Server) -> None:
    marker = "INJECTED-" + "x" * 5000
    body = json.dumps({marker: 1}).replace("}", f', "{marker}": 2}}').encode()
    response = edge.client.post(
        "/applications", content=body, headers={"Authorization": "Bearer test-api-token-0001"}
    )
    assert response.status_code == 400
    edge.client.get("/applications/" + marker, headers={"Authorization": "Bearer nope"})
    time.sleep(0.3)
    lines = edge.logs().splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)  # every line is one JSON object
        assert isinstance(record, dict)
        assert len(line) <= 2000
        assert "INJECTED" not in line
        assert "Traceback" not in line
