"""A minimal MaxMind DB (MMDB format 2.0) writer, so tests make their own databases.

Written from the public MaxMind DB File Format Specification: a binary search tree over the
address bits (32-bit records here), 16 zero bytes, a data section of typed values, then the
metadata map after the ``\\xab\\xcd\\xefMaxMind.com`` marker. IPv4 networks in an IPv6 tree live
under ``::/96``, where readers look IPv4 addresses up.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path

METADATA_MARKER = b"\xab\xcd\xefMaxMind.com"


def _control(type_id: int, size: int) -> bytes:
    if size < 29:
        head, extra = size, b""
    elif size < 29 + 256:
        head, extra = 29, bytes([size - 29])
    elif size < 285 + 65536:
        head, extra = 30, (size - 285).to_bytes(2, "big")
    else:
        head, extra = 31, (size - 65821).to_bytes(3, "big")
    if type_id <= 7:
        return bytes([(type_id << 5) | head]) + extra
    return bytes([head, type_id - 7]) + extra


class U16(int):
    """An integer that must be stored as uint16 (metadata fields are typed)."""


class U32(int):
    """An integer that must be stored as uint32."""


class U64(int):
    """An integer that must be stored as uint64."""


def _uint(type_id: int, value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return _control(type_id, len(raw)) + raw


def encode(value: object) -> bytes:
    """One value in the MMDB data-section encoding."""
    if isinstance(value, U16):
        return _uint(5, value)
    if isinstance(value, U32):
        return _uint(6, value)
    if isinstance(value, U64):
        return _uint(9, value)
    if isinstance(value, bool):
        return _control(14, int(value))
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _control(2, len(raw)) + raw
    if isinstance(value, float):
        return _control(3, 8) + struct.pack(">d", value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("negative integers are not needed by these tests")
        return _uint(5 if value < 2**16 else 6 if value < 2**32 else 9, value)
    if isinstance(value, Mapping):
        out = _control(7, len(value))
        for key, item in value.items():
            out += encode(str(key)) + encode(item)
        return out
    if isinstance(value, list | tuple):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    raise TypeError(f"cannot encode {type(value).__name__}")


class _Node:
    __slots__ = ("children", "data")

    def __init__(self) -> None:
        self.children: list[_Node | None] = [None, None]
        self.data: int | None = None  # index into the data list when this is a leaf


def write_mmdb(
    path: Path,
    networks: Sequence[tuple[str, Mapping[str, object]]],
    *,
    database_type: str,
    ip_version: int = 6,
    build_epoch: int = 1_767_225_600,
) -> Path:
    """Write ``(cidr, record)`` pairs as a database file; more specific networks win."""
    bits = 128 if ip_version == 6 else 32
    root = _Node()
    records: list[bytes] = []
    ordered = sorted(networks, key=lambda item: ipaddress.ip_network(item[0]).prefixlen)
    for cidr, record in ordered:
        net = ipaddress.ip_network(cidr)
        value, prefix = int(net.network_address), net.prefixlen
        if net.version == 4 and ip_version == 6:
            prefix += 96  # IPv4 lives under ::/96 in an IPv6 tree
        elif net.version != ip_version:
            raise ValueError(f"{cidr} does not fit an IPv{ip_version} tree")
        records.append(encode(dict(record)))
        node = root
        for depth in range(prefix):
            bit = (value >> (bits - 1 - depth)) & 1
            child = node.children[bit]
            if child is None or child.data is not None:
                fresh = _Node()
                if child is not None:  # split a broader leaf: both halves keep its data
                    fresh.children = [_leaf(child.data), _leaf(child.data)]
                node.children[bit] = fresh
                child = fresh
            node = child
        node.data = len(records) - 1
        node.children = [None, None]
    nodes: list[_Node] = []
    queue = [root]
    while queue:
        node = queue.pop(0)
        nodes.append(node)
        queue.extend(c for c in node.children if c is not None and c.data is None)
    index = {id(n): i for i, n in enumerate(nodes)}
    offsets, data = [], b""
    for blob in records:
        offsets.append(len(data))
        data += blob
    count = len(nodes)
    tree = bytearray()
    for node in nodes:
        for child in node.children:
            if child is None:
                ref = count
            elif child.data is not None:
                ref = count + 16 + offsets[child.data]
            else:
                ref = index[id(child)]
            tree += ref.to_bytes(4, "big")
    metadata = {
        "node_count": U32(count),
        "record_size": U16(32),
        "ip_version": U16(ip_version),
        "database_type": database_type,
        "languages": ["en"],
        "binary_format_major_version": U16(2),
        "binary_format_minor_version": U16(0),
        "build_epoch": U64(build_epoch),
        "description": {"en": f"test {database_type}"},
    }
    path.write_bytes(bytes(tree) + b"\x00" * 16 + data + METADATA_MARKER + encode(metadata))
    return path


def _leaf(data: int | None) -> _Node:
    node = _Node()
    node.data = data
    return node
