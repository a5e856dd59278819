"""Identifiers normalised before hashing, and names related without being stored."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.analyze.common.namematch import NameRelation, compare_names
from screening.analyze.history.identifiers import (
    canonical_mailbox,
    identifiers,
)
from screening.analyze.history.name_keys import (
    keyed_name,
    relation,
    whole_name_key,
)
from screening.ingest import from_mapping
from screening.model.normalized import Application
from screening.normalize import normalize
from screening.normalize.names import normalize_name
from screening.normalize.wallets import canonical_wallet

SAME, SIMILAR = NameRelation.SAME, NameRelation.VARIANT
DIFFERENT, INCOMPARABLE = NameRelation.DIFFERENT, NameRelation.INCOMPARABLE


def app(**fields: Any) -> Application:
    return normalize(from_mapping({"id": "t-1", "name": "Ann Lee", **fields}, "test"))


@pytest.mark.parametrize(
    ("address", "mailbox"),
    [
        ("Jon.Miller+jobs@Gmail.com", "jonmiller@gmail.com"),
        ("j.o.n.miller@googlemail.com", "jonmiller@gmail.com"),
        ("jon.miller+cv@outlook.com", "jon.miller@outlook.com"),  # dots matter at Outlook
        ("jon.miller+cv@example.com", "jon.miller+cv@example.com"),  # unknown provider: as is
    ],
)
def test_mailboxes_fold_what_the_provider_ignores(address: str, mailbox: str) -> None:
    local, _, domain = address.rpartition("@")
    assert canonical_mailbox(local, domain) == mailbox


_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)


@given(_LOCAL, st.lists(st.integers(0, 11), max_size=4), st.text("abcxyz", max_size=6))
def test_any_gmail_spelling_reaches_one_mailbox(local: str, dots: list[int], tag: str) -> None:
    spelled = list(local)
    for i in sorted(set(dots), reverse=True):
        if 0 < i < len(spelled):
            spelled.insert(i, ".")
    variant = "".join(spelled) + (f"+{tag}" if tag else "")
    assert canonical_mailbox(variant, "googlemail.com") == canonical_mailbox(local, "gmail.com")


def test_wallets_keep_case_only_where_it_matters() -> None:
    assert canonical_wallet("0xAbCdEf0123456789aBcDeF0123456789AbCdEf01") == (
        "0xabcdef0123456789abcdef0123456789abcdef01"
    )
    assert canonical_wallet("BC1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L") == (
        "bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l"
    )
    base58 = "1ExampLeAddressForTests000000000"
    assert canonical_wallet(base58) == base58
    assert canonical_wallet(" 0xAB ") is None  # too short to be a wallet


def test_values_that_normalise_to_nothing_are_skipped() -> None:
    found = identifiers(
        app(
            phones=["call me maybe"],
            emails=["@", "not-an-address"],
            addresses=[{"kind": "home", "city": "Austin", "country": "US"}],
            payment={"wallets": ["n/a"], "bank_country": "US"},
            links=["https://github.com/"],
        )
    )
    assert found == []


def test_identifiers_of_a_full_application() -> None:
    found = identifiers(
        app(
            phones=["+1 512 555 0101", "(512) 555-0101"],
            location={"country": "US"},
            emails=["Ann.Lee@gmail.com"],
            addresses=[
                {
                    "kind": "shipping",
                    "line1": "12 Oak Street, Apt 4",
                    "city": "Austin",
                    "postal_code": "78701",
                    "country": "US",
                },
            ],
            payment={
                "account_holder": "Kim Chol",
                "bank_country": "CN",
                "platform": "Wise",
                "wallets": ["0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"],
            },
            links=["https://www.linkedin.com/in/Ann-Lee-1/", "https://github.com/annlee"],
        )
    )
    assert {(i.kind, i.role) for i in found} == {
        ("phone", "own"),
        ("email", "own"),
        ("address", "shipping"),
        ("bank_account", "payment"),
        ("wallet", "payment"),
        ("handle", "linkedin"),
        ("handle", "github"),
    }
    assert len(found) == 7  # both spellings of the phone are one number
    bank = next(i for i in found if i.kind == "bank_account")
    assert bank.value == "chol kim|CN|wise"


def keyed(*names: str) -> list[Any]:
    return [keyed_name(normalize_name(n), lambda p, v: f"{p}:{v}") for n in names]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Jonathan Miller", "Miller Jonathan", SAME),  # order
        ("Jonathan Miller", "Jon Miler", SAME),  # short form and a spelling slip
        ("Jonathan A. Miller", "Jonathan Miller", SAME),  # extra middle initial
        ("Jonathan Miller", "Sarah Miller", SIMILAR),  # a relative, or one name varied
        ("Jonathan Miller", "Robert Hayes", DIFFERENT),
        ("김민준", "Minjun Kim", INCOMPARABLE),  # another script is never a different name
    ],
)
def test_names_relate_after_folding(a: str, b: str, expected: NameRelation) -> None:
    assert relation(keyed(a), keyed(b))[0] is expected
    # one comparison, one vocabulary: raw names relate the same way as their keyed forms
    assert compare_names(normalize_name(a), normalize_name(b))[0] is expected


def test_whole_name_key_folds_variants_and_order() -> None:
    key = whole_name_key(normalize_name("Jonathan Miller"))
    assert key == whole_name_key(normalize_name("Miler, Jon"))
    assert key != whole_name_key(normalize_name("Jonathan Mills"))
    assert whole_name_key(normalize_name("Cher")) is None


def test_wallet_forms_follow_each_chains_rules() -> None:
    evm = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"  # EIP-55 checksum case
    assert canonical_wallet(f"ethereum:{evm}@1?value=1") == evm.lower()
    # bech32 is case-insensitive; a URI prefix is dropped
    assert canonical_wallet("bitcoin:BC1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L?amount=1") == (
        "bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l"
    )
    # a Bitcoin Cash cashaddr (any one case, prefix or not) is its legacy form
    cash = "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
    assert canonical_wallet(f"bitcoincash:{cash.upper()}") == "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu"
    # Tron's hex form becomes its base58check address
    assert canonical_wallet("41a614f803b6fd780986a42c78ec9c7f77e6ded13c") == (
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    )
    # base58 keeps its case
    assert canonical_wallet("TNiq9AXBp9EjUqhDhrwrfvAA8U3GUQZH81") != canonical_wallet(
        "TNIQ9AXBP9EJUQHDHRWRFVAA8U3GUQZH81"
    )
