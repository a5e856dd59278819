"""Reference lists that change over time: where the current copy is, and how to update it.

A list (sanctions files, disposable email domains, hosting and VPN networks, Tor exits) is
registered once as a ``ListSpec``: its files, where to download each, and a validator that parses
the downloaded bytes and says which line is wrong. ``screening lists update`` downloads every
file of a list to a temporary file beside the destination, checks its SHA-256 against a
published checksum when the source offers one, validates it, and only then moves it into place
with an atomic rename, so a failed or interrupted update never leaves a half-written list. Each
updated list gets a ``<name>.meta.json`` sidecar (source, download time, checksum, entries,
publication date) that reports show as the list's source and age.

Analyzers call ``files_in_use(spec, choices)``: the user's own files for the list when
``[lists] files`` names some, else the updated copy in the lists folder when there is one, else
the snapshot shipped with the package; ``[lists] disabled`` switches a list off by name.

Every list has a freshness limit (``ListSpec.max_age_days``, overridable per list with
``[lists] max_age_days``): past it ``freshness`` gives a plain-words warning that reports carry
in their notes and ``screening lists show`` marks, naming the list, its age and the command that
refreshes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import urllib.request
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from screening.errors import ConfigError, ListError
from screening.resources import data_dir

MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024

# validate(file bytes) -> (entries, publication date or "") ; raises ListError naming the line
Validator = Callable[[bytes], tuple[int, str]]
# fetch(url, timeout, max_bytes) -> bytes
Fetcher = Callable[[str, float, int], bytes]


@dataclass(frozen=True, slots=True)
class ListFile:
    """One file of a list: its name on disk, where to get it, how to check it."""

    filename: str
    url: str  # "" for a file that ships with the package only (never downloaded)
    checksum_url: str | None = None  # a file whose first token is the hex SHA-256
    sha256: str | None = None  # a pinned checksum, when the source publishes one per release


@dataclass(frozen=True, slots=True)
class ListSpec:
    """A named list, its files, and the validator its files must pass."""

    name: str
    title: str
    files: tuple[ListFile, ...]
    validate: Validator
    shipped: tuple[str, ...] = ()  # file names of the snapshot in screening/data, if any
    description: str = ""
    # turns a checked download into the file kept (e.g. an archive of records into a table)
    convert: Callable[[bytes], bytes] | None = None
    family: str = ""  # the analyzer that reads it: its age is reported when that analyzer runs
    max_age_days: float | None = None  # past this the list is stale (None: no limit)
    max_age_reason: str = ""  # why that limit, in plain words (shown with the warning)
    provider: str | None = None  # the provider every entry belongs to (e.g. "Astrill")
    licence: str = ""  # of the upstream data, as its source states it


@dataclass(frozen=True)
class ListChoices:
    """The user's choices about lists ([lists] in the configuration): where updated copies go,
    which lists are switched off, which are replaced by the user's own files, freshness limits."""

    dir: Path | None = None
    disabled: frozenset[str] = frozenset()
    files: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)
    max_age_days: Mapping[str, float] = field(default_factory=dict)

    def check(self) -> None:
        """Every list named is a registered one (one clear error naming the setting)."""
        for setting, names in (
            ("disabled", self.disabled),
            ("files", self.files),
            ("max_age_days", self.max_age_days),
        ):
            for name in sorted(names):
                if name not in REGISTRY:
                    known = ", ".join(sorted(REGISTRY))
                    raise ConfigError(f"[lists] {setting}: unknown list {name!r} (known: {known})")

    def limit(self, spec: ListSpec) -> float | None:
        """The freshness limit in days for ``spec`` (the user's, else the list's default)."""
        return self.max_age_days.get(spec.name, spec.max_age_days)


@dataclass(frozen=True, slots=True)
class ListInfo:
    """Provenance of the copy of a list in use."""

    name: str
    title: str
    source: str
    date: str
    entries: int | None
    updated_at: str | None
    shipped: bool
    licence: str = ""
    replaced: bool = False  # the user's own files ([lists] files)
    disabled: bool = False  # switched off ([lists] disabled)


@dataclass
class UpdateResult:
    """What ``update`` did for one list."""

    name: str
    ok: bool
    message: str
    files: list[str] = field(default_factory=list)


REGISTRY: dict[str, ListSpec] = {}


def register(spec: ListSpec) -> ListSpec:
    """Make a list known to ``screening lists update`` and ``resolve``."""
    REGISTRY[spec.name] = spec
    return spec


@cache
def default_lists_dir() -> Path:
    """Where updated lists go by default: the user's data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("screening", appauthor=False)) / "lists"


def resolve(name: str, filename: str, lists_dir: Path | None = None) -> Path | None:
    """The file to read: the updated copy if present, else the shipped snapshot, else None."""
    updated = (lists_dir or default_lists_dir()) / name / filename
    if updated.is_file():
        return updated
    spec = REGISTRY.get(name)
    if spec is not None and filename in spec.shipped:
        shipped = data_dir() / filename
        if shipped.is_file():
            return shipped
    return None


def files_in_use(spec: ListSpec, choices: ListChoices) -> list[Path]:
    """The files to read for ``spec``: the user's own, else updated or shipped copies (none when
    the list is disabled)."""
    if spec.name in choices.disabled:
        return []
    if spec.name in choices.files:
        return list(choices.files[spec.name])
    found = (resolve(spec.name, f.filename, choices.dir) for f in spec.files)
    return [p for p in found if p is not None]


def info(name: str, lists_dir: Path | None = None, choices: ListChoices | None = None) -> ListInfo:
    """Source, licence and age of the copy of ``name`` that is in use."""
    spec = REGISTRY[name]
    choices = choices or ListChoices(dir=lists_dir)
    lists_dir = choices.dir
    if name in choices.disabled:
        return ListInfo(
            name, spec.title, "disabled ([lists] disabled)", "", 0, None, False, disabled=True
        )
    if name in choices.files:
        paths = choices.files[name]
        dates = [_mtime(p) for p in paths]
        return ListInfo(
            name,
            spec.title,
            "your files: " + ", ".join(p.name for p in paths),
            max((d for d in dates if d), default=""),
            None,
            None,
            False,
            replaced=True,
        )
    meta_path = (lists_dir or default_lists_dir()) / name / f"{name}.meta.json"
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return ListInfo(
                name,
                spec.title,
                str(meta.get("source", "")),
                str(meta.get("date") or meta.get("updated_at", "")[:10]),
                meta.get("entries"),
                meta.get("updated_at"),
                False,
                str(meta.get("licence") or spec.licence),
            )
        except (OSError, ValueError):
            pass
    shipped_meta = data_dir() / f"{name}.meta.json"
    if shipped_meta.is_file():
        meta = json.loads(shipped_meta.read_text(encoding="utf-8"))
        return ListInfo(
            name,
            spec.title,
            str(meta.get("source", "")),
            str(meta.get("date", "")),
            meta.get("entries"),
            None,
            True,
            str(meta.get("licence", "")),
        )
    return ListInfo(name, spec.title, "shipped snapshot", "undated", None, None, True)


def _mtime(path: Path) -> str:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    except OSError:
        return ""


@dataclass(frozen=True, slots=True)
class Freshness:
    """How old the copy of a list in use is, against its limit."""

    name: str
    title: str
    date: str
    age_days: int | None  # None: the copy carries no date
    limit_days: float | None
    reason: str = ""

    @property
    def stale(self) -> bool:
        """Older than its limit (an undated copy with a limit counts as stale)."""
        if self.limit_days is None:
            return False
        return self.age_days is None or self.age_days > self.limit_days

    @property
    def noun(self) -> str:
        """'Tor exit relays list', 'OFAC SDN list' (not 'OFAC SDN list list')."""
        return self.title if self.title.lower().endswith("list") else f"{self.title} list"

    def warning(self) -> str:
        """Plain words: which list, how old, why it matters, how to refresh it."""
        limit = f"{self.limit_days:g}"
        how = f"Refresh it with `screening lists update {self.name}`."
        if self.age_days is None:
            return (
                f"The {self.noun} in use carries no date, so its age is unknown (limit "
                f"{limit} days). {how}"
            )
        why = f" {self.reason}" if self.reason else ""
        return (
            f"The {self.noun} in use is {self.age_days} days old (data of {self.date}), "
            f"past its {limit}-day freshness limit.{why} {how}"
        )


def freshness(name: str, choices: ListChoices, today: dt.date) -> Freshness:
    """Age of the copy of ``name`` in use on ``today`` against its limit."""
    spec = REGISTRY[name]
    about = info(name, choices=choices)
    age: int | None = None
    try:
        age = (today - dt.date.fromisoformat(about.date[:10])).days
    except ValueError:
        age = None
    return Freshness(name, spec.title, about.date, age, choices.limit(spec), spec.max_age_reason)


def stale_warnings(
    families: Collection[str] | None, choices: ListChoices, today: dt.date
) -> list[str]:
    """A warning for every stale list read by one of ``families`` (all when None); disabled
    lists are not read, so they are not warned about."""
    out = []
    for name in sorted(REGISTRY):
        spec = REGISTRY[name]
        if name in choices.disabled or (families is not None and spec.family not in families):
            continue
        fresh = freshness(name, choices, today)
        if fresh.stale:
            out.append(fresh.warning())
    return out


def fetch_url(url: str, timeout: float, max_bytes: int) -> bytes:
    """Download ``url`` (http or https only) with a timeout and a size cap."""
    if not url.startswith(("https://", "http://")):
        raise ListError(f"{url}: only http(s) URLs can be downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": "screening-lists-update"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except OSError as exc:
        raise ListError(f"{url}: download failed: {exc}") from None
    if len(data) > max_bytes:
        raise ListError(f"{url}: larger than {max_bytes} bytes, refused")
    return data


def _checksum(text: bytes, url: str) -> str:
    token = text.decode("ascii", errors="replace").split()
    if not token or len(token[0]) != 64 or any(c not in "0123456789abcdefABCDEF" for c in token[0]):
        raise ListError(f"{url}: not a SHA-256 checksum file")
    return token[0].lower()


def update(
    names: Sequence[str] = (),
    *,
    lists_dir: Path | None = None,
    fetch: Fetcher = fetch_url,
    timeout: float = 60.0,
    urls: Mapping[str, str] | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> list[UpdateResult]:
    """Update the named lists (all registered lists when none are named)."""
    root = lists_dir or default_lists_dir()
    results = []
    for name in names or sorted(REGISTRY):
        spec = REGISTRY.get(name)
        if spec is None:
            known = ", ".join(sorted(REGISTRY)) or "none"
            results.append(UpdateResult(name, False, f"unknown list (known: {known})"))
            continue
        results.append(_update_one(spec, root / name, fetch, timeout, urls or {}, now))
    return results


def _update_one(
    spec: ListSpec,
    dest: Path,
    fetch: Fetcher,
    timeout: float,
    urls: Mapping[str, str],
    now: Callable[[], dt.datetime],
) -> UpdateResult:
    dest.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    entries_total = 0
    date = ""
    digests: dict[str, str] = {}
    sources: list[str] = []
    try:
        for f in spec.files:
            if not f.url:
                continue  # ships with the package only
            url = urls.get(f"{spec.name}/{f.filename}", f.url)
            data = fetch(url, timeout, MAX_DOWNLOAD_BYTES)
            digest = hashlib.sha256(data).hexdigest()
            expected = f.sha256
            if f.checksum_url:
                expected = _checksum(fetch(f.checksum_url, timeout, 4096), f.checksum_url)
            if expected and expected.lower() != digest:
                raise ListError(f"{url}: SHA-256 {digest} does not match the published {expected}")
            if spec.convert is not None:
                data = spec.convert(data)
            entries, published = spec.validate(data)
            entries_total += entries
            date = date or published
            fd, tmp_name = tempfile.mkstemp(prefix=f".{f.filename}.", dir=dest)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((Path(tmp_name), dest / f.filename))
            digests[f.filename] = digest
            sources.append(url)
    except ListError as exc:
        for staged_file, _ in staged:
            staged_file.unlink(missing_ok=True)
        return UpdateResult(spec.name, False, str(exc))
    for staged_file, target in staged:
        os.replace(staged_file, target)  # atomic: readers see the old copy or the new one
    meta = {
        "name": spec.name,
        "source": " ".join(sources),
        "updated_at": now().isoformat(),
        "date": date,
        "entries": entries_total,
        "licence": spec.licence,
        "sha256": digests,
    }
    meta_tmp = dest / f".{spec.name}.meta.json.tmp"
    meta_tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    os.replace(meta_tmp, dest / f"{spec.name}.meta.json")
    return UpdateResult(spec.name, True, f"{entries_total} entries", [str(t) for _, t in staged])
