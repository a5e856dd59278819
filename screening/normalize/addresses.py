"""Postal addresses with a comparison key that ignores case, punctuation and abbreviations.

"12 Oak Street, Apt 4" and "12 oak st. unit 4" must compare equal, or every reformatted address
would look like a shipping-address change.
"""

from __future__ import annotations

import re

from screening.model.application import Address as AddressInput
from screening.model.normalized import Address
from screening.normalize.names import normalize_name
from screening.normalize.text import clean_line, fold

_ABBREVIATIONS = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "terrace": "ter",
    "highway": "hwy",
    "parkway": "pkwy",
    "circle": "cir",
    "suite": "unit",
    "ste": "unit",
    "apartment": "unit",
    "apt": "unit",
    "flat": "unit",
    "room": "unit",
    "rm": "unit",
    "floor": "fl",
    "building": "bldg",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "number": "no",
    "nr": "no",
    "strasse": "str",
    "straße": "str",
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def address_part_key(text: str | None) -> str:
    """Folded words with street-type and unit abbreviations unified ('#' counts as a unit)."""
    if not text:
        return ""
    words = _WORD.findall(fold(text.replace("#", " unit ")))
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def normalize_address(addr: AddressInput) -> Address:
    """Clean every part and build the comparison key."""

    def c(v: str | None) -> str | None:
        return clean_line(v) or None if v else None

    postal = re.sub(r"[\s-]", "", addr.postal_code).upper() if addr.postal_code else None
    key = "|".join(
        [
            address_part_key(" ".join(p for p in (addr.line1, addr.line2) if p)),
            address_part_key(addr.city),
            postal or "",
            addr.country or "",
        ]
    )
    return Address(
        kind=addr.kind.value,
        line1=c(addr.line1),
        line2=c(addr.line2),
        city=c(addr.city),
        region=c(addr.region),
        postal_code=postal,
        country=addr.country,
        key=key,
        recipient=normalize_name(addr.recipient) if addr.recipient else None,
    )
