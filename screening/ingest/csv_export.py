"""Stage 1 of 6 (ingest): a CSV export, one application per row (columns documented in docs/csv.md).

Why rows fail alone: exports from an ATS or a spreadsheet are long and some rows are always
wrong; one bad date must not cost the other applicants their screening. Header problems
(an unknown or duplicated column, no ``name`` column) fail the whole file, because every row
would be misread. Rows are numbered as a spreadsheet shows them: the header is row 1.

The delimiter (comma, semicolon or tab) is read from the header line, whose cells are plain
column names, which is more dependable than sniffing data rows. The csv module's global field
limit is raised to the size of the text at hand (itself capped by ``limits.max_file_bytes``) so a
long cell can never desynchronise the parser; each cell is then held to ``limits.max_text_chars``
here, failing only its row.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path

from screening.errors import InputError, LimitError, Problem
from screening.ingest.attachments import attach_documents
from screening.ingest.detect import CSV_COLUMNS, InputFormat, sniff_delimiter
from screening.ingest.failure import IngestFailure
from screening.ingest.limits_check import Loc, too_long, too_many
from screening.ingest.profiles import PROFILE_URLS, profile_url
from screening.ingest.validation import Placement, validate
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.safeload import dotted

_KNOWN = frozenset(CSV_COLUMNS)
_MAX_HEADER_PROBLEMS = 20
_SPLIT = re.compile(r"[;|\r\n]+")
_TOP_LEVEL = ("id", "received_at", "source", "name", "work_authorization", "citizenship",
              "date_of_birth")  # fmt: skip
_LISTS = ("aliases", "emails", "phones", "skills", "interview_notes")
_LOCATION = ("country", "region", "city", "timezone")
_ADDRESS = ("line1", "city", "region", "postal_code", "country")
_NETWORK = (("ip", "ip"), ("user_agent", "user_agent"),
            ("utc_offset_minutes", "utc_offset_minutes"))  # fmt: skip
_PAYMENT = (("payment_method", "method"), ("account_holder", "account_holder"),
            ("bank_country", "bank_country"), ("payment_platform", "platform"))  # fmt: skip

Result = RawApplication | IngestFailure


def read_csv(
    text: str, origin: str, stem: str, limits: Limits, base_dir: Path | None
) -> list[Result]:
    """One result per data row; raises ``InputError`` only for a header that cannot be used."""
    first_line = text.split("\n", 1)[0]
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    results: list[Result] = []
    number = 0
    read = 0
    columns: list[str | None] | None = None
    try:
        for cells in rows:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                continue
            if read >= limits.max_csv_rows:
                results.append(_too_many_rows(origin, number, limits))
                break
            read += 1
            row_origin = f"{origin}:row {number}"
            try:
                results.append(_row(cells, columns, number, row_origin, stem, limits, base_dir))
            except InputError as exc:
                results.append(IngestFailure(row_origin, exc.with_source(row_origin)))
    except csv.Error as exc:  # e.g. another thread lowered csv's process-wide field limit
        row_origin = f"{origin}:row {number + 1}"
        error = InputError([Problem("", f"malformed CSV, reading stopped here: {exc}")], row_origin)
        results.append(IngestFailure(row_origin, error))
    if columns is None:
        raise InputError([Problem("", "the CSV file has no header row")])
    return results


def _columns(header: list[str]) -> list[str | None]:
    columns: list[str | None] = []
    seen: set[str] = set()
    problems: list[Problem] = []
    for raw in header:
        name = raw.strip().lstrip("\ufeff").lower()
        if not name:
            columns.append(None)  # a trailing delimiter: an unnamed, ignored column
            continue
        if len(problems) < _MAX_HEADER_PROBLEMS:
            if name not in _KNOWN:
                problems.append(Problem(name[:60], f"unknown column {_closest(name)}"))
            elif name in seen:
                problems.append(Problem(name, "the column appears more than once"))
        seen.add(name)
        columns.append(name)
    if "name" not in seen:
        problems.append(Problem("name", "the header has no 'name' column; every row needs a name"))
    if problems:
        raise InputError(problems)
    return columns


def _closest(name: str) -> str:
    close = difflib.get_close_matches(name, CSV_COLUMNS, n=1, cutoff=0.6)
    if close:
        return f"(did you mean '{close[0]}'?)"
    [nearest] = difflib.get_close_matches(name, CSV_COLUMNS, n=1, cutoff=0.0)
    return f"(the closest known column is '{nearest}'; docs/csv.md lists them all)"


def _too_many_rows(origin: str, number: int, limits: Limits) -> IngestFailure:
    message = (f"more than {limits.max_csv_rows} rows (limits.max_csv_rows); row {number} and "
               "the rows after it were not read")  # fmt: skip
    return IngestFailure(origin, LimitError([Problem("", message)], origin))


def _row(
    cells: list[str],
    columns: list[str | None],
    number: int,
    origin: str,
    stem: str,
    limits: Limits,
    base_dir: Path | None,
) -> RawApplication:
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        raise InputError([Problem("", (
            f"the row has {len(cells)} cells but the header has {len(columns)} columns "
            "(a delimiter inside a value that is not quoted?)"
        ))])  # fmt: skip
    values: dict[str, str] = {}
    limited: list[Problem] = []
    for column, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if column is None or not value:
            continue
        if len(value) > limits.max_text_chars:
            limited.append(Problem(column, too_long(len(value), limits)))
        values[column] = value
    if limited:
        raise LimitError(limited)
    mapping, origins = _to_contract(values, limits)

    def placer(loc: Loc) -> Placement:
        p = loc
        while p:
            if p in origins:
                return origins[p], None, None
            p = p[:-1]
        return dotted(loc), None, None

    app = validate(mapping, placer, f"{stem}-row-{number}")
    documents = attach_documents(app, base_dir, limits, placer)
    return RawApplication(
        data=app, documents=documents, origin=origin, format=InputFormat.CSV.value
    )


def _to_contract(
    values: dict[str, str], limits: Limits
) -> tuple[dict[str, object], dict[Loc, str]]:
    """The contract mapping of one row, and the column each contract path came from."""
    out: dict[str, object] = {}
    origins: dict[Loc, str] = {}
    problems: list[Problem] = []

    def split(column: str) -> list[str]:
        items = [item.strip() for item in _SPLIT.split(values.get(column, ""))]
        items = [item for item in items if item]
        if len(items) > limits.max_list_items:
            problems.append(Problem(column, too_many(len(items), limits)))
        return items

    for column in _TOP_LEVEL:
        if column in values:
            out[column] = values[column]
            origins[(column,)] = column
    for column in _LISTS:
        items = split(column)
        if items:
            out[column] = items
            origins[(column,)] = column
    links = _links(values, split("links"), origins)
    if links:
        out["links"] = links
    location = {column: values[column] for column in _LOCATION if column in values}
    if location:
        out["location"] = location
        origins.update({("location", column): column for column in location})
    addresses: list[dict[str, str]] = []
    for kind in ("home", "shipping"):
        index = len(addresses)
        address = {key: values[f"{kind}_{key}"] for key in _ADDRESS if f"{kind}_{key}" in values}
        if address:
            for key in address:
                origins[("addresses", index, key)] = f"{kind}_{key}"
            addresses.append({"kind": kind, **address})
    if addresses:
        out["addresses"] = addresses
    if "resume_path" in values or "resume_text" in values:
        out["resume"] = {
            key: values[column]
            for column, key in (("resume_path", "path"), ("resume_text", "text"))
            if column in values
        }
        origins[("resume",)] = "resume_path" if "resume_path" in values else "resume_text"
        origins[("resume", "text")] = "resume_text"
    if "cover_letter_text" in values:
        out["cover_letter"] = {"text": values["cover_letter_text"]}
        origins[("cover_letter",)] = "cover_letter_text"
    event = {key: values[column] for column, key in _NETWORK if column in values}
    if event:
        out["network"] = [{**event, "context": "application"}]
        origins[("network", 0)] = "ip"
        for column, key in _NETWORK:
            origins[("network", 0, key)] = column
    payment: dict[str, object] = {}
    for column, key in _PAYMENT:
        if column in values:
            payment[key] = values[column]
            origins[("payment", key)] = column
    wallets = split("wallets")
    if wallets:
        payment["wallets"] = wallets
        origins[("payment", "wallets")] = "wallets"
    if payment:
        out["payment"] = payment
    if problems:
        raise LimitError(problems)
    return out, origins


def _links(values: dict[str, str], links: list[str], origins: dict[Loc, str]) -> list[str]:
    found = [(link, "links") for link in links]
    for column, pattern in PROFILE_URLS.items():
        value = values.get(column)
        if value:
            found.append((profile_url(value, pattern), column))
    for index, (_, column) in enumerate(found):
        origins[("links", index)] = column
    return [link for link, _ in found]
