"""Hostile input to every reader: a result or one clear error naming the field, within the
budget, never another exception (no traceback, no Python internals in a message)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.errors import InputError
from screening.ingest import IngestFailure, from_mapping, read_bytes, read_path
from screening.ingest.ats import VENDORS, read_event, to_application
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.safeload import MAX_NUMBER_CHARS, LoadError, load_json, load_yaml

BUDGET_SECONDS = 5.0
INTERNALS = ("set_int_max_str_digits", "Traceback", "Error(", "object at 0x")
HOSTILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

huge_numbers = st.one_of(
    st.builds(
        lambda digit, n, sign: sign + digit * n,
        st.sampled_from("123456789"),
        st.integers(min_value=MAX_NUMBER_CHARS + 1, max_value=6000),
        st.sampled_from(["", "-"]),
    ),
    st.sampled_from(["1e400", "-1e400", "9" * 4301, "1" + "0" * 400 + ".5", "NaN", "Infinity"]),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def assert_clear(message: str) -> None:
    assert message.strip()
    for internal in INTERNALS:
        assert internal not in message


def with_number(doc: object, number: str) -> str:
    """``doc`` as JSON with a marker replaced by a raw number text."""
    return json.dumps({"name": "Ana Lima", "x": doc, "n": "@@"}).replace('"@@"', number)


@HOSTILE
@given(doc=json_values, number=huge_numbers)
def test_json_numbers_out_of_bounds_are_a_problem_naming_the_field(
    doc: object, number: str
) -> None:
    with pytest.raises(LoadError) as caught:
        load_json(with_number(doc, number))
    assert any(p.field == "n" for p in caught.value.problems)
    assert_clear(str(caught.value))


@HOSTILE
@given(doc=json_values, number=huge_numbers)
def test_yaml_numbers_out_of_bounds_never_raise_anything_else(doc: object, number: str) -> None:
    text = with_number(doc, number)
    try:
        load_yaml(text)
    except LoadError as exc:
        assert_clear(str(exc))


def check(results: list[RawApplication | IngestFailure]) -> None:
    for item in results:
        if isinstance(item, IngestFailure):
            assert item.error.lines()
            for line in item.error.lines():
                assert_clear(line)


@HOSTILE
@given(doc=json_values, number=huge_numbers, name=st.sampled_from(["a.json", "a.yml"]))
def test_an_application_file_with_a_huge_number_is_one_clear_error(
    doc: object, number: str, name: str
) -> None:
    started = time.monotonic()
    results = read_bytes(with_number(doc, number).encode(), name)
    assert time.monotonic() - started < BUDGET_SECONDS
    assert len(results) == 1 and isinstance(results[0], IngestFailure)
    check(results)


@HOSTILE
@given(vendor=st.sampled_from(sorted(VENDORS)), envelope=json_values)
def test_webhook_envelopes_read_or_fail_with_input_error(vendor: str, envelope: Any) -> None:
    if not isinstance(envelope, dict):
        envelope = {"data": envelope, "payload": envelope, "action": "application_created"}
    try:
        event = read_event(vendor, envelope)
    except InputError as exc:
        for line in exc.lines():
            assert_clear(line)
        return
    try:
        to_application(vendor, event.record, event.our_id or "x-1", Limits())
    except InputError as exc:
        for line in exc.lines():
            assert_clear(line)


@HOSTILE
@given(data=st.dictionaries(st.sampled_from(["name", "location", "emails", "id"]), json_values))
def test_native_mappings_validate_or_fail_naming_fields(data: dict[str, Any]) -> None:
    try:
        from_mapping(data, "x")
    except InputError as exc:
        assert exc.problems
        for line in exc.lines():
            assert_clear(line)


# -- CSV: never lose or merge a row -------------------------------------------------------------

cell = st.text(alphabet=st.sampled_from(list('ab ",\n;')), max_size=8)


@HOSTILE
@given(rows=st.lists(st.lists(cell, min_size=2, max_size=2), min_size=1, max_size=8))
def test_csv_with_any_quoting_never_merges_rows(rows: list[list[str]]) -> None:
    """Every data line that holds a plain name comes back as its own row, whatever the quotes
    elsewhere do; no name read spans two lines."""
    lines = ["name,emails"] + [f"Person{i} Lima,{a}{b}" for i, (a, b) in enumerate(rows)]
    results = read_bytes(("\n".join(lines) + "\n").encode(), "e.csv")
    check(results)
    names = [r.data.name for r in results if isinstance(r, RawApplication)]
    assert all("\n" not in n for n in names)
    # each plain line is read on its own or failed on its own: none is absorbed into another
    assert len(results) >= sum(1 for a, b in rows if '"' not in a + b and "\n" not in a + b)


@pytest.mark.parametrize(
    ("body", "names", "failed_rows"),
    [
        # a stray quote: the row with it fails; the rows after it are read
        ('"Bob" Smith,bob@example.com\n', ["Ana Lima", "Cid Ray", "Dee Fox"], ["row 3"]),
        # an unterminated quote: it would swallow every row after it
        ('"Bob Smith,bob@example.com\n', ["Ana Lima", "Cid Ray", "Dee Fox"], ["row 3"]),
    ],
)
def test_malformed_quoting_fails_one_row_and_keeps_the_others(
    body: str, names: list[str], failed_rows: list[str]
) -> None:
    text = (
        f"name,emails\nAna Lima,ana@example.com\n{body}"
        "Cid Ray,cid@example.com\nDee Fox,d@example.com\n"
    )
    results = read_bytes(text.encode(), "e.csv")
    assert [r.data.name for r in results if isinstance(r, RawApplication)] == names
    failures = [r for r in results if isinstance(r, IngestFailure)]
    assert [f.origin.rsplit(":", 1)[1] for f in failures] == failed_rows
    assert "malformed CSV quoting at line 3" in failures[0].error.lines()[0]
    assert "emails" in failures[0].error.lines()[0] or "name" in failures[0].error.lines()[0]


def test_a_quoted_value_that_swallows_rows_is_an_error_and_the_rows_are_read() -> None:
    text = (
        'name,emails\nAna Lima,"ana@example.com\nBob Smith,bob@example.com\n'
        'Cid Ray,cid@example.com"\nDee Fox,d@example.com\n'
    )
    results = read_bytes(text.encode(), "e.csv")
    failure = results[0]
    assert isinstance(failure, IngestFailure)
    assert failure.error.lines() == [
        "e.csv:row 2: emails: malformed CSV quoting at line 2: a quoted value runs over several "
        "lines (a stray or unterminated quote?); this row was not read and reading resumed on "
        "the next line"
    ]
    names = [r.data.name for r in results if isinstance(r, RawApplication)]
    assert names == ["Bob Smith", "Dee Fox"]
    # the line holding the closing quote is reported on its own, not read as a row
    closing = results[2]
    assert isinstance(closing, IngestFailure)
    assert (
        "row 4: emails: malformed CSV quoting at line 4: a stray quote" in closing.error.lines()[0]
    )


def test_a_name_that_spans_lines_is_a_quoting_error() -> None:
    text = 'name,emails\n"Ana\nLima",ana@example.com\nDee Fox,d@example.com\n'
    results = read_bytes(text.encode(), "e.csv")
    assert isinstance(results[0], IngestFailure)
    assert "e.csv:row 2: name: malformed CSV quoting at line 2" in results[0].error.lines()[0]
    assert [r.data.name for r in results if isinstance(r, RawApplication)] == ["Dee Fox"]
    assert "row 3: name: malformed CSV quoting at line 3: a stray quote" in (
        results[1].error.lines()[0] if isinstance(results[1], IngestFailure) else ""
    )


def test_a_multi_line_note_is_still_one_cell() -> None:
    text = 'name,interview_notes\nAna Lima,"good call\nasked about the team"\nDee Fox,ok\n'
    results = read_bytes(text.encode(), "e.csv")
    assert [r.data.name for r in results if isinstance(r, RawApplication)] == [
        "Ana Lima",
        "Dee Fox",
    ]


# -- the small ones ---------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["../../etc/passwd", "Europe/Lis\x00bon", "x" * 10_000, "/etc/x"])
def test_a_time_zone_that_is_not_an_iana_name_is_an_input_error(zone: str) -> None:
    with pytest.raises(InputError) as caught:
        from_mapping({"name": "Ana Lima", "location": {"timezone": zone}}, "a.json")
    assert caught.value.lines() == [
        "a.json: location.timezone: expected an IANA time zone name such as 'Europe/Lisbon'"
    ]


@pytest.mark.parametrize("name", [12345, "12345", "--- !!!", "4.2"])
def test_a_name_without_letters_is_an_input_error(name: object) -> None:
    with pytest.raises(InputError, match="name: a name needs at least one letter"):
        from_mapping({"name": name}, "a.json")


@pytest.mark.parametrize("name", ["김민준", "Ли Вэй", "محمد علي", "O'Neil 3rd"])
def test_names_in_any_script_have_letters(name: str) -> None:
    assert from_mapping({"name": name}, "a.json").data.name == name


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_devices_are_not_regular_files(path: str) -> None:
    [failure] = read_path(Path(path))
    assert isinstance(failure, IngestFailure)
    assert "not a regular file" in failure.error.lines()[0]


def test_a_fifo_and_a_directory_are_not_regular_files(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        [failure] = read_path(path)
        assert isinstance(failure, IngestFailure)
        assert "not a regular file" in failure.error.lines()[0]
