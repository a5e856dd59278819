"""Stage 1 of 6 (ingest): a LinkedIn or GitHub profile given as a handle -> its URL.

CSV exports (``linkedin`` and ``github`` columns) and JSON Resumes (``basics.profiles[]`` with a
network and a username but no url) both name profiles this way. Later stages compare links as
URLs, so every format builds them here, the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

PROFILE_URLS: Mapping[str, str] = MappingProxyType(
    {"linkedin": "https://www.linkedin.com/in/{}", "github": "https://github.com/{}"}
)


def profile_url(value: str, pattern: str) -> str:
    """A profile URL from a handle (``@jdoe``, ``jdoe``), or the URL given in its place."""
    if "://" in value:
        return value
    if "linkedin.com" in value.lower() or "github.com" in value.lower():
        return "https://" + value.lstrip("/")
    return pattern.format(value.strip().lstrip("@").strip("/"))
