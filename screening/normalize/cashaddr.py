"""Bitcoin Cash ``cashaddr`` addresses decoded to the legacy base58check form of the same key.

One Bitcoin Cash address has two written forms: the legacy base58check form (``1...`` for a
key hash, ``3...`` for a script hash, the same string Bitcoin uses for that hash) and cashaddr
(``bitcoincash:q...`` / ``p...``), so a comparison must turn one into the other. The decoding
follows the public cashaddr specification (Bitcoin ABC, "CashAddr", 2017; also used by eCash
with the ``ecash`` prefix): a prefix, a separator, and a payload in the bech32 alphabet whose
last eight characters are a 40-bit BCH-code checksum over the prefix and the payload; the
payload's first byte is a version byte (bit 7 reserved, bits 3-6 the type: 0 key hash, 1 script
hash; bits 0-2 the hash size, 0 for 160 bits).
"""

from __future__ import annotations

from screening.normalize.base58 import base58check

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
PREFIXES = ("bitcoincash", "ecash")
_GENERATORS = (0x98F2BC8E61, 0x79B76D99E2, 0xF33E5FB3C4, 0xAE2EABE2A8, 0x1E4F43E470)
_LEGACY_VERSION = {0: b"\x00", 1: b"\x05"}  # cashaddr type -> legacy version byte (mainnet)
_CHECKSUM_CHARS = 8
_HASH160_CHARS = 34  # 21 bytes (version + 20-byte hash) in 5-bit groups, padded


def _polymod(values: list[int]) -> int:
    c = 1
    for d in values:
        top = c >> 35
        c = ((c & 0x07FFFFFFFF) << 5) ^ d
        for bit, generator in enumerate(_GENERATORS):
            if (top >> bit) & 1:
                c ^= generator
    return c ^ 1


def _valid(prefix: str, data: list[int]) -> bool:
    return _polymod([ord(ch) & 0x1F for ch in prefix] + [0] + data) == 0


def _to_bytes(groups: list[int]) -> bytes | None:
    """5-bit groups to bytes; None when the padding is not zero bits."""
    acc = bits = 0
    out = bytearray()
    for g in groups:
        acc = (acc << 5) | g
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits >= 5 or acc & ((1 << bits) - 1):
        return None
    return bytes(out)


def to_legacy(text: str) -> str | None:
    """The legacy base58check form of a mainnet cashaddr key-hash or script-hash address
    (prefix optional, any one case), or None when ``text`` is not such an address with a valid
    checksum."""
    value = text.strip()
    if value != value.lower() and value != value.upper():
        return None  # mixed case is invalid in cashaddr
    value = value.lower()
    prefix, sep, payload = value.rpartition(":")
    candidates = (prefix,) if sep else PREFIXES
    if len(payload) != _HASH160_CHARS + _CHECKSUM_CHARS or any(c not in CHARSET for c in payload):
        return None
    data = [CHARSET.index(c) for c in payload]
    if not any(p in PREFIXES and _valid(p, data) for p in candidates):
        return None
    raw = _to_bytes(data[:-_CHECKSUM_CHARS])
    if raw is None or len(raw) != 21 or raw[0] & 0x87:
        return None  # reserved bit set or a hash size other than 160 bits
    version = _LEGACY_VERSION.get(raw[0] >> 3)
    return base58check(version + raw[1:]) if version is not None else None
