"""Native application files (contract v1, YAML or JSON): values, errors with positions, limits."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from ingest_samples import lines, one_app, one_failure

from screening.errors import InputError, LimitError
from screening.ingest import from_mapping, read_bytes, read_path
from screening.model.limits import Limits

APPLICATION = """\
received_at: 2025-03-02T14:05:00Z
source: greenhouse
name: Jonathan Miller
aliases: [Jon Miller]
emails: [jon.miller.dev77@example.com]
phones: ["+1 555 010 2030"]
location: {country: us, region: TX, city: Austin, timezone: America/Chicago}
addresses:
  - {kind: home, line1: 12 Oak St, city: Austin, region: TX, postal_code: 78701, country: US}
  - {kind: shipping, line1: 9 Elm Rd, city: Reno, country: US}
links: [https://www.linkedin.com/in/jonmiller, https://github.com/jmiller-dev]
work_authorization: US citizen
citizenship: US
date_of_birth: 1990-04-02
resume: {text: "Jonathan Miller, senior engineer."}
cover_letter: {text: "I am excited to apply."}
skills: [Python, React]
employment:
  - employer: Acme Corp
    title: Senior Engineer
    start: 2019-01
    end: present
    website: acme.example
education:
  - {institution: State University, degree: BSc Computer Science, start: 2012, end: 2016}
references:
  - {name: Ann Lee, email: ann@acme.example, phone: "+1 555 010 9999", relationship: manager}
network:
  - {ip: 45.77.1.1, seen_at: 2025-03-02T14:05:00Z, context: application, utc_offset_minutes: 540}
payment: {method: bank, account_holder: Jonathan Miller, bank_country: US, wallets: [bc1qexample]}
interview_notes: ["Kept camera off, said the webcam was broken"]
messages: [{from: candidate, at: 2025-03-05T02:10:00Z, text: "Can you pay in USDT?"}]
photos: [{path: photo.jpg}]
devices: [{hostname: laptop-7, remote_access_tools: [AnyDesk]}]
"""


def test_yaml_application_maps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "gh-4412.yml"
    path.write_text(APPLICATION, encoding="utf-8")
    raw = one_app(read_path(path))
    app = raw.data
    assert raw.origin == str(path)
    assert raw.format == "native"
    assert app.id == "gh-4412"  # the file's stem
    assert app.received_at == dt.datetime(2025, 3, 2, 14, 5, tzinfo=dt.UTC)
    assert app.name == "Jonathan Miller"
    assert app.location is not None and app.location.country == "US"
    assert app.addresses[0].postal_code == "78701"
    assert app.addresses[1].kind == "shipping"
    assert app.employment[0].start == "2019-01"
    assert app.employment[0].end == "present"
    assert app.education[0].start == "2012"
    assert app.references[0].email == "ann@acme.example"
    assert app.network[0].utc_offset_minutes == 540
    assert app.payment is not None and app.payment.wallets == ["bc1qexample"]
    assert app.messages[0].sender == "candidate"
    assert app.photos[0].path == "photo.jpg"  # kept, not read
    assert [(d.kind, d.format, d.text) for d in raw.documents] == [
        ("resume", "text", "Jonathan Miller, senior engineer."),
        ("cover_letter", "text", "I am excited to apply."),
    ]


def test_json_application_keeps_its_own_id() -> None:
    data = json.dumps({"id": "ats-77", "name": "Ana Lima", "emails": ["ana@example.com"]})
    raw = one_app(read_bytes(data.encode(), "upload.json"))
    assert (raw.data.id, raw.data.emails, raw.origin) == (
        "ats-77",
        ["ana@example.com"],
        "upload.json",
    )


def test_structured_file_that_is_neither_format_gets_contract_errors() -> None:
    assert lines(read_bytes(b'{"title": "CV", "nom": "Ana"}', "odd.json")) == [
        "odd.json: title (line 1, column 11): unknown field",
        "odd.json: nom (line 1, column 24): unknown field (did you mean 'name'?)",
        "odd.json: name: required field is missing",
    ]
    assert lines(read_bytes(b"just some words\n", "odd.yml")) == [
        "odd.yml: (document): expected a mapping of application fields, got str"
    ]


def test_bom_is_accepted() -> None:
    assert one_app(read_bytes(b"\xef\xbb\xbfname: Ana Lima\n", "a.yml")).data.name == "Ana Lima"


def test_unknown_field_suggests_the_closest_one_with_its_position() -> None:
    text = b"name: Ana Lima\nemial: ana@example.com\nlocation:\n  cuntry: US\n"
    assert lines(read_bytes(text, "a.yml")) == [
        "a.yml: emial (line 2, column 8): unknown field (did you mean 'emails'?)",
        "a.yml: location.cuntry (line 4, column 11): unknown field (did you mean 'country'?)",
    ]


def test_wrong_types_name_the_path_and_the_expected_type() -> None:
    text = (
        b"name: Ana Lima\n"
        b"emails: ana@example.com\n"
        b"employment:\n"
        b"  - {employer: Acme, start: 2019-01}\n"
        b"  - {employer: Beta, start: 2020}\n"
        b"  - employer: Gamma\n"
        b"    start: last year\n"
    )
    assert lines(read_bytes(text, "a.yml")) == [
        "a.yml: emails (line 2, column 9): expected a list, got 'ana@example.com'",
        "a.yml: employment[2].start (line 7, column 12): "
        "expected a date like 2019, 2019-01 or 2019-01-15, got 'last year'",
    ]


def test_missing_name_points_at_no_line() -> None:
    assert lines(read_bytes(b"emails: [ana@example.com]\n", "a.yml")) == [
        "a.yml: name: required field is missing"
    ]


def test_json_errors_get_positions_too() -> None:
    text = b'{"name": "Ana",\n "employment": [{"employer": "X", "start": "soon"}],\n "emial": []}'
    assert lines(read_bytes(text, "a.json")) == [
        "a.json: employment[0].start (line 2, column 44): "
        "expected a date like 2019, 2019-01 or 2019-01-15, got 'soon'",
        "a.json: emial (line 3, column 11): unknown field (did you mean 'emails'?)",
    ]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.json", b'{"name": "Ana",\n "x": ]}',
         "a.json: (document) (line 2, column 7): not valid JSON: Expecting value"),
        ("a.yml", b"name: [Ana\nx: 1",
         "a.yml: (document) (line 2, column 2): not valid YAML: did not find expected ',' or ']'"),
        ("a.yml", b"name: Ana\nname: Bob\n",
         "a.yml: name (line 2, column 1): duplicate key 'name'"),
        ("a.yml", b"- a\n- b\n",
         "a.yml: (document): expected a mapping of application fields, got list"),
        ("a.yml", b"name: Ana\ncity: S\xe3o Paulo\n",
         "a.yml: (document): not valid UTF-8 text (byte 0xe3 at offset 17); "
         "save the file as UTF-8"),
        ("a.json", "{}".encode("utf-16"),
         "a.json: (document): not valid UTF-8 text (byte 0xff at offset 0); "
         "save the file as UTF-8"),
    ],
)  # fmt: skip
def test_unreadable_files_say_where(name: str, data: bytes, expected: str) -> None:
    assert lines(read_bytes(data, name)) == [expected]


def test_yaml_alias_bomb_is_refused() -> None:
    bomb = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n".encode()
    failure = one_failure(read_bytes(b"name: Ana\n" + bomb, "bomb.yml"))
    assert "YAML anchors and aliases are not allowed" in str(failure.error)


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_nesting_is_refused_without_crashing(opening: str) -> None:
    # Nested tens of thousands deep, this crashes PyYAML's C composer if it ever reaches it.
    data = (opening * 50_000).encode()
    failure = one_failure(read_bytes(data, "deep.yml"))
    assert isinstance(failure.error, LimitError)
    assert "nested deeper than 32 levels (limits.max_depth)" in str(failure.error)


def test_list_over_the_limit_names_the_field_and_the_limit() -> None:
    emails = "".join(f"  - a{i}@example.com\n" for i in range(250))
    data = f"name: Ana Lima\nemails:\n{emails}".encode()
    failure = one_failure(read_bytes(data, "a.yml"))
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        "a.yml: emails (line 3, column 3): 250 items, the limit is 100 (limits.max_list_items)"
    ]


def test_text_over_the_limit_names_the_field() -> None:
    data = b"name: Ana Lima\nresume:\n  text: " + b"x" * 2001 + b"\n"
    failure = one_failure(read_bytes(data, "a.yml", Limits(max_text_chars=2000)))
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        "a.yml: resume.text (line 3, column 9): 2001 characters, "
        "the limit is 2000 (limits.max_text_chars)"
    ]


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_bytes(b"name: Ana Lima\n" + b"#" * 2000)
    failure = one_failure(read_path(path, Limits(max_file_bytes=1000)))
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        f"{path}: (document): the file is 2015 bytes, the limit is 1000 (limits.max_file_bytes)"
    ]
    assert isinstance(
        one_failure(read_bytes(path.read_bytes(), "big.yml", Limits(max_file_bytes=1000))).error,
        LimitError,
    )


def test_missing_file_and_directory_are_failures_not_exceptions(tmp_path: Path) -> None:
    assert lines(read_path(tmp_path / "nope.yml")) == [
        f"{tmp_path / 'nope.yml'}: (document): cannot read the file: No such file or directory"
    ]
    assert lines(read_path(tmp_path)) == [f"{tmp_path}: (document): not a regular file"]
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)  # opening it would block forever
    assert lines(read_path(fifo)) == [f"{fifo}: (document): not a regular file"]


def test_from_mapping_validates_a_decoded_payload() -> None:
    raw = from_mapping({"name": "Ana Lima", "resume": {"text": "Ana's resume"}}, "webhook/ab-12")
    assert (raw.data.id, raw.origin, raw.documents[0].text) == (
        "ab-12",
        "webhook/ab-12",
        "Ana's resume",
    )
    with pytest.raises(InputError) as caught:
        from_mapping({"name": "Ana", "emails": "x", "resume": {"path": "cv.pdf"}}, "greenhouse-9")
    assert caught.value.lines() == [
        "greenhouse-9: emails: expected a list, got 'x'",
    ]
    with pytest.raises(InputError) as caught:
        from_mapping({"name": "Ana", "resume": {"path": "cv.pdf"}}, "greenhouse-9")
    assert caught.value.lines() == [
        "greenhouse-9: resume.path: file paths are not allowed in this input (it has no folder "
        "to resolve them in); give the document's text instead"
    ]


def test_from_mapping_applies_limits() -> None:
    with pytest.raises(LimitError) as caught:
        from_mapping({"name": "Ana", "skills": ["x"] * 101}, "hook")
    assert caught.value.lines() == [
        "hook: skills: 101 items, the limit is 100 (limits.max_list_items)"
    ]


def test_from_mapping_survives_a_cyclic_mapping() -> None:
    loop: dict[str, object] = {"name": "Ana"}
    loop["payment"] = loop
    with pytest.raises(LimitError, match="nested deeper than 32 levels"):
        from_mapping(loop, "hook")
