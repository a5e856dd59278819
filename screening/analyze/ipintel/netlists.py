"""The hosting, VPN and Tor network lists: registered for ``screening lists update``, loaded once.

Each list ships as a file in ``screening/data`` with its source and date in the header and is
refreshed from a public source by ``screening lists update <name>``:

- ``hosting-networks``: data-centre and hosting networks ("not an eyeball network"), updated from
  the X4BNet/lists_vpn datacenter lists (MIT licence); a small seed of large providers ships.
- ``vpn-networks``: commercial VPN networks, updated from the X4BNet/lists_vpn VPN lists; nothing
  ships, so VPN facts stay unavailable until the list is downloaded (or a MaxMind Anonymous IP
  database is configured).
- ``tor-exit-nodes``: the Tor Project's bulk exit list; nothing ships (exits change hourly).

A list with no entries yields *unavailable* facts rather than "not listed".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from screening.analyze.ipintel.ranges import NetworkTable, parse_lines
from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve
from screening.model.facts import Source
from screening.refdata import source_of
from screening.resources import data_dir

_X4B = "https://raw.githubusercontent.com/X4BNet/lists_vpn/main/output/"


def validate_networks(data: bytes) -> tuple[int, str]:
    """Every entry an address or CIDR block (comments allowed); names the first bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ListError("network list: not UTF-8 text") from None
    count = 0
    for number, line, entry in parse_lines(text):
        if line is None:
            raise ListError(f"network list, line {number}: not an address or CIDR: {entry[:60]!r}")
        count += 1
    if count == 0:
        raise ListError("network list: no entries, refusing an empty list")
    return count, ""


HOSTING = register(
    ListSpec(
        name="hosting-networks",
        title="Hosting and data-centre networks",
        files=(
            ListFile("hosting_networks.txt", _X4B + "datacenter/ipv4.txt"),
            ListFile("hosting_networks_v6.txt", _X4B + "datacenter/ipv6.txt"),
        ),
        validate=validate_networks,
        shipped=("hosting_networks.txt",),
        description="Data-centre networks (X4BNet/lists_vpn, MIT); a seed of large providers ships",
    )
)
VPN = register(
    ListSpec(
        name="vpn-networks",
        title="VPN provider networks",
        files=(
            ListFile("vpn_networks.txt", _X4B + "vpn/ipv4.txt"),
            ListFile("vpn_networks_v6.txt", _X4B + "vpn/ipv6.txt"),
        ),
        validate=validate_networks,
        shipped=("vpn_networks.txt",),
        description="Commercial VPN networks (X4BNet/lists_vpn, MIT); none ship",
    )
)
TOR = register(
    ListSpec(
        name="tor-exit-nodes",
        title="Tor exit relays",
        files=(ListFile("tor_exit_nodes.txt", "https://check.torproject.org/torbulkexitlist"),),
        validate=validate_networks,
        shipped=("tor_exit_nodes.txt",),
        description="The Tor Project's bulk exit list; none ship (exits change hourly)",
    )
)


@dataclass(frozen=True, slots=True)
class LoadedList:
    """A list's table and where it came from (for the report's sources)."""

    name: str
    title: str
    table: NetworkTable
    source: Source

    @property
    def empty(self) -> bool:
        """No entries: membership cannot be decided."""
        return len(self.table) == 0


def load_list(spec: ListSpec, lists_dir: Path | None = None) -> LoadedList:
    """The copy in use (updated, else shipped) of every file of ``spec``, as one table."""
    texts: list[str] = []
    shipped_file: str | None = None
    for f in spec.files:
        path = resolve(spec.name, f.filename, lists_dir)
        if path is None:
            continue
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
        if path.parent == data_dir():
            shipped_file = f.filename
    table = NetworkTable.from_text("\n".join(texts))
    entries = f"{len(table)} entries"
    provenance = info(spec.name, lists_dir)
    if provenance.shipped and shipped_file is not None:
        date = source_of(shipped_file, spec.title).version_or_date
        source = Source(f"{spec.title} ({shipped_file}, {entries})", date)
    else:
        source = Source(
            f"{spec.title} ({provenance.source or 'updated copy'}, {entries})",
            provenance.date or (provenance.updated_at or "")[:10] or "undated",
        )
    return LoadedList(spec.name, spec.title, table, source)
