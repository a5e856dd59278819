"""Online line types from Twilio Lookup v2, against a real HTTP server on loopback.

The server answers in the documented response format: line_type_intelligence objects, error
bodies with Twilio error codes, 401 for bad credentials, 404, 429 with Retry-After, 5xx, and an
answer slower than the client's timeout. Numbers are 555-01xx fiction numbers.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from netsupport import app, records

from screening.analyze.base import AnalysisContext
from screening.analyze.common.lookupcache import LookupCache
from screening.analyze.phone_lines import LookupFailed, PhoneLineAnalyzer, TwilioLineTypes
from screening.model.facts import CheckStatus

CTX = AnalysisContext()
SID, TOKEN = "AC00000000000000000000000000000000", "test-token-not-a-secret"
MOBILE, VOIP, LANDLINE = "+15125550101", "+15125550102", "+15125550103"
UNKNOWN, LIMITED, BROKEN, SLOW, COVERAGE = (
    "+15125550104",
    "+15125550105",
    "+15125550106",
    "+15125550107",
    "+15125550108",
)
LINE = {
    MOBILE: ("mobile", "Example Wireless"),
    VOIP: ("nonFixedVoip", "Example Voice - SVR"),
    LANDLINE: ("landline", "Example Telephone"),
}


class Twilio(BaseHTTPRequestHandler):
    """Answers GET /v2/PhoneNumbers/{number}?Fields=line_type_intelligence like Twilio."""

    requests: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _error(self, status: int, code: int, message: str, **headers: str) -> None:
        body = {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        self._send(status, body, headers)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        number = unquote(parts.path.rsplit("/", 1)[-1])
        type(self).requests.append(number)
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self._error(401, 20003, "Authenticate")
        if parse_qs(parts.query).get("Fields") != ["line_type_intelligence"]:
            return self._error(400, 60200, "Invalid parameter")
        if number == UNKNOWN:
            return self._error(404, 20404, "The requested resource was not found")
        if number == LIMITED:
            return self._error(429, 20429, "Too Many Requests", **{"Retry-After": "30"})
        if number == BROKEN:
            return self._error(503, 20500, "Service unavailable")
        if number == SLOW:
            time.sleep(1.5)
        info: dict[str, object]
        if number == COVERAGE:
            info = {
                "error_code": 60600,
                "type": None,
                "carrier_name": None,
                "mobile_country_code": None,
                "mobile_network_code": None,
            }
        else:
            kind, carrier = LINE.get(number, ("mobile", "Example Wireless"))
            info = {
                "error_code": None,
                "type": kind,
                "carrier_name": carrier,
                "mobile_country_code": "313",
                "mobile_network_code": "981",
            }
        self._send(
            200,
            {
                "calling_country_code": "1",
                "country_code": "US",
                "phone_number": number,
                "national_format": "(512) 555-0101",
                "valid": True,
                "validation_errors": [],
                "caller_name": None,
                "sim_swap": None,
                "call_forwarding": None,
                "line_type_intelligence": info,
                "url": f"https://lookups.twilio.com/v2/PhoneNumbers/{number}",
            },
        )


@pytest.fixture
def twilio() -> Iterator[str]:
    Twilio.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Twilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def provider(twilio: str) -> Iterator[TwilioLineTypes]:
    client = TwilioLineTypes(SID, TOKEN, base_url=twilio, timeout=0.5)
    yield client
    client.close()


def line(result: object, e164: str) -> dict[str, object]:
    found = {str(r["e164"]): r for r in records(result, "phone_lines")}  # type: ignore[arg-type]
    return found[e164]


def test_line_types_from_the_documented_api(provider: TwilioLineTypes) -> None:
    result = PhoneLineAnalyzer(provider).analyze(app(phones=[MOBILE, VOIP, LANDLINE]), CTX)
    assert line(result, VOIP) == {
        "e164": VOIP,
        "line_type": "nonFixedVoip",
        "carrier_name": "Example Voice - SVR",
        "virtual": True,
        "line_type_source": "provider",
        "lookup_error": None,
    }
    assert line(result, MOBILE)["virtual"] is False
    assert line(result, LANDLINE)["line_type"] == "landline"
    assert result.missing == {} and result.reason == ""


def test_errors_become_reasons_and_the_numbering_plan_answers(provider: TwilioLineTypes) -> None:
    result = PhoneLineAnalyzer(provider).analyze(
        app(phones=[UNKNOWN, BROKEN, SLOW, COVERAGE, MOBILE]), CTX
    )
    assert result.status is CheckStatus.OK
    assert "HTTP 404, Twilio error 20404" in str(line(result, UNKNOWN)["lookup_error"])
    assert "server error (HTTP 503" in str(line(result, BROKEN)["lookup_error"])
    assert "did not answer within 0.5 s" in str(line(result, SLOW)["lookup_error"])
    assert "error 60600" in str(line(result, COVERAGE)["lookup_error"])
    slow = line(result, SLOW)
    assert slow["line_type"] is None and slow["line_type_source"] == "numbering_plan"
    assert slow["virtual"] is False
    assert line(result, MOBILE)["line_type"] == "mobile"
    assert "failed for 4 of 5 numbers" in result.missing["phone_lines.line_type"]


def test_a_rate_limit_pauses_further_lookups(provider: TwilioLineTypes) -> None:
    analyzer = PhoneLineAnalyzer(provider)
    first = analyzer.analyze(app(phones=[LIMITED, MOBILE]), CTX)
    assert "retry after 30 s" in str(line(first, LIMITED)["lookup_error"])
    assert "not looked up: Twilio rate limit" in str(line(first, MOBILE)["lookup_error"])
    asked = len(Twilio.requests)
    again = analyzer.analyze(app(phones=[VOIP]), CTX)
    assert len(Twilio.requests) == asked  # still paused: Twilio is not asked again
    assert line(again, VOIP)["line_type_source"] == "numbering_plan"


def test_rejected_credentials_are_a_reason_not_a_crash(twilio: str) -> None:
    wrong = TwilioLineTypes(SID, "wrong-token", base_url=twilio, timeout=0.5)
    try:
        result = PhoneLineAnalyzer(wrong).analyze(app(phones=[MOBILE, VOIP]), CTX)
    finally:
        wrong.close()
    assert "rejected the credentials (HTTP 401, Twilio error 20003)" in result.reason
    assert "wrong-token" not in result.reason and len(Twilio.requests) == 1
    with pytest.raises(LookupFailed, match="cannot reach Twilio"):
        TwilioLineTypes(SID, TOKEN, base_url="http://127.0.0.1:9", timeout=0.5).lookup(MOBILE)


def test_answers_are_cached_in_process_and_on_disk(twilio: str, tmp_path: Path) -> None:
    path = tmp_path / "phones.sqlite3"
    for _ in range(2):
        client = TwilioLineTypes(SID, TOKEN, base_url=twilio, timeout=0.5)
        analyzer = PhoneLineAnalyzer(client, LookupCache("phone_line_cache", path))
        result = analyzer.analyze(app(phones=[VOIP]), CTX)
        analyzer.analyze(app(phones=[VOIP]), CTX)
        client.close()
        assert line(result, VOIP)["line_type"] == "nonFixedVoip"
    assert Twilio.requests == [VOIP]


def test_lookups_per_application_are_capped(provider: TwilioLineTypes) -> None:
    phones = [f"+1512555010{i}" for i in (1, 2, 3)]
    result = PhoneLineAnalyzer(provider, max_lookups=2).analyze(app(phones=phones), CTX)
    assert "at most 2 lookups" in str(line(result, phones[2])["lookup_error"])
    assert len(Twilio.requests) == 2


def test_without_a_provider_the_numbering_plan_decides() -> None:
    result = PhoneLineAnalyzer().analyze(app(phones=["+44 56 0012 3456", MOBILE]), CTX)
    assert line(result, "+445600123456")["virtual"] is True
    assert line(result, MOBILE)["line_type_source"] == "numbering_plan"
    assert "online line-type lookup is off" in result.missing["phone_lines.line_type"]


def test_offline_mode_skips_a_configured_provider(provider: TwilioLineTypes) -> None:
    result = PhoneLineAnalyzer(provider, offline=True).analyze(app(phones=[MOBILE]), CTX)
    assert result.status is CheckStatus.SKIPPED and result.reason == "offline mode"
    assert Twilio.requests == []
    assert PhoneLineAnalyzer().analyze(app(phones=["call me"]), CTX).status is CheckStatus.SKIPPED
    # the report names only sources that were used: none, since the family was skipped
    assert PhoneLineAnalyzer(provider, offline=True).sources() == []
    online = [s.name for s in PhoneLineAnalyzer(provider).sources()]
    assert online[0].startswith("Twilio Lookup v2") and len(online) == 2
