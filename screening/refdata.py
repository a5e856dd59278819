"""Reference lists shipped with the package (screening/data/*.txt), each with source and date.

Shared by every stage (ingest reads the placeholder-author list, analyzers the rest).

Every list states where it comes from and when it was compiled in its header (``# source:`` and
``# date:``); analyzers report those as sources so a reviewer can see how fresh each list is.
"""

from __future__ import annotations

from functools import cache

from screening.model.facts import Source
from screening.resources import data_dir


@cache
def _lines(name: str) -> tuple[tuple[str, ...], str, str]:
    path = data_dir() / name
    entries: list[str] = []
    source, date = "", ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            body = line.lstrip("#").strip()
            if body.startswith("source:"):
                source = body.removeprefix("source:").strip()
            elif body.startswith("date:"):
                date = body.removeprefix("date:").strip()
            continue
        if line:
            entries.append(line)
    return tuple(entries), source, date


@cache
def word_set(name: str) -> frozenset[str]:
    """A list file as a set of lower-cased entries."""
    return frozenset(e.lower() for e in _lines(name)[0])


@cache
def named_aliases(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A ``Display Name = alias, alias`` list as (display name, lower-cased aliases) pairs."""
    out = []
    for entry in _lines(name)[0]:
        display, _, aliases = entry.partition("=")
        names = tuple(a.strip().lower() for a in aliases.split(",") if a.strip())
        out.append((display.strip(), names or (display.strip().lower(),)))
    return tuple(out)


@cache
def groups(name: str) -> tuple[tuple[str, ...], ...]:
    """A list whose lines are whitespace-separated groups of equivalent words."""
    return tuple(tuple(line.lower().split()) for line in _lines(name)[0])


@cache
def source_of(name: str, title: str) -> Source:
    """The list's provenance for reports: title and compile date."""
    _, _source, date = _lines(name)
    return Source(f"{title} ({name})", date or "undated")


def find_named(text: str, name: str) -> list[str]:
    """Display names of the list's entries whose aliases occur in ``text`` (case-insensitive)."""
    low = text.lower()
    return [display for display, aliases in named_aliases(name) if any(a in low for a in aliases)]
