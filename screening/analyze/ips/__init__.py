"""IP intelligence that needs no network: embedded RIR countries, MaxMind files, network lists.

``IpIntel`` answers per address (country, operator, hosting/VPN/Tor/proxy, sanctioned
jurisdiction); ``IpIntelAnalyzer`` turns an application's addresses into the ``ips`` and
``ip_summary`` facts. Importing this package registers the hosting, VPN and Tor lists with
``screening lists update``.
"""

from __future__ import annotations

from screening.analyze.ips.ip_analyzer import IpIntel, IpIntelAnalyzer, IpOptions

__all__ = ["IpIntel", "IpIntelAnalyzer", "IpOptions"]
