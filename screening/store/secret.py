"""The key behind the history's keyed hashes: from configuration, or generated once beside the file.

Why a key at all: phones, emails and names have little entropy, so a plain hash of them can be
reversed by trying every number or name; an HMAC under a secret that is not in the database
cannot. Why generate one: the toolkit must work offline out of the box, so when no
``[history] secret`` is configured a random key is written on first use to
``<database>.secret`` (mode 0600), created atomically so that two processes starting at once
agree on one key. The key is never printed; losing it means earlier applications can no longer
be matched (they stay listed, and can still be exported and forgotten).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from screening.errors import StoreError

SECRET_SUFFIX = ".secret"
MIN_SECRET_CHARS = 16
_READ_ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class SecretInfo:
    """Where the key came from, for ``screening history stats`` (never the key itself)."""

    origin: str  # "configured" or "generated"
    path: Path | None = None
    created_now: bool = False

    def describe(self) -> str:
        """One line for reviewers: where the key is and what to do with it."""
        if self.origin == "configured":
            return "configured ([history] secret or secret_file)"
        when = "generated now" if self.created_now else "generated on first use"
        return (
            f"{when} in {self.path} (mode 0600); back it up with the database: without it "
            "earlier applications can no longer be matched"
        )


def secret_path(db_path: Path) -> Path:
    """The generated key's file for a database file."""
    return db_path.with_name(db_path.name + SECRET_SUFFIX)


def resolve_secret(db_path: Path, configured: str | None) -> tuple[bytes, SecretInfo]:
    """The configured secret, else the generated one beside ``db_path`` (created if absent)."""
    if configured is not None:
        if len(configured) < MIN_SECRET_CHARS:
            raise StoreError(
                f"the history secret must be at least {MIN_SECRET_CHARS} characters long; "
                "use a long random value (e.g. `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`)"
            )
        return configured.encode("utf-8"), SecretInfo("configured")
    path = secret_path(db_path)
    created = False
    if not path.exists():
        created = _create(path)
    return _read(path), SecretInfo("generated", path, created)


def _create(path: Path) -> bool:
    """Write a new random key; False when another process created it first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create the history secret {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic and never replaces: the first creator wins
        except FileExistsError:
            return False
        except OSError:
            # file systems without hard links: exclusive creation, then readers retry briefly
            try:
                fd2 = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return False
            with os.fdopen(fd2, "w", encoding="ascii") as fh:
                fh.write(tmp.read_text(encoding="ascii"))
        return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _read(path: Path) -> bytes:
    for _ in range(_READ_ATTEMPTS):
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not a key file"
            raise StoreError(f"cannot read the history secret {path}: {reason}") from None
        if len(text) >= MIN_SECRET_CHARS:
            return text.encode("ascii")
        time.sleep(0.05)  # another process is still writing it
    raise StoreError(
        f"the history secret {path} is empty or truncated; if the database beside it is new, "
        "delete the file and try again, else restore it from a backup"
    )
