"""Stage 1 of 6 (ingest): the entry points: a path, bytes or a decoded mapping -> applications.

Everything a user can hand the CLI (``check``, ``batch``, ``eval``) goes through ``read_path`` or
``read_bytes``: the size is checked first, the format recognised (``detect``), then the one
reader for it runs. Bad input never raises: each file, or each CSV row, that cannot be read comes
back as an ``IngestFailure`` beside the applications that did load, so a batch keeps going.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePath

from screening.errors import InputError, Problem
from screening.ingest import native
from screening.ingest.csv_columns import ColumnMap
from screening.ingest.csv_export import iter_csv
from screening.ingest.detect import InputFormat, detect_format
from screening.ingest.documents.read import DOCUMENT_FORMATS
from screening.ingest.failure import IngestFailure
from screening.ingest.jsonresume import is_jsonresume, read_jsonresume
from screening.ingest.limits_check import decode_utf8, read_capped, too_big
from screening.ingest.resume.fields import fill_missing
from screening.ingest.standalone import read_standalone
from screening.ingest.structured import load_structured
from screening.model.application import RawApplication
from screening.model.limits import Limits

Result = RawApplication | IngestFailure

_DEFAULT_LIMITS = Limits()
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UNRECOGNISED = (
    "unrecognised format: expected a JSON or YAML application, a JSON Resume, a CSV export, "
    "or a TXT, PDF or DOCX resume"
)


def read_path(
    path: Path, limits: Limits = _DEFAULT_LIMITS, columns: ColumnMap | None = None
) -> list[Result]:
    """Every application in a file of any supported format (a CSV gives one result per row).

    ``columns`` maps a CSV export's headers (``--columns FILE``) instead of the shipped presets.
    """
    return list(iter_path(path, limits, columns))


def iter_path(
    path: Path, limits: Limits = _DEFAULT_LIMITS, columns: ColumnMap | None = None
) -> Iterator[Result]:
    """``read_path`` one result at a time: a CSV export's rows become applications only as
    they are consumed, so memory does not grow with the number of rows."""
    origin = str(path)
    try:
        data = read_capped(path, limits)
    except InputError as exc:
        yield _failure(origin, exc)
        return
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        yield _failure(origin, InputError([Problem("", f"cannot read the file: {reason}")]))
        return
    yield from _read(data, path.name, origin, limits, path.parent, columns)


def read_bytes(
    data: bytes, name: str, limits: Limits = _DEFAULT_LIMITS, base_dir: Path | None = None
) -> list[Result]:
    """Like ``read_path`` for bytes in memory; ``name`` gives the extension and the origin.

    Document paths inside the data resolve in ``base_dir``; without one they are refused.
    """
    return list(_read(data, name, name, limits, base_dir))


def from_mapping(
    data: Mapping[str, object], origin: str, limits: Limits = _DEFAULT_LIMITS
) -> RawApplication:
    """A native application already decoded (the webhook server's payload); raises InputError."""
    try:
        return native.from_decoded(data, origin, limits)
    except InputError as exc:
        raise exc.with_source(origin) from None


def _read(
    data: bytes,
    name: str,
    origin: str,
    limits: Limits,
    base_dir: Path | None,
    columns: ColumnMap | None = None,
) -> Iterator[Result]:
    try:
        for result in _dispatch(data, name, origin, limits, base_dir, columns):
            yield fill_missing(result) if isinstance(result, RawApplication) else result
    except InputError as exc:
        yield _failure(origin, exc)


def _dispatch(
    data: bytes,
    name: str,
    origin: str,
    limits: Limits,
    base_dir: Path | None,
    columns: ColumnMap | None,
) -> Iterable[Result]:
    if len(data) > limits.max_file_bytes:
        raise too_big(len(data), limits)
    if not data or data.isspace():
        raise InputError([Problem("", "the file is empty")])
    fmt = detect_format(name, data)
    path = PurePath(name)
    if fmt in (InputFormat.NATIVE, InputFormat.JSONRESUME):
        source = load_structured(decode_utf8(data), path.suffix, limits)
        if is_jsonresume(source.data):
            return [read_jsonresume(source, origin, path.stem, limits)]
        return [native.read_native(source, origin, path.stem, limits, base_dir)]
    if fmt is InputFormat.CSV:
        return iter_csv(decode_utf8(data), origin, path.stem, limits, base_dir, columns)
    if fmt in DOCUMENT_FORMATS:
        return [read_standalone(data, fmt, name, origin, limits)]
    if data.startswith(_OLE2):
        raise InputError([Problem("", f"{_UNRECOGNISED} (old .doc files: save as DOCX or PDF)")])
    raise InputError([Problem("", _UNRECOGNISED)])


def _failure(origin: str, error: InputError) -> IngestFailure:
    return IngestFailure(origin, error if error.source == origin else error.with_source(origin))
