"""Bitcoin Cash addresses: the cashaddr and legacy forms of one address compare equal."""

from __future__ import annotations

import pytest

from screening.normalize.cashaddr import to_legacy
from screening.normalize.wallets import address_family, canonical_wallet

# the test vectors of the public cashaddr specification (key hash and script hash, 160 bits),
# written here without their ``bitcoincash:`` prefix
SPEC_VECTORS = [
    ("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
    ("1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR", "qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy"),
    ("16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb", "qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r"),
    ("3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", "ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq"),
    ("3LDsS579y7sruadqu11beEJoTjdFiFCdX4", "pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e"),
    ("31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw", "pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37"),
]


@pytest.mark.parametrize(("legacy", "cash"), SPEC_VECTORS)
def test_spec_vectors_decode_to_their_legacy_form(legacy: str, cash: str) -> None:
    cash = f"bitcoincash:{cash}"
    assert to_legacy(cash) == legacy
    assert canonical_wallet(cash) == canonical_wallet(legacy) == legacy
    assert canonical_wallet(cash.upper()) == legacy  # all-upper is allowed (QR codes)
    assert canonical_wallet(cash.split(":", 1)[1]) == legacy  # the prefix is optional


def test_a_broken_checksum_or_mixed_case_is_not_decoded() -> None:
    good = "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
    assert to_legacy(good[:-1] + "c") is None
    assert to_legacy(good[:10] + good[10:].upper()) is None
    assert to_legacy("bitcoincash:" + good[1:]) is None  # a character short
    # an undecodable one keeps today's comparison form, so it still equals itself
    assert canonical_wallet(good[:-1].upper() + "C") == good[:-1] + "c"


def test_the_other_chains_are_untouched() -> None:
    assert canonical_wallet("bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l") == (
        "bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l"
    )
    assert canonical_wallet("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu") == (
        "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu"
    )
    assert address_family("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a") == (
        "BCH (Bitcoin Cash)"
    )
    assert address_family("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu") == "XBT (Bitcoin)"
