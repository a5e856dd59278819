"""IP-KVM hardware recognised by its fingerprints in a device inventory.

The fingerprints come from the ipkvm-watch project's ``indicators.yaml`` (MIT licence, shipped
verbatim as ``ipkvm_fingerprints.yaml``; it credits runZero's IP-KVM research): the USB identity
each device presents to the laptop (vendor and product id, serial, manufacturer string), the MAC
address prefixes of its network interface and the host name it announces on the local network
(mDNS). Most IP-KVMs present the Linux USB gadget identity ``1d6b:0104``, which other hardware
uses too, so that id counts only together with the vendor's manufacturer, serial or search string;
ids unique to one vendor count alone. MAC prefixes the file marks as low confidence (Raspberry Pi
OUIs, locally administered addresses) are not used: ordinary computers carry them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from screening.model.facts import Source
from screening.resources import data_dir
from screening.safeload import read_yaml_file

FILE = "ipkvm_fingerprints.yaml"
SOURCE = Source(
    "IP-KVM fingerprints (ipkvm-watch indicators.yaml, MIT; credits runZero)", "2026-06-09"
)
_GENERIC_GADGET = ("1d6b", "0104")
_VID_PID = (
    re.compile(r"vid[_:=\s]*([0-9a-f]{4})[^0-9a-z]{0,3}pid[_:=\s]*([0-9a-f]{4})", re.IGNORECASE),
    re.compile(r"\b([0-9a-f]{4}):([0-9a-f]{4})\b", re.IGNORECASE),
)
_NAMES = {"pikvm": "PiKVM", "comet": "GL.iNet Comet (GLKVM)"}


@dataclass(frozen=True, slots=True)
class UsbPrint:
    vendor: str
    vid: str
    pid: str
    marks: tuple[str, ...]  # manufacturer, serial, search strings (lower case)


@dataclass(frozen=True, slots=True)
class Fingerprints:
    usb: tuple[UsbPrint, ...]
    macs: tuple[tuple[str, str], ...]  # (prefix, vendor), high confidence only
    hosts: tuple[tuple[str, str], ...]  # (mDNS name, vendor)


def _vendor(key: str) -> str:
    return _NAMES.get(key.lower(), key)


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@cache
def fingerprints() -> Fingerprints:
    """The shipped fingerprint file, read once."""
    data = read_yaml_file(data_dir() / FILE, 1 << 20).data
    data = data if isinstance(data, dict) else {}
    usb: list[UsbPrint] = []
    for key, items in (data.get("usb") or {}).items():
        for item in items or ():
            if not isinstance(item, dict):
                continue
            marks = tuple(
                m.lower()
                for m in (
                    _str(item.get(k)) for k in ("manufacturer", "serial", "windows_search_sring")
                )
                if len(m) >= 4
            )
            usb.append(
                UsbPrint(
                    _vendor(str(key)),
                    _str(item.get("vid")).lower(),
                    _str(item.get("pid")).lower(),
                    marks,
                )
            )
    network = data.get("network") or {}
    macs = [
        (_str(p.get("prefix")).lower().rstrip(":"), _vendor(str(key)))
        for key, entry in (network.get("mac_addresses") or {}).items()
        for p in (entry or {}).get("prefixes") or ()
        if isinstance(p, dict) and p.get("confidence") == "high" and _str(p.get("prefix"))
    ]
    hosts = [
        (_str(name).lower(), _vendor(str(key)))
        for key, names in (network.get("mdns") or {}).items()
        for name in names or ()
        if _str(name)
    ]
    return Fingerprints(tuple(usb), tuple(macs), tuple(hosts))


def _mac(text: str) -> str:
    hexdigits = re.sub(r"[^0-9a-f]", "", text.lower())
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def match(
    usb_devices: Iterable[str], mac_addresses: Iterable[str], network_hosts: Iterable[str]
) -> list[tuple[str, str]]:
    """(vendor, what matched) for every fingerprint found in one device's inventory."""
    prints = fingerprints()
    found: dict[tuple[str, str], None] = {}
    for line in usb_devices:
        low = line.lower()
        ids = {
            (m.group(1).lower(), m.group(2).lower()) for rx in _VID_PID for m in rx.finditer(low)
        }
        for p in prints.usb:
            if (p.vid, p.pid) not in ids:
                continue
            mark = next((m for m in p.marks if m in low), None)
            if mark is not None:
                found[(p.vendor, f"USB {p.vid}:{p.pid} with '{mark}'")] = None
            elif (p.vid, p.pid) != _GENERIC_GADGET:
                found[(p.vendor, f"USB {p.vid}:{p.pid}")] = None
    for text in mac_addresses:
        mac = _mac(text)
        for prefix, vendor in prints.macs:
            if mac.startswith(prefix):
                found[(vendor, f"MAC {mac} (prefix {prefix})")] = None
    for host in network_hosts:
        name = host.strip().lower().rstrip(".")
        for mdns, vendor in prints.hosts:
            if name == mdns or name.startswith(mdns.removesuffix(".local") + "."):
                found[(vendor, f"host {name} on the local network")] = None
    return list(found)
