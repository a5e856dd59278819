"""Stage 3 (analyze): sanctions screening against the OFAC SDN list and user-supplied lists.

Loaders read the official OFAC CSV set (``ofac_csv``), OFAC's ``sdn.xml`` (``ofac_xml``) and
FollowTheMoney JSON lines (``ftm``) into one entry shape (``entries``); ``index`` prepares them
for fast matching; ``sources`` registers the ``ofac-sdn`` list for ``screening lists update``
and ships its North Korea snapshot; ``SanctionsAnalyzer`` produces the ``sanctions`` facts.
"""

from __future__ import annotations

from screening.analyze.sanctions.sanctions_analyzer import SanctionsAnalyzer
from screening.analyze.sanctions.sources import OFAC_SDN, SNAPSHOT, load_index

__all__ = ["OFAC_SDN", "SNAPSHOT", "SanctionsAnalyzer", "load_index"]
