"""Property: whatever bytes arrive under whatever supported name, ingest returns results."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_samples import make_docx, make_pdf

from screening.errors import InputError
from screening.ingest import IngestFailure, read_bytes
from screening.model.application import RawApplication
from screening.model.limits import Limits

NAMES = st.sampled_from(
    ["a.json", "a.yml", "a.yaml", "a.csv", "a.txt", "a.pdf", "a.docx", "a", "a.bin"]
)
PREFIXES = st.sampled_from(
    [
        b"",
        b"%PDF-1.4\n",
        b"PK\x03\x04",
        b"{",
        b'{"basics": ',
        b"basics:\n  name: ",
        b"name: ",
        b"name,emails,date_of_birth\n",
        b"name;resume_path\n",
        b"\xef\xbb\xbf",
    ]
)
SAMPLES = st.sampled_from(
    [make_pdf([["Jane Roe"]], info={"Author": "Jane Roe"}), make_docx(["Jane Roe"])]
)
LIMITS = Limits(document_timeout_seconds=2.0)


def check(results: list[RawApplication | IngestFailure]) -> None:
    assert isinstance(results, list)
    for item in results:
        assert isinstance(item, RawApplication | IngestFailure)
        if isinstance(item, IngestFailure):
            assert isinstance(item.error, InputError)
            assert item.error.lines()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, prefix=PREFIXES, body=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(name: str, prefix: bytes, body: bytes) -> None:
    check(read_bytes(prefix + body, name, LIMITS))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, prefix=PREFIXES, body=st.text(max_size=400))
def test_arbitrary_text_never_raises(name: str, prefix: bytes, body: str) -> None:
    check(read_bytes(prefix + body.encode("utf-8", "surrogatepass"), name, LIMITS))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=SAMPLES,
    name=st.sampled_from(["a.pdf", "a.docx"]),
    cut=st.integers(min_value=0, max_value=40_000),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
)
def test_damaged_documents_never_raise(
    sample: bytes, name: str, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(sample[: max(cut, 8)])
    for position, value in flips:
        data[position % len(data)] = value
    check(read_bytes(bytes(data), name, LIMITS))
