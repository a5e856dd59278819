"""The server's OpenAPI schema drives a fuzz (schemathesis): no generated request gets a 500.

Every operation is called with generated parameters and bodies, authenticated (a bearer token
for the API, a valid vendor signature for the webhooks, so that fuzzed bodies reach the parsing
behind the signature check) and unauthenticated. ``503`` is an allowed answer (a full queue or
too many connections); any other 5xx fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from serverkit import SECRETS, TOKEN, Server, base_config, secrets_env

from screening.ingest.ats import VENDORS
from screening.testing import signed_delivery

schemathesis = pytest.importorskip("schemathesis")
pytestmark = pytest.mark.slow

EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("fuzz")
    env = {**secrets_env(), "SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001"}
    srv = Server(tmp, base_config(tmp / "jobs.sqlite3", workers=1), env).start()
    yield srv
    srv.stop()


def fuzz(server: Server, examples: int = EXAMPLES) -> tuple[int, list[str]]:
    """Calls made and the server errors seen, over every operation of the schema."""
    base = f"http://127.0.0.1:{server.port}"
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    calls, errors = 0, []
    for result in schema.get_all_operations():
        made, seen = _fuzz_operation(server, result.ok(), examples)
        calls += made
        errors += seen
    return calls, errors


def _fuzz_operation(server: Server, operation: Any, examples: int) -> tuple[int, list[str]]:
    base = f"http://127.0.0.1:{server.port}"
    path = operation.path
    vendor = path.rsplit("/", 1)[-1] if path.startswith("/webhooks/") else ""
    calls = 0
    errors: list[str] = []

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        nonlocal calls
        answers = [case.call(base_url=base)]  # as generated: mostly refused
        if vendor in VENDORS:
            data = case.body if isinstance(case.body, dict) else {"payload": case.body}
            body, headers = signed_delivery(vendor, SECRETS[vendor], json.loads(json.dumps(data)))
            answers.append(server.client.post(path, content=body, headers=headers))
        else:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
            answers.append(case.call(base_url=base))
        for answer in answers:
            calls += 1
            if answer.status_code >= 500 and answer.status_code != 503:
                errors.append(f"{operation.label}: {answer.status_code} {answer.text[:200]}")

    call()
    return calls, errors


def test_no_generated_request_gets_a_server_error(fuzzed: Server) -> None:
    calls, errors = fuzz(fuzzed)
    assert calls >= 300
    assert errors == []
    assert fuzzed.client.get("/healthz").status_code == 200
