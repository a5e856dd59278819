"""Webhook signatures: each documented scheme accepts its own deliveries and nothing else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.ingest.ats import VENDORS
from screening.ingest.ats.vendor import SignatureError, Signed
from screening.server.receivers import HttpProblem, Receivers
from screening.store.jobs import SqliteJobs
from screening.testing import signed_delivery

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "whsec-fixture-0001"


def by_header(vendor: str) -> Callable[[str, Mapping[str, str], bytes], None]:
    def verify(secret: str, headers: Mapping[str, str], body: bytes) -> None:
        VENDORS[vendor].verify(secret, Signed(headers, body, {}, time.time(), 300))

    return verify


verify_greenhouse = by_header("greenhouse")
verify_ashby = by_header("ashby")
verify_workable = by_header("workable")


def verify_lever(
    secret: str,
    envelope: Mapping[str, object],
    max_age: float,
    clock: Callable[[], float] = time.time,
) -> None:
    VENDORS["lever"].verify(secret, Signed({}, b"", envelope, clock(), max_age))


def fixtures(vendor: str) -> list[Path]:
    """The vendor's webhook examples (``<vendor>-api-*.json`` are answers of its API)."""
    return sorted(p for p in PAYLOADS.glob(f"{vendor}-*.json") if "-api-" not in p.name)


def test_rotation_accepts_the_previous_secret_until_it_is_removed(tmp_path: Path) -> None:
    from screening.config import load_settings
    from screening.server.options import ServerOptions

    env = {
        "SCREENING_SERVER__ASHBY__SECRET": "new-secret",
        "SCREENING_SERVER__ASHBY__PREVIOUS_SECRET": "old-secret",
        "SCREENING_STORE__PATH": str(tmp_path / "db.sqlite3"),
    }
    settings, _ = load_settings(None, env)
    options = ServerOptions.from_settings(settings)
    access = options.vendors["ashby"]
    assert access.secrets == ("new-secret", "old-secret")
    assert access.replay_window_seconds == VENDORS["ashby"].replay_window_seconds
    store = SqliteJobs(tmp_path / "db.sqlite3")
    receivers = Receivers(options, store, lambda: None)
    data = json.loads((PAYLOADS / "ashby-application-submit.json").read_text())
    for n, secret in enumerate(("new-secret", "old-secret")):
        data["webhookActionId"] = f"delivery-{n}"
        body, headers = signed_delivery("ashby", secret, data)
        lower = {k.lower(): v for k, v in headers.items()}
        assert receivers.vendor("ashby", access.secrets, lower, body).body["status"] in (
            "queued",
            "duplicate",
        )
    body, headers = signed_delivery("ashby", "retired-secret", data)
    with pytest.raises(HttpProblem) as refused:
        receivers.vendor("ashby", access.secrets, {k.lower(): v for k, v in headers.items()}, body)
    assert refused.value.status_code == 401
    store.close()


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_every_vendor_verifies_its_documented_example_signed_as_documented(vendor: str) -> None:
    description = VENDORS[vendor]
    examples = fixtures(vendor)
    assert examples, f"no fixture tests/server/payloads/{vendor}-*.json"
    for path in examples:
        data = json.loads(path.read_text(encoding="utf-8"))
        now = time.time()
        body, headers = signed_delivery(vendor, SECRET, data, now=now)
        lower = {k.lower(): v for k, v in headers.items()}
        envelope = json.loads(body) if description.signed_in_body else {}
        description.verify(SECRET, Signed(lower, body, envelope, now, 300))
        with pytest.raises(SignatureError):
            description.verify("another-secret", Signed(lower, body, envelope, now, 300))


def mac(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def test_greenhouse_signs_the_whole_raw_body_with_a_space_separated_header() -> None:
    body = (PAYLOADS / "greenhouse-application-created.json").read_bytes()
    verify_greenhouse(SECRET, {"signature": "sha256 " + mac(SECRET, body).hex()}, body)


def test_greenhouse_escaped_unicode_is_hashed_as_sent_not_as_decoded() -> None:
    body = b'{"action":"x","payload":{"note":"\\u003cp\\u003ehi"}}'
    header = {"signature": "sha256 " + mac(SECRET, body).hex()}
    verify_greenhouse(SECRET, header, body)
    reencoded = json.dumps(json.loads(body), ensure_ascii=False).encode()
    with pytest.raises(SignatureError):
        verify_greenhouse(SECRET, header, reencoded)


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"signature": ""},
        {"signature": "sha256=" + "0" * 64},
        {"signature": "sha1 " + "0" * 40},
        {"signature": "sha256 " + "0" * 64},
    ],
)
def test_greenhouse_refuses_missing_malformed_and_wrong_signatures(header: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        verify_greenhouse(SECRET, header, b"{}")


def test_greenhouse_header_is_read_exactly_as_documented() -> None:
    """One space between algorithm and digest, lowercase hex: other spellings are refused even
    when they carry the right digest."""
    digest = mac(SECRET, b"{}").hex()
    verify_greenhouse(SECRET, {"signature": f"sha256 {digest}"}, b"{}")
    for spelling in (f"sha256  {digest}", f"sha256\t{digest}", f"SHA256 {digest}", digest.upper()):
        with pytest.raises(SignatureError, match="must read"):
            verify_greenhouse(SECRET, {"signature": spelling}, b"{}")


def test_ashby_header_is_sha256_equals_hex_of_the_raw_body() -> None:
    body = (PAYLOADS / "ashby-application-submit.json").read_bytes()
    digest = mac(SECRET, body).hex()
    verify_ashby(SECRET, {"ashby-signature": f"sha256={digest}"}, body)
    for wrong in (f"sha256 {digest}", digest, f"sha256={digest[:-1]}0"):
        with pytest.raises(SignatureError):
            verify_ashby(SECRET, {"ashby-signature": wrong}, body)
    with pytest.raises(SignatureError, match="missing Ashby-Signature"):
        verify_ashby(SECRET, {}, body)


def test_workable_accepts_both_canonical_encodings_of_the_digest() -> None:
    body = (PAYLOADS / "workable-candidate-created.json").read_bytes()
    digest = mac(SECRET, body)
    verify_workable(SECRET, {"x-workable-signature": digest.hex()}, body)
    verify_workable(SECRET, {"x-workable-signature": base64.b64encode(digest).decode()}, body)
    unpadded_urlsafe = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    for wrong in (mac("other", body).hex(), unpadded_urlsafe, "sha256=" + digest.hex()):
        with pytest.raises(SignatureError):
            verify_workable(SECRET, {"x-workable-signature": wrong}, body)


def lever_fixture() -> dict[str, object]:
    data: dict[str, object] = json.loads((PAYLOADS / "lever-application-created.json").read_text())
    return data


def test_lever_fixture_verifies_with_its_token_at_delivery_time() -> None:
    envelope = lever_fixture()
    at = int(str(envelope["triggeredAt"])) / 1000
    verify_lever("fixture-lever-signature-token", envelope, 300, clock=lambda: at + 5)


def test_lever_signs_token_and_timestamp_not_the_data() -> None:
    envelope = lever_fixture()
    at = int(str(envelope["triggeredAt"])) / 1000
    key = "fixture-lever-signature-token"
    verify_lever(key, {**envelope, "data": {"opportunityId": "x"}}, 300, clock=lambda: at)
    for changed in ({"token": "other"}, {"triggeredAt": int(at * 1000) + 1}):
        with pytest.raises(SignatureError, match="does not match"):
            verify_lever(key, {**envelope, **changed}, 300, clock=lambda: at)


@pytest.mark.parametrize("offset", [-301.0, 301.0, 86400.0])
def test_lever_refuses_stale_and_future_deliveries(offset: float) -> None:
    envelope = lever_fixture()
    at = int(str(envelope["triggeredAt"])) / 1000
    with pytest.raises(SignatureError, match="stale delivery"):
        verify_lever("fixture-lever-signature-token", envelope, 300, clock=lambda: at + offset)


@pytest.mark.parametrize(
    "change",
    [
        {"signature": None},
        {"token": ""},
        {"triggeredAt": "1711561844000"},
        {"triggeredAt": True},
        {"triggeredAt": 10**400},  # once an OverflowError (HTTP 500)
        {"triggeredAt": -1},
    ],
)
def test_lever_refuses_missing_or_mistyped_fields(change: dict[str, object]) -> None:
    with pytest.raises(SignatureError):
        verify_lever("fixture-lever-signature-token", {**lever_fixture(), **change}, 300)


@given(secret=st.text(min_size=1, max_size=40), body=st.binary(max_size=300), flip=st.integers())
def test_any_body_verifies_with_its_own_signature_and_fails_when_one_byte_changes(
    secret: str, body: bytes, flip: int
) -> None:
    hex_digest = mac(secret, body).hex()
    verify_greenhouse(secret, {"signature": f"sha256 {hex_digest}"}, body)
    verify_ashby(secret, {"ashby-signature": f"sha256={hex_digest}"}, body)
    verify_workable(secret, {"x-workable-signature": hex_digest}, body)
    if body:
        i = flip % len(body)
        tampered = body[:i] + bytes([body[i] ^ 1]) + body[i + 1 :]
        with pytest.raises(SignatureError):
            verify_greenhouse(secret, {"signature": f"sha256 {hex_digest}"}, tampered)
        with pytest.raises(SignatureError):
            verify_workable(secret, {"x-workable-signature": hex_digest}, tampered)


@given(presented=st.text(max_size=100))
def test_arbitrary_header_text_is_refused_without_crashing(presented: str) -> None:
    with pytest.raises(SignatureError):
        verify_greenhouse(SECRET, {"signature": presented}, b"{}")
    with pytest.raises(SignatureError):
        verify_workable(SECRET, {"x-workable-signature": presented}, b"{}")


def smartrecruiters_vector() -> dict[str, Any]:
    path = PAYLOADS / "smartrecruiters-api-signature-test-vector.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_the_published_smartrecruiters_test_vector_verifies() -> None:
    vector = smartrecruiters_vector()
    body = vector["raw_body"].encode()
    at = int(vector["headers"]["smartrecruiters-timestamp"])
    verify = VENDORS["smartrecruiters"].verify
    verify(vector["secret_key"], Signed(vector["headers"], body, {}, at + 10, 300))
    assert body == (PAYLOADS / "smartrecruiters-application-created.json").read_bytes().strip()
    # one byte of the body, a signed header, or the time window: each is checked
    with pytest.raises(SignatureError, match="no v1 signature"):
        verify(vector["secret_key"], Signed(vector["headers"], body + b" ", {}, at, 300))
    moved = {**vector["headers"], "link": "<http://smartrecruiters.com/other>; rel=self"}
    with pytest.raises(SignatureError, match="no v1 signature"):
        verify(vector["secret_key"], Signed(moved, body, {}, at, 300))
    with pytest.raises(SignatureError, match="stale delivery"):
        verify(vector["secret_key"], Signed(vector["headers"], body, {}, at + 301, 300))


def test_smartrecruiters_accepts_any_v1_entry_during_a_key_change() -> None:
    vector = smartrecruiters_vector()
    headers = dict(vector["headers"])
    good = headers["smartrecruiters-signature"]
    headers["smartrecruiters-signature"] = f"v1={'0' * 64};{good}"
    at = int(headers["smartrecruiters-timestamp"])
    body = vector["raw_body"].encode()
    VENDORS["smartrecruiters"].verify(vector["secret_key"], Signed(headers, body, {}, at, 300))
    headers["smartrecruiters-signature"] = f"v2={good[3:]}"
    with pytest.raises(SignatureError):
        VENDORS["smartrecruiters"].verify(vector["secret_key"], Signed(headers, body, {}, at, 300))


def test_teamtailor_v2_signs_timestamp_and_body_and_v1_is_refused() -> None:
    body = (PAYLOADS / "teamtailor-job-application-create.json").read_bytes()
    at = 1_800_000_000
    mac_hex = hmac.new(SECRET.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    header = base64.b64encode(f"t={at},v2={mac_hex}".encode()).decode()
    verify = VENDORS["teamtailor"].verify
    verify(SECRET, Signed({"tt-signature": header}, body, {}, at + 60, 300))
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, Signed({"tt-signature": header}, body + b"\n", {}, at, 300))
    with pytest.raises(SignatureError, match="stale"):
        verify(SECRET, Signed({"tt-signature": header}, body, {}, at + 301, 300))
    v1 = base64.b64encode(
        hmac.new(SECRET.encode(), b"40412345", hashlib.sha256).hexdigest().encode()
    )
    with pytest.raises(SignatureError, match="not a v2 signature"):
        verify(SECRET, Signed({"tt-signature": v1.decode()}, body, {}, at, 300))
    with pytest.raises(SignatureError, match="not base64"):
        verify(SECRET, Signed({"tt-signature": "t=1,v2=" + mac_hex}, body, {}, at, 300))


def test_recruitee_signs_the_raw_body_in_hex() -> None:
    body = (PAYLOADS / "recruitee-candidate-created.json").read_bytes()
    verify = VENDORS["recruitee"].verify
    verify(SECRET, Signed({"x-recruitee-signature": mac(SECRET, body).hex()}, body, {}, 0, 300))
    with pytest.raises(SignatureError):
        verify(SECRET, Signed({"x-recruitee-signature": mac("x", body).hex()}, body, {}, 0, 300))
