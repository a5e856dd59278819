"""Real published JSON Resumes are read, never refused.

``tests/corpus/jsonresume-wild`` is a copy of the development corpus (100 resumes people publish
in their own repositories, pseudonymised; its README lists the shapes it holds).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from screening.ingest import IngestFailure, read_path
from screening.model.application import RawApplication

WILD = Path(__file__).resolve().parents[1] / "corpus" / "jsonresume-wild"
FILES = sorted(WILD.glob("*.json"))


def test_every_published_resume_is_read() -> None:
    refused: list[str] = []
    kinds: Counter[str] = Counter()
    for path in FILES:
        (result,) = read_path(path)
        if isinstance(result, IngestFailure):
            refused.append(f"{path.name}: {result.error.lines()[0]}")
            continue
        assert isinstance(result, RawApplication)
        assert result.data.name.strip()
        kinds.update(str(n.kind) for n in result.notes)
    assert refused == []
    assert len(FILES) == 100
    # what was assumed is said: the corpus holds every kind of untidiness the README lists
    assert {"country", "date", "ongoing", "shape", "ignored", "location"} <= set(kinds)
