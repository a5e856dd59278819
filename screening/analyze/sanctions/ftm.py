"""Stage 3 (analyze): sanctions data as FollowTheMoney entities in JSON lines (OpenSanctions).

One JSON object per line: ``{"id", "schema", "properties": {name: [values]}}``. People
(``Person``) and organisations (``Organization``, ``Company``, ``LegalEntity``, ``Vessel`` ...)
carry ``name``, ``alias``, ``previousName``, ``weakAlias``, ``birthDate``, ``email``, ``website``
and sometimes ``programId``; ``CryptoWallet`` entities carry ``publicKey`` and ``currency`` and
point at their ``holder``; ``Sanction`` entities point at the sanctioned ``entity`` and name the
``program``. Wallets and programs are attached to the entity they point at; a wallet whose holder
is not in the file is kept as an entry of its own, so its address is still screened. A line that
is not such an object is an error naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from screening.analyze.sanctions.entries import BirthDate, SanctionsEntry, SanctionsList, Wallet
from screening.errors import ListError

TITLE = "Sanctions entities (FollowTheMoney)"
MAX_LINE_BYTES = 4 * 1024 * 1024
_PEOPLE = frozenset({"Person"})
_PARTIES = frozenset(
    {"Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane", "Person"}
)


def _values(props: dict[str, object], key: str) -> list[str]:
    raw = props.get(key, [])
    if not isinstance(raw, list):
        return []
    return [v.strip() for v in raw if isinstance(v, str) and v.strip()]


def _objects(data: bytes, label: str) -> Iterable[tuple[int, dict[str, object]]]:
    for n, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            raise ListError(f"{label}, line {n}: longer than {MAX_LINE_BYTES} bytes")
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise ListError(f"{label}, line {n}: not JSON ({exc})") from None
        if (
            not isinstance(obj, dict)
            or not isinstance(obj.get("id"), str)
            or not isinstance(obj.get("schema"), str)
            or not isinstance(obj.get("properties", {}), dict)
        ):
            raise ListError(
                f"{label}, line {n}: not a FollowTheMoney entity (an object with id, schema and "
                "properties)"
            )
        yield n, obj


def parse_ftm(data: bytes, label: str) -> list[SanctionsEntry]:
    """Entries of a FollowTheMoney JSON-lines document."""
    parties: dict[str, dict[str, object]] = {}
    wallets: list[dict[str, object]] = []
    programs: dict[str, list[str]] = {}
    for _, obj in _objects(data, label):
        schema = str(obj["schema"])
        props = obj.get("properties", {})
        assert isinstance(props, dict)
        if schema in _PARTIES:
            parties[str(obj["id"])] = obj
        elif schema == "CryptoWallet":
            wallets.append(obj)
        elif schema == "Sanction":
            names = _values(props, "programId") or _values(props, "program")
            for target in _values(props, "entity"):
                programs.setdefault(target, []).extend(names)
    held: dict[str, list[Wallet]] = {}
    orphans: list[SanctionsEntry] = []
    for obj in wallets:
        props = obj.get("properties", {})
        assert isinstance(props, dict)
        currency = (_values(props, "currency") or [""])[0].upper()
        keys = [Wallet(currency, k) for k in _values(props, "publicKey")]
        holders = [h for h in _values(props, "holder") if h in parties]
        for holder in holders:
            held.setdefault(holder, []).extend(keys)
        if not holders and keys:
            orphans.append(
                SanctionsEntry(
                    uid=str(obj["id"]),
                    name=(_values(props, "name") or [keys[0].address])[0],
                    kind="wallet",
                    programs=tuple(programs.get(str(obj["id"]), ())),
                    wallets=tuple(keys),
                )
            )
    entries = [
        _entry(pid, obj, held.get(pid, []), programs.get(pid, [])) for pid, obj in parties.items()
    ]
    return [e for e in entries if e is not None] + orphans


def _entry(
    uid: str, obj: dict[str, object], wallets: list[Wallet], programs: list[str]
) -> SanctionsEntry | None:
    props = obj.get("properties", {})
    assert isinstance(props, dict)
    names = _values(props, "name")
    caption = obj.get("caption")
    if not names and isinstance(caption, str) and caption.strip():
        names = [caption.strip()]
    if not names:
        return None
    schema = str(obj["schema"])
    dobs = [d for d in (BirthDate.parse(t) for t in _values(props, "birthDate")) if d]
    own_programs = _values(props, "programId") or _values(props, "program")
    return SanctionsEntry(
        uid=uid,
        name=names[0],
        kind="individual" if schema in _PEOPLE else schema.lower(),
        programs=tuple(dict.fromkeys([*own_programs, *programs])),
        aliases=tuple(
            dict.fromkeys([*names[1:], *_values(props, "alias"), *_values(props, "previousName")])
        ),
        weak_aliases=tuple(_values(props, "weakAlias")),
        emails=tuple(e.lower() for e in _values(props, "email")),
        wallets=tuple(wallets),
        websites=tuple(_values(props, "website")),
        birth_dates=tuple(dobs),
    )


def load_ftm(path: Path) -> SanctionsList:
    """The entries of a FollowTheMoney JSON-lines file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror}") from None
    return SanctionsList(TITLE, str(path), "", tuple(parse_ftm(data, str(path))))
