"""Stage 1 of 6 (ingest): the documents an application refers to (resume, cover letter, photos).

Two kinds of failure are kept apart on purpose. A path that breaks the path rule (absolute,
``..``, a symbolic link out of the folder, or any path where no folder is known) is refused: the
application fails with a problem on ``resume.path``. A document that is missing (an export that
lost some files), that the system will not look up (a name too long, no permission) or that
exists but cannot be read (too big, encrypted, damaged, an unsupported format, the optional
extra missing) does not stop the screening: the ``DocumentContent`` says
``skipped`` with the reason, which the reviewer sees in the report.
When both ``path`` and ``text`` are given, the file is read and ``text`` is ignored. Photos are
only checked against the path rule here; later stages hash them.
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePath

from screening.errors import InputError
from screening.ingest.detect import InputFormat, detect_format
from screening.ingest.documents.read import DOCUMENT_FORMATS, read_document, read_resume
from screening.ingest.limits_check import Loc, read_capped
from screening.ingest.paths import PathRefused, resolve_inside
from screening.ingest.resume.fields import fields_from
from screening.ingest.triage import triage_file, with_triage
from screening.ingest.validation import Placer, in_reading_order, place
from screening.model.application import ApplicationInput, DocumentContent, DocumentStatus
from screening.model.attachments import Triage
from screening.model.limits import Limits

_KINDS = ("resume", "cover_letter")
_LABELS = ((InputFormat.PDF, "PDF"), (InputFormat.DOCX, "DOCX"), (InputFormat.TXT, "plain-text"))


def attach_documents(
    app: ApplicationInput, base_dir: Path | None, limits: Limits, placer: Placer
) -> tuple[DocumentContent, ...]:
    """Read the resume and cover letter; raise ``InputError`` for refused or missing paths."""
    problems: list[tuple[Loc, str]] = []
    contents: list[DocumentContent] = []
    for kind in _KINDS:
        document = getattr(app, kind)
        if document is None:
            continue
        if document.path:
            try:
                target = _existing(base_dir, document.path)
            except _Unreachable as exc:
                contents.append(
                    DocumentContent(
                        kind=kind,
                        format="unknown",
                        status=DocumentStatus.SKIPPED,
                        reason=str(exc),
                        file_name=document.path,
                    )
                )
                continue
            except PathRefused as exc:
                problems.append(((kind, "path"), str(exc)))
                continue
            contents.append(_read(target, kind, document.path, limits))
        elif document.text:
            contents.append(DocumentContent(kind=kind, format="text", text=document.text))
    paths = [("photos", i, p.path) for i, p in enumerate(app.photos)]
    paths += [("attachments", i, a.path) for i, a in enumerate(app.attachments)]
    for field, index, path in paths:
        try:
            resolve_inside(base_dir, path)
        except PathRefused as exc:
            problems.append(((field, index, "path"), str(exc)))
    if problems:
        raise InputError(in_reading_order(place(problems, placer)))
    return tuple(contents)


def triage_attachments(
    app: ApplicationInput, base_dir: Path | None, limits: Limits
) -> tuple[Triage, ...]:
    """Triage the application's other files (``attachments``) for active content.

    Their paths were checked by ``attach_documents``; a file that is missing or too big is
    reported as a triage that could not look inside, with the reason.
    """
    found: list[Triage] = []
    for item in app.attachments:
        try:
            data = read_capped(_existing(base_dir, item.path), limits)
        except (PathRefused, InputError, OSError) as exc:
            reason = str(exc) if isinstance(exc, PathRefused) else "the file could not be read"
            if isinstance(exc, InputError):
                reason = "; ".join(p.message for p in exc.problems)
            found.append(Triage(name=item.path, role="attachment", complete=False, reason=reason))
            continue
        found.append(triage_file(data, item.path, "attachment", limits))
    return tuple(found)


class _Unreachable(PathRefused):
    """An allowed path naming no file, or one the system will not let us look at."""


def _existing(base_dir: Path | None, raw: str) -> Path:
    target = resolve_inside(base_dir, raw)
    try:
        mode = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise _Unreachable(
            f"file not found: {raw!r} (paths are relative to the application file)"
        ) from None
    except OSError as exc:  # a name too long, no permission ...: skipped like a missing file
        raise _Unreachable(f"cannot read the file ({exc.strerror or 'error'})") from None
    if not stat.S_ISREG(mode):
        raise PathRefused(f"not a regular file: {raw!r}")
    return target


def _read(target: Path, kind: str, raw: str, limits: Limits) -> DocumentContent:
    fmt_name = target.suffix.lower().lstrip(".") or "unknown"
    try:
        data = read_capped(target, limits)
    except InputError as exc:
        return _skipped(kind, fmt_name, raw, "; ".join(p.message for p in exc.problems))
    except OSError as exc:
        return _skipped(kind, fmt_name, raw, f"cannot read the file ({exc.strerror or 'error'})")
    return document_from_bytes(data, target.name, kind, raw, limits)


def document_from_bytes(
    data: bytes,
    name: str,
    kind: str,
    raw: str,
    limits: Limits,
    formats: frozenset[InputFormat] = DOCUMENT_FORMATS,
) -> DocumentContent:
    """A resume or cover letter read from bytes already in hand (a file under the size limit,
    or one an ATS's API handed over), with its triage; ``skipped`` with the reason when its
    content (magic bytes first, see ``detect``) is not one of ``formats`` or it cannot be read."""
    fmt = detect_format(name, data)
    if fmt not in formats:
        labels = [label for f, label in _LABELS if f in formats]
        wanted = " or ".join(filter(None, (", ".join(labels[:-1]), labels[-1])))
        fmt_name = PurePath(name).suffix.lower().lstrip(".") or "unknown"
        content = _skipped(kind, fmt_name, raw, f"not a {wanted} document")
    else:
        try:
            if kind == "resume":
                content, structure = read_resume(data, fmt, raw, limits)
                content = content.model_copy(update={"fields": fields_from(structure, True)})
            else:
                content = read_document(data, fmt, kind, raw, limits)
        except InputError as exc:
            content = _skipped(kind, fmt.value, raw, "; ".join(p.message for p in exc.problems))
    return with_triage(content, data, raw, limits)


def _skipped(kind: str, fmt: str, raw: str, reason: str) -> DocumentContent:
    return DocumentContent(
        kind=kind, format=fmt, status=DocumentStatus.SKIPPED, reason=reason, file_name=raw
    )
