"""Stage 1 of 6 (ingest): a native application (contract v1, JSON or YAML) -> ``RawApplication``.

The native file is the contract itself, so this is the shortest path: limits first, then the
contract's validation with each problem placed at the line and column where the field was written,
then the referenced documents. ``id`` defaults to the file's stem.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath

from screening.ingest.detect import InputFormat
from screening.ingest.documents.attachments import attach_documents, triage_attachments
from screening.ingest.limits_check import Loc, shape_problems
from screening.ingest.structured import Source
from screening.ingest.validation import Placement, Placer, check_shape_placed, plain, validate
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.safeload import dotted


def read_native(
    source: Source, origin: str, default_id: str, limits: Limits, base_dir: Path | None
) -> RawApplication:
    """Validate a decoded native file; raises ``InputError`` naming fields with positions."""

    def placer(loc: Loc) -> Placement:
        return (dotted(loc), *source.where(loc))

    source.refuse_duplicates()  # our own format: a repeated field is ambiguous
    return build_native(source.data, origin, default_id, limits, base_dir, placer)


def from_decoded(data: Mapping[str, object], origin: str, limits: Limits) -> RawApplication:
    """A native application already decoded (e.g. a webhook body): no positions, no file paths."""
    return build_native(data, origin, PurePath(origin).stem, limits, None, plain)


def build_native(
    data: object,
    origin: str,
    default_id: str,
    limits: Limits,
    base_dir: Path | None,
    placer: Placer,
) -> RawApplication:
    """Limits, contract validation and documents, in that order (cheapest refusal first)."""
    check_shape_placed(shape_problems(data, limits), placer)
    app = validate(data, placer, default_id)
    documents = attach_documents(app, base_dir, limits, placer)
    return RawApplication(
        data=app,
        documents=documents,
        attachments=triage_attachments(app, base_dir, limits),
        origin=origin,
        format=InputFormat.NATIVE.value,
    )
