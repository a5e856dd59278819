"""Stage 1 of 6 (ingest): the one rule for opening a file path written inside an application.

Why so strict: ``resume: {path: ...}`` is candidate-controlled data (an ATS export or a form), so
it may name ``/etc/passwd``, climb out with ``..`` or point a symbolic link elsewhere. A path is
accepted only when it is relative and, after every symbolic link is followed, still lies inside
the folder of the file that referenced it. Inputs without such a folder (bytes from a webhook)
may not reference files at all.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath


class PathRefused(ValueError):
    """A document path that may not be opened; the message says why."""


def resolve_inside(base_dir: Path | None, raw: str) -> Path:
    """The resolved path of ``raw`` inside ``base_dir``; raises ``PathRefused``."""
    if base_dir is None:
        raise PathRefused(
            "file paths are not allowed in this input (it has no folder to resolve them in); "
            "give the document's text instead"
        )
    if "\x00" in raw:
        raise PathRefused("the path contains a NUL character")
    if (
        PurePosixPath(raw).is_absolute()
        or PureWindowsPath(raw).is_absolute()
        or raw.startswith(("\\", "/"))
    ):
        raise PathRefused(
            "absolute paths are not allowed; give a path relative to the application file"
        )
    if ".." in PurePosixPath(raw).parts or ".." in PureWindowsPath(raw).parts:
        raise PathRefused(
            "'..' is not allowed: the document must be inside the application file's folder"
        )
    base = base_dir.resolve()
    try:
        target = (base / raw).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise PathRefused("the path cannot be resolved (a symbolic link loop?)") from None
    if not target.is_relative_to(base):
        raise PathRefused(
            "the path leads outside the application file's folder (through a symbolic link)"
        )
    return target
