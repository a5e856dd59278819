"""Stage 3 (analyze): the OFAC SDN list in its official delimited form (sdn.csv, alt.csv, add.csv).

Layout as OFAC publishes it: no header row; ``sdn.csv`` has 12 columns (ent_num, SDN_Name,
SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks),
``alt.csv`` 5 (ent_num, alt_num, alt_type, alt_name, alt_remarks) and ``add.csv`` 6 (ent_num,
add_num, Address, City/State/Postal Code, Country, Add_remarks); ``-0-`` marks an empty field;
Windows-1252 text with CRLF line ends, sometimes closed by a Ctrl-Z byte. Strong aliases are the
rows of ``alt.csv``; weak aliases, identifiers and dates of birth live in Remarks
(``screening.analyze.sanctions.remarks``). Addresses (``add.csv``) are not screened, so that
file is never read. A row that does not fit the layout is an error naming the file and line, so a
mirror that serves an HTML error page or another list is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from screening.analyze.sanctions.entries import SanctionsEntry, SanctionsList
from screening.analyze.sanctions.remarks import parse_remarks
from screening.errors import ListError

SDN_FIELDS = 12
ALT_FIELDS = 5
ADD_FIELDS = 6
LAYOUTS = {SDN_FIELDS: "sdn.csv", ALT_FIELDS: "alt.csv", ADD_FIELDS: "add.csv"}
EMPTY = "-0-"
MAX_FIELD_CHARS = 100_000
TITLE = "OFAC SDN list"


def decode(data: bytes, label: str) -> str:
    """UTF-8 when the bytes are UTF-8 (ASCII files are both), else Windows-1252 as published."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ListError(f"{label}, line {line}: not Windows-1252 text") from None
    return text.rstrip("\x1a\r\n\t ")


def rows(data: bytes, label: str, fields: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) per record; every record must have ``fields`` columns (default: the first
    record's count, which must be one of the official layouts) and a numeric first column."""
    reader = csv.reader(io.StringIO(decode(data, label), newline=""), strict=True)
    expected = fields
    try:
        for record in reader:
            line = reader.line_num
            if not record or record == [""]:
                continue
            if expected is None:
                if len(record) not in LAYOUTS:
                    raise ListError(
                        f"{label}, line {line}: {len(record)} fields; an OFAC SDN CSV file has "
                        "12 (sdn.csv), 5 (alt.csv) or 6 (add.csv)"
                    )
                expected = len(record)
            if len(record) != expected:
                raise ListError(
                    f"{label}, line {line}: {len(record)} fields where the "
                    f"{LAYOUTS.get(expected, 'file')} layout has {expected}"
                )
            values = [_value(v) for v in record]
            if not values[0].isdigit():
                raise ListError(f"{label}, line {line}: the first field must be an entry number")
            if any(len(v) > MAX_FIELD_CHARS for v in values):
                raise ListError(f"{label}, line {line}: a field is longer than {MAX_FIELD_CHARS}")
            yield line, values
    except csv.Error as exc:
        raise ListError(f"{label}, line {reader.line_num}: not valid CSV ({exc})") from None


def _value(text: str) -> str:
    value = text.strip()
    return "" if value == EMPTY else value


def programs(text: str) -> tuple[str, ...]:
    """``NPWMD] [DPRK2`` (brackets as published) -> ("NPWMD", "DPRK2")."""
    return tuple(p.strip(" []") for p in text.split("] [") if p.strip(" []"))


def load_csv_set(sdn: Path, alt: Path | None = None, date: str = "") -> SanctionsList:
    """Entries of ``sdn`` with the strong aliases of ``alt`` (skipped when that file is absent)."""
    aliases: dict[str, list[str]] = {}
    if alt is not None and alt.is_file():
        for _, values in rows(_read(alt), str(alt), ALT_FIELDS):
            if values[3]:
                aliases.setdefault(values[0], []).append(values[3])
    entries = []
    for _, values in rows(_read(sdn), str(sdn), SDN_FIELDS):
        ent, name, kind, program = values[0], values[1], values[2], values[3]
        if not name:
            continue
        found = parse_remarks(values[11])
        entries.append(
            SanctionsEntry(
                uid=ent,
                name=name,
                kind=(kind or "entity").lower(),
                programs=programs(program),
                aliases=tuple(aliases.get(ent, ())),
                weak_aliases=tuple(found.weak_aliases),
                emails=tuple(found.emails),
                wallets=tuple(found.wallets),
                websites=tuple(found.websites),
                birth_dates=tuple(found.birth_dates),
            )
        )
    return SanctionsList(TITLE, str(sdn), date, tuple(entries))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror}") from None
