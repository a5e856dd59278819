"""Named API tokens with scopes, kept as SHA-256 hashes in a tokens file.

Why a file of hashes: whoever reads the configuration, a backup or the process environment
should not obtain a working token, and each caller (the ATS sync job, the reviewers' tool, an
operator) gets a token of its own, with only the scopes it needs and a name the audit log shows.
Tokens are 256-bit random strings, so an unsalted SHA-256 is enough to compare them; several may
be valid at once (create the new one, switch the caller, revoke the old one) and the file is read
again on SIGHUP, without a restart.

Scopes: ``submit`` (POST /applications), ``read`` (reports, job states, lists), ``delete``
(DELETE /applications/{id}), ``admin`` (everything, including retries and the audit log).
The older ``[server] api_tokens`` (plain, comma-separated) still works: each is an unnamed
``admin`` token named ``api_tokens[N]``.

The file (``[server] tokens_file``), written by ``screening tokens create|revoke``::

    {"tokens": [{"name": "ats-sync", "scopes": ["submit"], "sha256": "...",
                 "created_at": "2026-12-06T23:20:00+00:00"}]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screening.errors import ConfigError

SCOPES = ("submit", "read", "delete", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PREFIX = "scr_"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token as the server knows it: its name, scopes and hash (never the token)."""

    name: str
    scopes: frozenset[str]
    sha256: str
    created_at: str = ""

    def allows(self, scope: str) -> bool:
        """Whether this token may do what ``scope`` covers (``admin`` covers everything)."""
        return "admin" in self.scopes or scope in self.scopes


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_token() -> str:
    """A fresh token (256 random bits), shown once."""
    return PREFIX + secrets.token_urlsafe(32)


def plain_tokens(tokens: Sequence[str]) -> tuple[ApiToken, ...]:
    """``[server] api_tokens`` entries as unnamed ``admin`` tokens."""
    return tuple(
        ApiToken(f"api_tokens[{i}]", frozenset({"admin"}), token_hash(t))
        for i, t in enumerate(tokens, 1)
    )


def match(tokens: Sequence[ApiToken], presented: str) -> ApiToken | None:
    """The token ``presented`` is, comparing with every known hash (no early exit to time)."""
    wanted = token_hash(presented)
    found = None
    for token in tokens:
        if hmac.compare_digest(token.sha256, wanted):
            found = token
    return found


def read_tokens_file(path: Path) -> tuple[ApiToken, ...]:
    """The tokens in ``path`` (a missing file holds none); a malformed one is a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the tokens file: {exc.strerror}") from None
    try:
        rows = json.loads(text)["tokens"]
        tokens = tuple(
            ApiToken(
                name=str(row["name"]),
                scopes=frozenset(str(s) for s in row["scopes"]),
                sha256=str(row["sha256"]),
                created_at=str(row.get("created_at", "")),
            )
            for row in rows
        )
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            f'{path}: not a tokens file (expected {{"tokens": [{{"name", "scopes", '
            '"sha256"}]}); write it with `screening tokens create`'
        ) from None
    for token in tokens:
        unknown = token.scopes - set(SCOPES)
        if unknown or not NAME.match(token.name) or not re.fullmatch(r"[0-9a-f]{64}", token.sha256):
            raise ConfigError(f"{path}: token {token.name[:64]!r} is malformed")
    return tokens


def write_tokens_file(path: Path, tokens: Sequence[ApiToken]) -> None:
    """Replace ``path`` atomically, readable by its owner only."""
    body = {
        "tokens": [
            {
                "name": t.name,
                "scopes": sorted(t.scopes),
                "sha256": t.sha256,
                "created_at": t.created_at,
            }
            for t in tokens
        ]
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


def create(path: Path, name: str, scopes: Sequence[str]) -> str:
    """Add a named token to ``path``; the token itself (shown once)."""
    if not NAME.match(name):
        raise ConfigError(f"token name {name[:64]!r}: letters, digits, '.', '_' or '-' only")
    if not scopes or set(scopes) - set(SCOPES):
        raise ConfigError(f"scopes: one or more of {', '.join(SCOPES)}")
    tokens = list(read_tokens_file(path))
    if any(t.name == name for t in tokens):
        raise ConfigError(f"{path}: a token named {name!r} exists; revoke it or pick a new name")
    token = new_token()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    tokens.append(ApiToken(name, frozenset(scopes), token_hash(token), now))
    write_tokens_file(path, tokens)
    return token


def revoke(path: Path, name: str) -> bool:
    """Remove the token named ``name``; False when there was none."""
    tokens = list(read_tokens_file(path))
    kept = [t for t in tokens if t.name != name]
    if len(kept) == len(tokens):
        return False
    write_tokens_file(path, kept)
    return True
