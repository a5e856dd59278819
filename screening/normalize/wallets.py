"""Digital-currency addresses in comparison form, by the rules of each chain's address format.

The same address is written in different ways, and a comparison must see through exactly the
variations a chain's format allows and no others:

- EVM chains (Ethereum and every token and chain sharing its addresses: USDT/USDC on ERC-20,
  Arbitrum, BNB Smart Chain, Ethereum Classic): ``0x`` and 40 hex digits; case is only the
  EIP-55 checksum, so the comparison form is lower case.
- bech32 and bech32m (Bitcoin ``bc1``, Litecoin ``ltc1``, Cardano ``addr1``, Cosmos chains ...)
  case-insensitive by definition (all-upper is allowed for QR codes), so lower case.
- Bitcoin Cash cashaddr (``bitcoincash:q...``, prefix optional): decoded to the legacy
  base58check form of the same key hash (``1...``/``3...``), so the two forms of one address
  compare equal. The legacy form is the one Bitcoin, Bitcoin Cash and Bitcoin SV share for a
  hash, so a cashaddr also matches a Bitcoin listing of the same key, which the same key holder
  controls. A cashaddr whose checksum fails is kept, lower case.
- Tron: base58check ``T...``; the hex form ``41`` + 40 hex digits is converted to it.
- base58 (Bitcoin legacy ``1``/``3``, Tron, Monero, Solana, XRP, Dash, Zcash t-addresses ...):
  case is part of the address, so it is kept.

A payment URI (``bitcoin:ADDRESS?amount=...``, ``ethereum:0x...@1``) is reduced to its address.
"""

from __future__ import annotations

import re

from screening.normalize.base58 import base58check
from screening.normalize.cashaddr import to_legacy

MIN_WALLET_CHARS = 16
_URI = re.compile(r"^[a-z][a-z0-9+.-]{1,20}:(?=[A-Za-z0-9])", re.IGNORECASE)
_HEX_WALLET = re.compile(r"^0x[0-9a-fA-F]{40}$")
_TRON_HEX = re.compile(r"^41[0-9a-fA-F]{40}$")
_BECH32 = re.compile(
    r"^(bc|tb|bcrt|ltc|tltc|bnb|cosmos|osmo|addr|stake|terra|zs|bitcoincash|ecash)1?"
    r"[02-9ac-hj-np-z]{8,100}$",
    re.IGNORECASE,
)
_CASHADDR = re.compile(r"^[qp][02-9ac-hj-np-z]{41}$", re.IGNORECASE)
_WALLET_CHARS = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def canonical_wallet(text: str) -> str | None:
    """A digital-currency address in comparison form (None when it cannot be one)."""
    value = "".join(text.split())
    value = _URI.sub("", value, count=1).split("?", 1)[0].split("@", 1)[0]
    if value.lower().startswith("bitcoincash:"):
        value = value.split(":", 1)[1]
    if legacy := to_legacy(value):
        return legacy
    if len(value) < MIN_WALLET_CHARS or not _WALLET_CHARS.match(value):
        return None
    if _HEX_WALLET.match(value) or _BECH32.match(value) or _CASHADDR.match(value):
        return value.lower()
    if _TRON_HEX.match(value):
        return base58check(bytes.fromhex(value))
    return value


def address_family(address: str) -> str:
    """The address format family, for an address listed without its asset."""
    if to_legacy(address.split(":", 1)[-1]):
        return "BCH (Bitcoin Cash)"
    value = canonical_wallet(address) or address
    if _HEX_WALLET.match(value):
        return "EVM (ETH, ERC-20 tokens)"
    if value.startswith("T") and len(value) == 34:
        return "TRX (Tron, TRC-20 tokens)"
    if value.startswith(("bc1", "1", "3")):
        return "XBT (Bitcoin)"
    if value.startswith(("ltc1", "L", "M")):
        return "LTC (Litecoin)"
    return "unknown"
