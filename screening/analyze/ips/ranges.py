"""Network lists as sorted integer arrays: is an address in any listed network, and whose is it?

Lists of hosting, VPN and Tor networks run to tens of thousands of CIDR blocks, and an address is
checked against each list for every IP of every application. Parsed once into the integer start
of each block, sorted, with the furthest end reached so far, one ``bisect`` answers whether any
block (nested or overlapping ones included) contains the address, in well under a microsecond.
"""

from __future__ import annotations

import ipaddress
import socket
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class ListLine:
    """One parsed line of a network list: the block and an optional label (provider name)."""

    network: Network
    label: str | None


def parse_lines(text: str) -> Iterator[tuple[int, ListLine | None, str]]:
    """(line number, parsed line or None if unusable, the raw entry) for every non-comment line.

    A line is ``<address or CIDR> [label words]``; ``#`` starts a comment. A relay table with the
    header ``fingerprint, ipaddr, port`` (the Tor Project's Onionoo exits as CSV) is read by its
    address column.
    """
    lines = text.splitlines()
    relay_csv = bool(lines) and lines[0].replace(" ", "").lower().startswith("fingerprint,ipaddr")
    for number, raw in enumerate(lines, start=1):
        if relay_csv:
            if number == 1:
                continue
            columns = raw.split(",")
            entry = columns[1].strip() if len(columns) >= 2 else raw.strip()
        else:
            entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        token, _, label = entry.partition(" ")
        try:
            network = ipaddress.ip_network(token.strip().strip("[]"), strict=False)
        except ValueError:
            yield number, None, entry
            continue
        yield number, ListLine(network, label.strip() or None), entry


class _Side:
    """The blocks of one IP version."""

    __slots__ = ("labels", "reach", "starts")

    def __init__(self, blocks: list[tuple[int, int, str | None]]) -> None:
        blocks.sort(key=lambda b: (b[0], -b[1]))
        self.starts = [b[0] for b in blocks]
        self.reach: list[int] = []
        self.labels: list[str | None] = []
        best_end, best_label = -1, None
        for _, end, label in blocks:
            if end > best_end:
                best_end, best_label = end, label
            self.reach.append(best_end)
            self.labels.append(best_label)

    def find(self, value: int) -> tuple[bool, str | None]:
        i = bisect_right(self.starts, value) - 1
        if i >= 0 and self.reach[i] >= value:
            return True, self.labels[i]
        return False, None


class NetworkTable:
    """Membership of addresses in a set of networks, with the label of a containing block.

    When blocks overlap, a labelled block names the address even if an unlabelled one reaches
    further (a list of named providers merged with an unnamed community list).
    """

    __slots__ = ("_named", "_v4", "_v6", "size")

    def __init__(self, lines: Iterable[ListLine], default_label: str | None = None) -> None:
        v4: list[tuple[int, int, str | None]] = []
        v6: list[tuple[int, int, str | None]] = []
        for line in lines:
            net = line.network
            label = line.label or default_label
            block = (int(net.network_address), int(net.broadcast_address), label)
            (v4 if net.version == 4 else v6).append(block)
        self.size = len(v4) + len(v6)
        named = [[b for b in side if b[2]] for side in (v4, v6)]
        self._named: tuple[_Side, _Side] | None = None
        if any(named) and (len(named[0]) < len(v4) or len(named[1]) < len(v6)):
            self._named = (_Side(named[0]), _Side(named[1]))
        self._v4 = _Side(v4)
        self._v6 = _Side(v6)

    def lookup_value(self, version: int, value: int) -> tuple[bool, str | None]:
        """(listed, label of a containing block) for an address as ``parse_address`` reads it."""
        listed, label = (self._v4 if version == 4 else self._v6).find(value)
        if listed and label is None and self._named is not None:
            label = self._named[0 if version == 4 else 1].find(value)[1]
        return listed, label

    def __len__(self) -> int:
        return self.size

    @classmethod
    def from_text(cls, *texts: str, default_label: str | None = None) -> NetworkTable:
        """A table from the texts of list files; unusable lines are skipped (validation happens
        on update)."""
        lines = (line for text in texts for _, line, _ in parse_lines(text) if line is not None)
        return cls(lines, default_label)


# IANA special-purpose blocks that are not globally reachable, plus multicast and reserved space:
# addresses that cannot be a visitor's public address. Checked by bisect (the standard library's
# ``is_global`` walks a list of networks and costs several microseconds per address).
_SPECIAL = """
0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24
192.0.2.0/24 192.88.99.0/24 192.168.0.0/16 198.18.0.0/15 198.51.100.0/24 203.0.113.0/24
224.0.0.0/4 240.0.0.0/4
::/127 ::ffff:0:0/96 64:ff9b:1::/48 100::/64 2001::/23 2001:db8::/32 2002::/16 3fff::/20
5f00::/16 fc00::/7 fe80::/10 fec0::/10 ff00::/8
"""
NON_PUBLIC = NetworkTable(ListLine(ipaddress.ip_network(block), None) for block in _SPECIAL.split())


def is_public(version: int, value: int) -> bool:
    """The address can be a host's public address on the internet."""
    return not NON_PUBLIC.lookup_value(version, value)[0]


def parse_address(text: str) -> tuple[int, int, str] | None:
    """(version, integer value, canonical text) of an address, or None if it is not one.

    Dotted-quad IPv4 (the common case) is parsed directly, strictly as the standard library does
    (no leading zeros); anything else goes through ``ipaddress``. IPv4-mapped IPv6 addresses
    (``::ffff:192.0.2.1``) are read as the IPv4 address they carry.
    """
    parts = text.split(".")
    if len(parts) == 4:
        value = 0
        for part in parts:
            if not (part.isdigit() and part.isascii() and len(part) <= 3) or (
                len(part) > 1 and part[0] == "0"
            ):
                break
            octet = int(part)
            if octet > 255:
                return None
            value = (value << 8) | octet
        else:
            return 4, value, text
    if ":" in text and "%" not in text:
        try:
            packed = socket.inet_pton(socket.AF_INET6, text)
        except (OSError, ValueError):
            return None
        value = int.from_bytes(packed, "big")
        if value >> 32 == 0xFFFF:  # ::ffff:a.b.c.d
            v4 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
            return 4, int(v4), str(v4)
        if value >> 32:  # inet_ntop writes RFC 5952 text, as ipaddress does, only faster
            return 6, value, socket.inet_ntop(socket.AF_INET6, packed)
        return 6, value, str(ipaddress.IPv6Address(value))
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.version, int(address), str(address)
