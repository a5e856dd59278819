"""Stage 1 of 6 (ingest): a CSV export, one application per row (columns documented in docs/csv.md).

Why rows fail alone: exports from an ATS or a spreadsheet are long and some rows are always
wrong; one bad date must not cost the other applicants their screening. Headers are read through
a column map (``csv_columns``: our own names, the best-matching ATS or spreadsheet preset, or the
user's ``--columns`` file); columns that map to nothing are ignored and named in one input note.
Only a header without any name column fails the whole file, because no row could be screened.
Rows are numbered as a spreadsheet shows them: the header is row 1.

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
header), or that spans lines in a column that is not a list (a name, an id, a date: only the
list columns are split on line breaks) fails that row, naming its line and column, and reading
resumes at the next line, so the rows it had swallowed are read as rows; a later line holding the
closing quote is a stray quote and fails on its own. No row is lost or merged silently.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from screening.errors import InputError, LimitError, Problem
from screening.ingest.countries import country_code
from screening.ingest.csv_columns import LIST_TARGETS, ColumnMap, HeaderReading, read_header
from screening.ingest.detect import InputFormat, sniff_delimiter
from screening.ingest.documents.attachments import attach_documents
from screening.ingest.failure import IngestFailure
from screening.ingest.limits_check import Loc, too_long, too_many
from screening.ingest.location_text import parse_location
from screening.ingest.profiles import PROFILE_URLS, profile_url
from screening.ingest.validation import Placement, validate
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.model.notes import InputNote, NoteKind, capped, quoted
from screening.safeload import dotted

_SHOWN_UNKNOWN = 12
_COUNTRY_COLUMNS = ("country", "home_country", "shipping_country", "bank_country", "citizenship")
_SPLIT = re.compile(r"[;|\r\n]+")
_COMMAS = {
    "emails": re.compile(r","),
    "phones": re.compile(r",\s*"),
    "links": re.compile(r",\s+|,(?=https?://)"),
}
"""Lists some exports separate with commas (Lever: emails "a@x.com,b@y.com", links "u1, u2"); a
comma never belongs to an address, and ends a link only before a space or another link."""
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
    text: str,
    origin: str,
    stem: str,
    limits: Limits,
    base_dir: Path | None,
    columns_map: ColumnMap | None = None,
) -> Iterator[Result]:
    """One result per data row, as they are consumed (a long export is never held as
    applications at once); raises ``InputError`` only for a header that cannot be used.
    ``columns_map`` replaces the automatic choice of preset (``--columns FILE``)."""
    first_line = text.split("\n", 1)[0]
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    number = 0
    read = 0
    columns: list[str | None] | None = None
    header: list[list[str | None]] = []  # the columns once read, for the quoting checks
    file_notes: list[InputNote] = []
    written: list[str] = []  # the header cells as written, for row messages
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
            reading = read_header(cells, columns_map)
            columns = list(reading.targets)
            written = [c.strip().lstrip("\ufeff") for c in cells]
            header.append([c or None for c in written])
            file_notes = _header_notes(reading)
            continue
        if read >= limits.max_csv_rows:
            yield _too_many_rows(origin, number, limits)
            return
        read += 1
        row_origin = f"{origin}:row {number}"
        try:
            yield _row(cells, (columns, written), number, row_origin, stem, limits, base_dir,
                       file_notes)  # fmt: skip
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
                raw = "".join(lines[first : first + span])
                stray = _stray_quote(raw, delimiter) if '"' in raw else None
                if stray is not None:
                    yield _quote_problem(first + 1, stray, columns, "stray")
                    resume = first + span
                    break
                swallowed = _swallowed(cells, delimiter, columns) if span > 1 else None
                if swallowed is not None:
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


def _stray_quote(raw: str, delimiter: str) -> int | None:
    """The index of the first field with a quote that neither opens it nor closes it
    (``Lima",x``: the tail of a value whose opening quote was on an earlier line)."""
    field, at_start, quoted, i = 0, True, False, 0
    while i < len(raw):
        ch = raw[i]
        if quoted:
            if ch == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif ch == delimiter:
            field, at_start = field + 1, True
            i += 1
            continue
        elif ch == '"':
            if not at_start:
                return field
            quoted = True
        at_start = False
        i += 1
    return None


def _swallowed(cells: list[str], delimiter: str, columns: list[str | None] | None) -> int | None:
    """The index of a cell that spans lines where no value can: in a column that is not a list
    (only lists are split on line breaks), or whose later lines hold as many delimiters as a
    whole row would."""
    if not columns:
        return None
    need = max(1, len(columns) - 1)
    for index, cell in enumerate(cells):
        lines = cell.splitlines()
        if len(lines) < 2:
            continue
        column = columns[index] if index < len(columns) else None
        if column not in _LISTS or any(part.count(delimiter) >= need for part in lines[1:]):
            return index
    return None


def _quote_problem(
    line: int, index: int | None, columns: list[str | None] | None, kind: str
) -> Problem:
    column = ""
    if index is not None and columns and index < len(columns):
        column = columns[index] or ""
    what = {
        "spans": "a quoted value runs over several lines (a stray or unterminated quote?)",
        "unterminated": "a quote opened on this line is never closed",
        "stray": "a stray quote (a quoted value must be followed by a delimiter)",
    }[kind]
    return Problem(column, f"malformed CSV quoting at line {line}: {what}; this row was not "
                   "read and reading resumed on the next line")  # fmt: skip


def _header_notes(reading: HeaderReading) -> list[InputNote]:
    """What every row of the file is told about its header: preset used, columns not read."""
    notes = []
    if reading.aliased or reading.preset.name != "generic":
        notes.append(
            InputNote("(header)", NoteKind.COLUMNS, f"columns read with {reading.preset.title}")
        )
    if reading.unknown:
        names = ", ".join(reading.unknown[:_SHOWN_UNKNOWN])
        more = len(reading.unknown) - _SHOWN_UNKNOWN
        tail = f" and {more} more" if more > 0 else ""
        notes.append(
            InputNote(
                "(header)",
                NoteKind.IGNORED,
                f"{len(reading.unknown)} column(s) map to nothing and were not read: {names}{tail}",
            )
        )
    return notes


def _too_many_rows(origin: str, number: int, limits: Limits) -> IngestFailure:
    message = (f"more than {limits.max_csv_rows} rows (limits.max_csv_rows); row {number} and "
               "the rows after it were not read")  # fmt: skip
    return IngestFailure(origin, LimitError([Problem("", message)], origin))


def _row(
    cells: list[str],
    header: tuple[list[str | None], list[str]],
    number: int,
    origin: str,
    stem: str,
    limits: Limits,
    base_dir: Path | None,
    file_notes: list[InputNote],
) -> RawApplication:
    columns, names = header
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        raise InputError([Problem("", (
            f"the row has {len(cells)} cells but the header has {len(columns)} columns "
            "(a delimiter inside a value that is not quoted?)"
        ))])  # fmt: skip
    values: dict[str, str] = {}
    headers: dict[str, str] = {}  # target -> the header it was read from (for messages)
    limited: list[Problem] = []
    for column, cell, written in zip(columns, cells, names, strict=False):
        value = cell.strip()
        if column is None or not value:
            continue
        if len(value) > limits.max_text_chars:
            limited.append(Problem(written, too_long(len(value), limits)))
        if column in values and column in LIST_TARGETS:
            values[column] += "\n" + value  # "Email" and "Other Email": both are read
        elif column not in values:
            values[column] = value
            headers[column] = written
    if limited:
        raise LimitError(limited)
    if "\n" in values.get("name", "") or "\r" in values.get("name", ""):
        # a name never spans lines: a quote left open has pulled the next lines into this cell
        message = "a name cannot span several lines (a quote left open?); this row was not read"
        raise InputError([Problem(headers.get("name", "name"), message)])
    notes = list(file_notes)
    _untidy(values, headers, notes)
    mapping, origins = _to_contract(values, limits)
    origins = {loc: headers.get(column, column) for loc, column in origins.items()}

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
        data=app,
        documents=documents,
        origin=origin,
        format=InputFormat.CSV.value,
        notes=capped(notes),
    )


def _untidy(values: dict[str, str], headers: dict[str, str], notes: list[InputNote]) -> None:
    """Names split in two, one-line locations and country names: read, with a note each."""
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    if "name" not in values and (first or last):
        values["name"] = " ".join(p for p in (first, last) if p)
        headers["name"] = headers.get("first_name") or headers.get("last_name") or "name"
    text = values.pop("location", "")
    if text:
        place = parse_location(text)
        found = {k: v for k, v in (("city", place.city), ("region", place.region),
                                   ("country", place.country)) if v}  # fmt: skip
        for key, value in found.items():
            if key not in values:
                values[key] = value
                headers[key] = headers.get("location", "location")
        if found:
            read = ", ".join(f"{k} {v}" for k, v in found.items())
            notes.append(InputNote(headers.get("location", "location"), NoteKind.LOCATION,
                                   f"{quoted(text)} read as {read}"))  # fmt: skip
    for column in _COUNTRY_COLUMNS:
        written = values.get(column)
        if not written or re.fullmatch(r"[A-Za-z]{2}", written):
            continue
        reading = country_code(written)
        where = headers.get(column, column)
        if reading is None:
            del values[column]
            message = f"{quoted(written)} names no single country: not read"
            notes.append(InputNote(where, NoteKind.DROPPED, message))
        else:
            values[column] = reading.code
            message = f"{quoted(written)} read as country code {reading.code}"
            notes.append(InputNote(where, NoteKind.COUNTRY, message))


def _to_contract(
    values: dict[str, str], limits: Limits
) -> tuple[dict[str, object], dict[Loc, str]]:
    """The contract mapping of one row, and the column each contract path came from."""
    out: dict[str, object] = {}
    origins: dict[Loc, str] = {}
    problems: list[Problem] = []

    def split(column: str) -> list[str]:
        items = [item.strip() for item in _SPLIT.split(values.get(column, ""))]
        commas = _COMMAS.get(column)
        if commas is not None:
            items = [part.strip() for item in items for part in commas.split(item)]
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
