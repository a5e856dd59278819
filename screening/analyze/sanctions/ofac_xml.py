"""Stage 3 (analyze): the OFAC SDN list in its XML form (``sdn.xml``).

Structure as OFAC publishes it: ``sdnList`` holds ``publshInformation/Publish_Date``
(MM/DD/YYYY) and one ``sdnEntry`` per listing with ``uid``, ``firstName``, ``lastName``,
``sdnType``, ``programList/program``, ``akaList/aka`` (``type``, ``category`` strong or weak,
names), ``idList/id`` (``idType`` such as "Email Address", "Website" or "Digital Currency Address
- ETH", with ``idNumber``) and ``dateOfBirthList/dateOfBirthItem/dateOfBirth``. Unlike the CSV
files, nothing is truncated here. Namespaces differ between releases, so elements are matched
by local name. The file is parsed as a stream with expat; a document type or entity declaration
is refused (no entity expansion), and every error names the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from screening.analyze.sanctions.entries import BirthDate, SanctionsEntry, SanctionsList, Wallet
from screening.analyze.sanctions.expat_stream import StreamReader
from screening.errors import ListError

TITLE = "OFAC SDN list (XML)"
_CURRENCY_PREFIX = "digital currency address - "
_LEAVES = {
    "sdnEntry": ("uid", "firstName", "lastName", "sdnType"),
    "aka": ("type", "category", "firstName", "lastName"),
    "id": ("idType", "idNumber"),
    "dateOfBirthItem": ("dateOfBirth",),
    "programList": ("program",),
    "publshInformation": ("Publish_Date",),
}


@dataclass
class _Entry:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    programs: list[str] = field(default_factory=list)
    akas: list[dict[str, str]] = field(default_factory=list)
    ids: list[dict[str, str]] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)


def _name(last: str, first: str) -> str:
    return f"{last}, {first}" if last and first else last or first


class _Reader(StreamReader):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.entry: _Entry | None = None
        self.item: dict[str, str] = {}
        self.entries: list[SanctionsEntry] = []
        self.date = ""

    def start(self, tag: str, _attrs: dict[str, str]) -> None:
        local = self.enter(tag, "sdnList", "OFAC SDN XML")
        if local == "sdnEntry":
            self.entry = _Entry(self.parser.CurrentLineNumber)
        elif local in ("aka", "id", "dateOfBirthItem"):
            self.item = {}

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        text = "".join(self.text).strip()
        self.text = []
        entry = self.entry
        if local in _LEAVES.get(parent, ()):
            if parent == "publshInformation":
                parsed = BirthDate.parse(text)
                self.date = parsed.start.isoformat() if parsed else text
            elif parent == "programList" and entry is not None:
                entry.programs.append(text)
            elif parent == "sdnEntry" and entry is not None:
                entry.fields[local] = text
            else:
                self.item[local] = text
        elif entry is not None and local == "aka":
            entry.akas.append(self.item)
        elif entry is not None and local == "id":
            entry.ids.append(self.item)
        elif entry is not None and local == "dateOfBirthItem":
            entry.dobs.append(self.item.get("dateOfBirth", ""))
        elif entry is not None and local == "sdnEntry":
            self.entries.append(self.build(entry))
            self.entry = None

    def build(self, entry: _Entry) -> SanctionsEntry:
        f = entry.fields
        if not f.get("uid") or not (f.get("lastName") or f.get("firstName")):
            raise self.fail("sdnEntry without uid or name", entry.line)
        strong: list[str] = []
        weak: list[str] = []
        for aka in entry.akas:
            name = _name(aka.get("lastName", ""), aka.get("firstName", ""))
            if name:
                (weak if aka.get("category", "").lower() == "weak" else strong).append(name)
        emails: list[str] = []
        wallets: list[Wallet] = []
        websites: list[str] = []
        for ident in entry.ids:
            kind, number = ident.get("idType", "").strip(), ident.get("idNumber", "").strip()
            if not number:
                continue
            low = kind.lower()
            if low == "email address":
                emails.append(number.lower())
            elif low == "website":
                websites.append(number)
            elif low.startswith(_CURRENCY_PREFIX):
                wallets.append(Wallet(kind[len(_CURRENCY_PREFIX) :].strip().upper(), number))
        dobs = [d for d in (BirthDate.parse(t) for t in entry.dobs) if d is not None]
        return SanctionsEntry(
            uid=f["uid"],
            name=_name(f.get("lastName", ""), f.get("firstName", "")),
            kind=(f.get("sdnType") or "entity").lower(),
            programs=tuple(entry.programs),
            aliases=tuple(strong),
            weak_aliases=tuple(weak),
            emails=tuple(emails),
            wallets=tuple(wallets),
            websites=tuple(websites),
            birth_dates=tuple(dobs),
        )


def parse_xml(data: bytes, label: str) -> tuple[list[SanctionsEntry], str]:
    """Entries and publication date (ISO) of an ``sdn.xml`` document."""
    reader = _Reader(label)
    reader.parse(data)
    if not reader.entries and not reader.date:
        raise ListError(f"{label}, line 1: no sdnEntry elements: not an OFAC SDN XML file")
    return reader.entries, reader.date


def load_xml(path: Path) -> SanctionsList:
    """The entries of an OFAC ``sdn.xml`` file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read: {exc.strerror}") from None
    entries, date = parse_xml(data, str(path))
    return SanctionsList(TITLE, str(path), date, tuple(entries))
