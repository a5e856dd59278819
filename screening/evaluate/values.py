"""Stage 4 (evaluate): checking YAML values against declared fact types.

Rule values and test facts are written in YAML, where ``NO`` is a boolean, ``1.0`` a number and
``2025-01-31`` a date. Before a rule can compare anything, every value it names is checked
against the catalogue type of the fact it is compared with, once, at load time, so a type
mismatch is a load error with a fix rather than a rule that silently never matches.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence

from screening.evaluate.messages import describe, did_you_mean
from screening.model.facts import FactSpec, FactType

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_HUMAN = {
    FactType.STR: "text",
    FactType.INT: "an integer",
    FactType.FLOAT: "a number",
    FactType.BOOL: "true or false",
    FactType.DATE: "a date (YYYY-MM-DD)",
    FactType.DATETIME: "a date and time (ISO 8601)",
    FactType.IP: "an IP address",
    FactType.LIST_STR: "a list of text values",
    FactType.LIST_INT: "a list of integers",
}


class ValueProblem(ValueError):
    """A value that does not fit the fact it is compared with; the message says how to fix it."""


def human(ftype: FactType) -> str:
    """How a fact type is named in messages."""
    return _HUMAN[ftype]


def mismatch(path: str, ftype: FactType, value: object) -> ValueProblem:
    """The standard "type mismatch" problem."""
    quotable = ftype.element in (FactType.STR, FactType.IP) and isinstance(
        value, bool | int | float
    )
    hint = "; put it in quotes" if quotable else ""
    return ValueProblem(f"type mismatch: {path} takes {human(ftype)}, got {describe(value)}{hint}")


def element(value: object, spec: FactSpec, *, declared: bool = True) -> object:
    """One value for ``spec``'s element type, as analyzers would produce it.

    ``declared`` checks text against the values the fact declares (off for substring tests).
    """
    ftype = spec.type.element
    path = spec.path
    if ftype is FactType.STR:
        if not isinstance(value, str):
            raise mismatch(path, ftype, value)
        if declared:
            _check_declared(value, spec)
        return value
    if ftype is FactType.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise mismatch(path, ftype, value)
        return value
    if ftype is FactType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise mismatch(path, ftype, value)
        return value
    if ftype is FactType.BOOL:
        if not isinstance(value, bool):
            raise mismatch(path, ftype, value)
        return value
    if ftype is FactType.DATE:
        return _date(value, spec)
    if ftype is FactType.DATETIME:
        return _datetime(value, spec)
    if ftype is FactType.IP:
        if not isinstance(value, str):
            raise mismatch(path, ftype, value)
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueProblem(f"{path} takes an IP address, got {value!r}") from None
        return value
    raise mismatch(path, ftype, value)  # pragma: no cover - every FactType handled above


def fact_value(value: object, spec: FactSpec) -> object:
    """A whole fact value (a list for list types, None for absent) as analyzers produce it."""
    if value is None:
        return None
    if spec.type.is_list:
        if not isinstance(value, list):
            raise mismatch(spec.path, spec.type, value)
        return [element(v, spec) for v in value]
    return element(value, spec)


def network(value: object, path: str) -> IPNetwork:
    """A ``cidr`` value: a network such as 10.0.0.0/8 (host bits must be zero)."""
    if not isinstance(value, str):
        raise ValueProblem(
            f"cidr on {path} takes a network such as 10.0.0.0/8, got {describe(value)}"
        )
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueProblem(
                f"cidr on {path} takes a network such as 10.0.0.0/8, got {value!r} ({exc})"
            ) from None
        raise ValueProblem(
            f"cidr on {path}: {value!r} has host bits set; did you mean '{loose}'?"
        ) from None


def utc(value: dt.datetime) -> dt.datetime:
    """Naive datetimes are read as UTC so they compare with aware ones."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _date(value: object, spec: FactSpec) -> dt.date:
    if isinstance(value, dt.datetime):
        raise mismatch(spec.path, FactType.DATE, value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise mismatch(spec.path, FactType.DATE, value)


def _datetime(value: object, spec: FactSpec) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        try:
            return utc(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    raise mismatch(spec.path, FactType.DATETIME, value)


def _check_declared(value: str, spec: FactSpec) -> None:
    """A fact that declares its values (e.g. line types) only takes one of them."""
    if not spec.values:
        return
    folded = value.casefold()
    if any(folded == v.casefold() for v in spec.values):
        return
    raise ValueProblem(unknown_value(value, spec.path, spec.values))


def unknown_value(value: str, path: str, allowed: Sequence[str]) -> str:
    """Message for a text value a fact never takes."""
    hint = did_you_mean(value, allowed)
    return f"{path} never takes {value!r}{hint}; it takes: {', '.join(allowed)}"
