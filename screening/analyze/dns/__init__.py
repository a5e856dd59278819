"""Domain facts: names offline (``domains`` family) and DNS answers online (``dns`` family).

The offline half reads the names themselves (roles, validity, punycode, look-alike characters);
the online half asks a resolver, concurrently and with time limits, after checking that the
resolver's negative answers can be trusted.
"""

from __future__ import annotations

from screening.analyze.dns.dns_analyzer import DEFAULT_CANARIES, DnsAnalyzer, DnsOptions
from screening.analyze.dns.domains import DEFAULT_MAX_DOMAINS, DomainAnalyzer

__all__ = [
    "DEFAULT_CANARIES",
    "DEFAULT_MAX_DOMAINS",
    "DnsAnalyzer",
    "DnsOptions",
    "DomainAnalyzer",
]
