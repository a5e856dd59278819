"""Stage 3 (analyze): extracts of OFAC data published by others, shipped beside the official file.

- Digital-currency addresses of every program (``asset,address,ent_num,party_type,primary_name,
  programs``, one row per address and party, as extracted from an official ``SDN_ADVANCED.XML``),
  and a newer plain list of addresses without asset or party (``# Last Updated: ...`` then one
  address per line). Every address becomes a *wallet* entry: matched exactly against payout
  wallets, never compared with an applicant's name, whatever program lists it.
- Names of North Korea program entries published after the official snapshot (``uid,name,type,
  programs,alternate_names``): only the entries the snapshot does not hold are added, so one
  listed party is never reported twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from pathlib import Path

from screening.analyze.sanctions.entries import SanctionsEntry, Wallet
from screening.errors import ListError
from screening.normalize.wallets import address_family, canonical_wallet

MAX_BYTES = 64 * 1024 * 1024
_UPDATED = re.compile(r"^#\s*Last Updated:\s*(\d{4}-\d{2}-\d{2})")
_KINDS = {"individual", "entity", "vessel", "aircraft"}


def _text(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ListError(f"{path}: larger than {MAX_BYTES} bytes, refused")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListError(f"{path}: not UTF-8 text") from None


def _rows(path: Path, header: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_text(path)))
    if tuple(reader.fieldnames or ()) != header:
        raise ListError(f"{path}, line 1: expected the columns {', '.join(header)}")
    return list(reader)


WALLET_COLUMNS = ("asset", "address", "ent_num", "party_type", "primary_name", "programs")
NAME_COLUMNS = ("uid", "name", "type", "programs", "alternate_names")


def load_wallet_parties(path: Path) -> list[SanctionsEntry]:
    """One wallet entry per listed party, with its addresses and programs."""
    parties: dict[str, tuple[str, list[str], list[Wallet]]] = {}
    for number, row in enumerate(_rows(path, WALLET_COLUMNS), start=2):
        if not row["address"] or not row["ent_num"]:
            raise ListError(f"{path}, line {number}: address and ent_num are required")
        party = parties.setdefault(
            row["ent_num"], (row["primary_name"], row["programs"].split(";"), [])
        )
        party[2].append(Wallet(row["asset"].upper(), row["address"]))
    return [
        SanctionsEntry(
            uid=uid,
            name=name,
            kind="wallet",
            programs=tuple(p.strip() for p in programs if p.strip()),
            wallets=tuple(wallets),
        )
        for uid, (name, programs, wallets) in parties.items()
    ]


def load_address_list(path: Path, known: Collection[str]) -> tuple[list[SanctionsEntry], str]:
    """Wallet entries for the addresses of a plain list that ``known`` (canonical forms) lacks,
    and the list's date (from its ``# Last Updated:`` line)."""
    date = ""
    out: list[SanctionsEntry] = []
    seen = set(known)
    for number, raw in enumerate(_text(path).splitlines(), start=1):
        line = raw.strip()
        if m := _UPDATED.match(line):
            date = m.group(1)
        if not line or line.startswith("#"):
            continue
        key = canonical_wallet(line)
        if key is None:
            raise ListError(f"{path}, line {number}: not a digital-currency address")
        if key in seen:
            continue
        seen.add(key)
        out.append(
            SanctionsEntry(
                uid="",
                name="a listed party (this address list does not name it)",
                kind="wallet",
                wallets=(Wallet(address_family(line), line),),
            )
        )
    return out, date


def load_newer_names(path: Path, known_uids: Collection[str]) -> list[SanctionsEntry]:
    """Entries of a names list whose uid the official snapshot does not hold."""
    out = []
    for number, row in enumerate(_rows(path, NAME_COLUMNS), start=2):
        if not row["uid"] or not row["name"]:
            raise ListError(f"{path}, line {number}: uid and name are required")
        if row["uid"] in known_uids:
            continue
        kind = row["type"].strip().lower()
        out.append(
            SanctionsEntry(
                uid=row["uid"],
                name=row["name"].strip(),
                kind=kind if kind in _KINDS else "entity",
                programs=tuple(p.strip() for p in row["programs"].split(";") if p.strip()),
                aliases=tuple(a.strip() for a in row["alternate_names"].split(";") if a.strip()),
            )
        )
    return out
