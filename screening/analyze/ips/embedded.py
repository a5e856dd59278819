"""Country of an IP address from data that installs with the package (no files, no network).

The ``iptocc`` package embeds the five Regional Internet Registries' delegation files, rebuilt
nightly and published as a new release, and answers in about a tenth of a microsecond. An RIR
country is where the block is *registered*, which is usually but not always where it is used, so
reports name the source of every country (MaxMind databases, when configured, take precedence).
"""

from __future__ import annotations

import json
from functools import cache

from screening.model.facts import Source

PACKAGE = "iptocc"


@cache
def _lookup() -> object | None:
    try:
        import iptocc
    except ImportError:
        return None
    return iptocc.country_code


def available() -> bool:
    """The embedded data is installed."""
    return _lookup() is not None


def country(address: str) -> str | None:
    """ISO country of the RIR registration of ``address`` (None when unknown or not installed)."""
    lookup = _lookup()
    if lookup is None:
        return None
    found = lookup(address)  # type: ignore[operator]
    return str(found) if found else None


@cache
def source() -> Source | None:
    """Package version and the date its data was built (from the wheel's SBOM), if installed."""
    if not available():
        return None
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(PACKAGE)
    except PackageNotFoundError:
        return Source("IP-to-country: RIR delegation data (iptocc)", "unknown version")
    built = ""
    for file in dist.files or ():
        if file.name.endswith(".cyclonedx.json"):
            try:
                meta = json.loads(file.read_text(encoding="utf-8"))
                built = str(meta.get("metadata", {}).get("timestamp", ""))[:10]
            except (OSError, ValueError, AttributeError):
                built = ""
            break
    when = f"{dist.version}, data built {built}" if built else dist.version
    return Source("IP-to-country: RIR delegation data (iptocc)", when)
