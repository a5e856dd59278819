"""Digital-currency addresses in comparison form, by the rules of each chain's address format.

The same address is written in different ways, and a comparison must see through exactly the
variations a chain's format allows and no others:

- EVM chains (Ethereum and every token and chain sharing its addresses: USDT/USDC on ERC-20,
  Arbitrum, BNB Smart Chain, Ethereum Classic): ``0x`` and 40 hex digits; case is only the
  EIP-55 checksum, so the comparison form is lower case.
- bech32 and bech32m (Bitcoin ``bc1``, Litecoin ``ltc1``, Cardano ``addr1``, Cosmos chains ...)
  and Bitcoin Cash cashaddr: case-insensitive by definition (all-upper is allowed for QR
  codes), so lower case; a ``bitcoincash:`` prefix is dropped.
- Tron: base58check ``T...``; the hex form ``41`` + 40 hex digits is converted to it.
- base58 (Bitcoin legacy ``1``/``3``, Tron, Monero, Solana, XRP, Dash, Zcash t-addresses ...):
  case is part of the address, so it is kept.

A payment URI (``bitcoin:ADDRESS?amount=...``, ``ethereum:0x...@1``) is reduced to its address.
"""

from __future__ import annotations

import hashlib
import re

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
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _BASE58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def canonical_wallet(text: str) -> str | None:
    """A digital-currency address in comparison form (None when it cannot be one)."""
    value = "".join(text.split())
    value = _URI.sub("", value, count=1).split("?", 1)[0].split("@", 1)[0]
    if value.lower().startswith("bitcoincash:"):
        value = value.split(":", 1)[1]
    if len(value) < MIN_WALLET_CHARS or not _WALLET_CHARS.match(value):
        return None
    if _HEX_WALLET.match(value) or _BECH32.match(value) or _CASHADDR.match(value):
        return value.lower()
    if _TRON_HEX.match(value):
        return _base58check(bytes.fromhex(value))
    return value


def address_family(address: str) -> str:
    """The address format family, for an address listed without its asset."""
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
