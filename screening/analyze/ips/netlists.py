"""The hosting, VPN and Tor network lists: registered for ``screening lists update``, loaded once.

Every list ships with the package (``screening/data``, provenance in ``<name>.meta.json`` and in
``screening/data/NOTICE.md``) so a fresh install decides hosting, VPN and Tor offline, and each is
refreshed from its public source by ``screening lists update <name>``:

- ``hosting-networks``: data-centre and hosting networks ("not an eyeball network") from
  X4BNet/lists_vpn (MIT licence), with a small seed of large providers that names them.
- ``vpn-networks``: commercial VPN networks from X4BNet/lists_vpn (MIT licence); no provider names.
- ``astrill-vpn``: Astrill VPN exit addresses as published by Spur; every entry names Astrill, the
  VPN public reporting on North Korean IT workers names most often. Checked before the unnamed
  VPN list, so the provider is named whenever it is known.
- ``tor-exit-nodes``: the Tor Project's bulk exit list and the running exit relays from Onionoo.

A list that is empty or switched off ([lists] disabled) yields *unavailable* facts rather than
"not listed" when no other source can decide them.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.analyze.ips.ranges import NetworkTable, parse_lines
from screening.errors import ListError
from screening.lists import ListChoices, ListFile, ListSpec, files_in_use, info, register
from screening.model.facts import Source

_X4B = "https://raw.githubusercontent.com/X4BNet/lists_vpn/main/output/"
_VPN_WEEKS = (
    "VPN providers rent and drop address blocks from hosting companies within weeks, and the "
    "community list is rebuilt daily, so an older copy misses new exits and flags old ones."
)


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
            ListFile("datacenter_networks.txt", _X4B + "datacenter/ipv4.txt"),
            ListFile("datacenter_networks_v6.txt", _X4B + "datacenter/ipv6.txt"),
            ListFile("hosting_networks.txt", ""),  # named seed: ships only, names providers
        ),
        validate=validate_networks,
        shipped=("datacenter_networks.txt", "datacenter_networks_v6.txt", "hosting_networks.txt"),
        description="Data-centre networks (X4BNet/lists_vpn, MIT), a seed names large providers",
        family="ips",
        max_age_days=60,
        max_age_reason=(
            "Hosting companies acquire and sell address blocks over months, so an older copy "
            "slowly misses rented servers."
        ),
        licence="MIT (X4BNet/lists_vpn); provider seed by the screening maintainers",
    )
)
ASTRILL = register(
    ListSpec(
        name="astrill-vpn",
        title="Astrill VPN exits",
        files=(
            ListFile(
                "astrill_vpn_ipv4.txt", "https://storage.googleapis.com/spur-astrill-vpn/ips.txt"
            ),
        ),
        validate=validate_networks,
        shipped=("astrill_vpn_ipv4.txt",),
        description="Astrill VPN exit addresses published by Spur (spur.us)",
        family="ips",
        max_age_days=28,
        max_age_reason=_VPN_WEEKS,
        provider="Astrill",
        licence="published free of charge by Spur, terms not stated; mirror states MIT",
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
        shipped=("vpn_networks.txt", "vpn_networks_v6.txt"),
        description="Commercial VPN networks (X4BNet/lists_vpn, MIT)",
        family="ips",
        max_age_days=28,
        max_age_reason=_VPN_WEEKS,
        licence="MIT (X4BNet/lists_vpn)",
    )
)
TOR = register(
    ListSpec(
        name="tor-exit-nodes",
        title="Tor exit relays",
        files=(
            ListFile("tor_exit_nodes.txt", "https://check.torproject.org/torbulkexitlist"),
            ListFile(
                "tor_exit_relays.csv",
                "https://raw.githubusercontent.com/alireza-rezaee/tor-nodes/main/latest.exits.csv",
            ),
        ),
        validate=validate_networks,
        shipped=("tor_exit_nodes.txt", "tor_exit_relays.csv"),
        description="The Tor Project's bulk exit list and Onionoo's running exit relays",
        family="ips",
        max_age_days=7,
        max_age_reason=(
            "Tor relays join and leave every hour; after a week a noticeable share of the "
            "exits has changed."
        ),
        licence="Tor Project list: no licence stated (published openly); Onionoo mirror: MIT",
    )
)

# the lists deciding each fact, in the order they are asked (a named provider first)
BY_FACT: tuple[tuple[str, tuple[ListSpec, ...]], ...] = (
    ("hosting", (HOSTING,)),
    ("vpn", (ASTRILL, VPN)),
    ("tor", (TOR,)),
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
        """No entries (or switched off): membership cannot be decided."""
        return len(self.table) == 0


def load_list(spec: ListSpec, choices: ListChoices | None = None) -> LoadedList:
    """The copy in use (the user's files, updated, else shipped) of ``spec``, as one table."""
    choices = choices or ListChoices()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files_in_use(spec, choices)]
    table = NetworkTable.from_text(*texts, default_label=spec.provider)
    about = info(spec.name, choices=choices)
    if about.disabled:
        return LoadedList(spec.name, spec.title, table, Source(f"{spec.title}: disabled", "-"))
    where = "shipped" if about.shipped else "your files" if about.replaced else "updated"
    licence = f"; licence: {about.licence}" if about.licence else ""
    source = Source(
        f"{spec.title} ({where}, {len(table)} entries): {about.source or 'updated copy'}{licence}",
        about.date or (about.updated_at or "")[:10] or "undated",
    )
    return LoadedList(spec.name, spec.title, table, source)
