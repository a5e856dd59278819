"""Who is using the console: passwords, sessions, CSRF tokens, sign-in throttling, proxy identity.

Why these choices:

* Passwords are hashed with argon2id (argon2-cffi, the maintained binding of the reference
  implementation), never stored or logged in any other form.
* A session is a random 256-bit token in a ``Secure``, ``HttpOnly``, ``SameSite=Strict`` cookie
  scoped to ``/ui``; the database keeps only its SHA-256 (``screening.store.review``).
* Every form carries the session's CSRF token, compared in constant time; the sign-in form, which
  has no session yet, uses a double-submit cookie. ``SameSite=Strict`` is a second line.
* Sign-in failures are throttled per account name and per client address (a sliding window of
  failures kept in the reviewers' store, so several receivers on one database count them
  together), answered 429 with Retry-After.
* Single sign-on: when ``[ui] trusted_user_header`` is set, a request from one of
  ``[ui] trusted_proxies`` (e.g. oauth2-proxy on the same host) is signed in as the person the
  header names; the header is ignored from any other address, so a client cannot claim it.
"""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from screening.store.review import Reviewer

SESSION_COOKIE = "screening_session"
LOGIN_COOKIE = "screening_login"
COOKIE_PATH = "/ui"

_HASHER = PasswordHasher()
# verified when the account does not exist, so an unknown name costs the same time as a known one
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024


def hash_password(password: str) -> str:
    """The argon2id hash to store for a new password."""
    return _HASHER.hash(password)


def check_password_strength(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password needs at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password may have at most {MAX_PASSWORD_CHARS} characters"
    return None


def verify_password(account: Reviewer | None, password: str) -> bool:
    """True when ``password`` opens ``account`` (same cost whether or not the account exists)."""
    stored = account.password_hash if account and not account.disabled else None
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored is not None


def new_token() -> str:
    """A fresh unguessable token (sessions, CSRF, the sign-in form)."""
    return secrets.token_urlsafe(32)


def same_token(expected: str, presented: str | None) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace"))
