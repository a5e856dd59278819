"""Per-field accuracy of the resume reader on the development corpus (tests/ingest/resumes).

The corpus: pseudonymised real JSON Resumes rendered through published themes and printed by
Chromium, written as DOCX in several layouts and converted by LibreOffice (``generate.py``);
``truth.json`` is what the source says and the page shows. The floors sit just under the figures
measured when they were set (docs/resumes.md): a change that reads resumes worse fails here.
The figures are printed (``pytest -s``) so a change that reads them better can raise the floors.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from screening.errors import InputError
from screening.ingest import detect_format
from screening.ingest.standalone import read_standalone
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.normalize import normalize

CORPUS = Path(__file__).parent / "resumes"
MATCH = 85  # fuzzy score for "the same organisation" (the page may abbreviate or wrap it)
FLOORS = {
    "name": 0.98,
    "emails": 0.98,
    "phones": 0.97,
    "work_found": 0.92,
    "work_start": 0.98,
    "work_end": 0.98,
    "education_found": 0.89,
}


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().rstrip(".").split()) == " ".join(b.casefold().rstrip(".").split())


def _score(raw: RawApplication, truth: dict[str, Any], counts: Counter[str]) -> None:
    app = raw.data
    phones = [p.e164 for p in normalize(raw).phones]
    counts["name_n"] += 1
    counts["name_ok"] += _same_name(app.name, truth["name"])
    mine = {e.casefold() for e in app.emails}
    for email in truth["emails"]:
        counts["emails_n"] += 1
        counts["emails_ok"] += email.casefold() in mine
    for phone in truth["phones"]:
        counts["phones_n"] += 1
        counts["phones_ok"] += phone in phones
    used: set[int] = set()
    for job in truth["work"]:
        counts["work_found_n"] += 1
        found = [
            (i, j)
            for i, j in enumerate(app.employment)
            if i not in used
            and fuzz.partial_ratio(
                job["employer"].casefold(), " ".join(filter(None, (j.employer, j.title))).casefold()
            )
            >= MATCH
        ]
        found.sort(key=lambda p: (p[1].start != job["start"], p[1].end != job["end"]))
        if not found:
            continue
        index, entry = found[0]
        used.add(index)
        counts["work_found_ok"] += 1
        if job["start"]:
            counts["work_start_n"] += 1
            counts["work_start_ok"] += entry.start == job["start"]
        if job["end"]:
            counts["work_end_n"] += 1
            counts["work_end_ok"] += entry.end == job["end"]
    for study in truth["education"]:
        counts["education_found_n"] += 1
        counts["education_found_ok"] += any(
            fuzz.partial_ratio(
                study["institution"].casefold(),
                " ".join(filter(None, (s.institution, s.degree))).casefold(),
            )
            >= MATCH
            for s in app.education
        )


def test_resume_corpus_accuracy() -> None:
    truth = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    assert len(truth) >= 60, "the corpus is missing; rebuild it with generate.py"
    counts: Counter[str] = Counter()
    refused_with_a_name = []
    for name, expected in sorted(truth.items()):
        data = (CORPUS / "files" / name).read_bytes()
        try:
            raw = read_standalone(data, detect_format(name, data), name, name, Limits())
        except InputError:
            if expected["name_shown"]:
                refused_with_a_name.append(name)
            counts["refused"] += 1
            continue
        if not expected["name_shown"]:
            counts["name_not_shown"] += 1
            continue  # nothing to compare the name with; contacts and entries still count
        _score(raw, expected, counts)
    rates = {key: counts[f"{key}_ok"] / max(counts[f"{key}_n"], 1) for key in FLOORS}
    shown = ", ".join(
        f"{k} {100 * v:.1f}% ({counts[k + '_ok']}/{counts[k + '_n']})" for k, v in rates.items()
    )
    print(f"\nresume corpus ({len(truth)} files, {counts['refused']} refused): {shown}")
    assert refused_with_a_name == [], "refused although the page shows the candidate's name"
    below = {k: round(v, 3) for k, v in rates.items() if v < FLOORS[k]}
    assert not below, f"below the floor: {below}; all: {shown}"
