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

Why quoting is checked: a stray or unterminated quote makes a lenient CSV parser read every line
up to the next quote as one cell, merging the applicants of those lines into one (and hashing
the merged text into the history). Records are read in strict mode and each is held to its
lines: a quote that is not followed by a delimiter, a quote that is never closed, or a quoted
cell that runs over several lines holding what looks like whole rows (as many delimiters as the
header) fails that row, naming its line and column, and reading resumes at the next line, so the
rows it had swallowed are read as rows. No row is lost or merged silently.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from screening.errors import InputError, LimitError, Problem
from screening.ingest.detect import CSV_COLUMNS, InputFormat, sniff_delimiter
from screening.ingest.documents.attachments import attach_documents
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


def iter_csv(
    text: str, origin: str, stem: str, limits: Limits, base_dir: Path | None
) -> Iterator[Result]:
    """One result per data row, as they are consumed (a long export is never held as
    applications at once); raises ``InputError`` only for a header that cannot be used."""
    first_line = text.split("\n", 1)[0]
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    number = 0
    read = 0
    columns: list[str | None] | None = None
    header: list[list[str | None]] = []  # the columns once read, for the quoting checks
    for cells in _records(text, sniff_delimiter(first_line), header):
        number += 1
        if isinstance(cells, Problem):
            if columns is None:
                raise InputError([cells])
            row_origin = f"{origin}:row {number}"
            yield IngestFailure(row_origin, InputError([cells], row_origin))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns = _columns(cells)
            header.append(columns)
            continue
        if read >= limits.max_csv_rows:
            yield _too_many_rows(origin, number, limits)
            return
        read += 1
        row_origin = f"{origin}:row {number}"
        try:
            yield _row(cells, columns, number, row_origin, stem, limits, base_dir)
        except InputError as exc:
            yield IngestFailure(row_origin, exc.with_source(row_origin))
    if columns is None:
        raise InputError([Problem("", "the CSV file has no header row")])


def _records(
    text: str, delimiter: str, header: list[list[str | None]]
) -> Iterator[list[str] | Problem]:
    """The cells of each record, or a problem for a record broken by its quoting (after which
    reading resumes on the line after the one where it began); ``header`` holds the columns once
    the caller has read them."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter, strict=True)
        done = 0  # lines of ``lines[start:]`` consumed by complete records
        resume: int | None = None
        try:
            for cells in reader:
                first = start + done
                span = reader.line_num - done
                done = reader.line_num
                columns = header[0] if header else None
                swallowed = _swallowed(cells, delimiter, len(columns) if columns else 0)
                if span > 1 and swallowed is not None:
                    yield _quote_problem(first + 1, swallowed, columns, "spans")
                    resume = first + 1
                    break
                yield cells
        except csv.Error as exc:
            first = start + done
            kind = "unterminated" if "end of data" in str(exc) else "stray"
            quoted = next(
                (i for i, part in enumerate(lines[first].split(delimiter)) if '"' in part), None
            )
            yield _quote_problem(first + 1, quoted, header[0] if header else None, kind)
            resume = first + 1
        if resume is None:
            return
        start = resume


def _swallowed(cells: list[str], delimiter: str, columns: int) -> int | None:
    """The index of a cell whose later lines hold as many delimiters as a whole row would."""
    need = max(1, columns - 1)
    for index, cell in enumerate(cells):
        lines = cell.splitlines()
        if len(lines) > 1 and any(part.count(delimiter) >= need for part in lines[1:]):
            return index
    return None


def _quote_problem(
    line: int, index: int | None, columns: list[str | None] | None, kind: str
) -> Problem:
    column = ""
    if index is not None and columns and index < len(columns):
        column = columns[index] or ""
    what = {
        "spans": "a quoted value runs over several lines and holds what look like other rows",
        "unterminated": "a quote opened on this line is never closed",
        "stray": "a stray quote (a quoted value must be followed by a delimiter)",
    }[kind]
    return Problem(column, f"malformed CSV quoting at line {line}: {what}; this row was not "
                   "read and reading resumed on the next line")  # fmt: skip


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
