"""Stage 3 (analyze, language): resume text reused from known impostor templates.

Operators run many personas from shared resume templates. The comparison uses the project's one
near-duplicate implementation (``screening.analyze.common.shingles``): *containment* of each known
template's five-word shingles in the resume or cover letter (a short template inside a long
resume; Jaccard would dilute it). Reuse across applicants is the history analyzer's job;
``resume_text`` is the cleaned resume text it can fingerprint, the same text read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from screening.analyze.common.shingles import shingles, words
from screening.analyze.language.texts import (
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_MAX_TOTAL_CHARS,
    RESUME,
    Text,
    clean,
    collect,
    joined,
)
from screening.errors import RulePackError, RuleProblem
from screening.model.facts import Source
from screening.model.normalized import Application
from screening.resources import data_dir
from screening.safeload import Loaded, LoadError, read_yaml_file

SHIPPED = "impostor_templates.yml"
MIN_TEMPLATE_WORDS = 14
CONTAINMENT_THRESHOLD = 0.5
MAX_TEMPLATE_CHARS = 20_000
MAX_TEMPLATES = 5_000
MAX_FILE_BYTES = 16 * 1024 * 1024
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class KnownTemplate:
    """One known template: id, text, where it comes from, and its shingles."""

    id: str
    text: str
    source: str
    shingles: frozenset[int]


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    """The best known template for a text and how much of it the text contains."""

    template: KnownTemplate
    containment: float
    where: str


@dataclass(frozen=True, slots=True)
class TemplateSet:
    """Every known template loaded (shipped file first, then configured files)."""

    templates: tuple[KnownTemplate, ...]
    sources: tuple[Source, ...]

    def best(self, texts: Iterable[Text]) -> TemplateMatch | None:
        """The template with the highest containment in any of ``texts`` (None: no overlap)."""
        best: TemplateMatch | None = None
        for text in texts:
            own = shingles(text.text)
            if not own:
                continue
            for tpl in self.templates:
                share = len(tpl.shingles & own) / len(tpl.shingles)
                if share > 0 and (best is None or share > best.containment):
                    best = TemplateMatch(tpl, share, text.label)
        return best


def load_templates(extra: Sequence[Path] = ()) -> TemplateSet:
    """The shipped templates plus ``extra`` files; RulePackError lists every problem."""
    problems: list[RuleProblem] = []
    templates: list[KnownTemplate] = []
    sources: list[Source] = []
    seen: set[str] = set()
    for path in (data_dir() / SHIPPED, *extra):
        loaded = _read(path, problems)
        if loaded is None:
            continue
        date, rows = loaded
        sources.append(Source(f"Known impostor-template phrases ({path.name})", date))
        for i, row in enumerate(rows):
            tpl = _template(path, i, row, problems)
            if tpl is None:
                continue
            if tpl.id in seen:
                problems.append(RuleProblem(str(path), f"templates[{i}]: id {tpl.id} repeated"))
                continue
            seen.add(tpl.id)
            templates.append(tpl)
    if len(templates) > MAX_TEMPLATES:
        problems.append(
            RuleProblem("templates", f"{len(templates)} templates, over {MAX_TEMPLATES}")
        )
    if problems:
        raise RulePackError(problems)
    return TemplateSet(tuple(templates), tuple(sources))


def _read(path: Path, problems: list[RuleProblem]) -> tuple[str, list[object]] | None:
    try:
        loaded: Loaded = read_yaml_file(path, MAX_FILE_BYTES)
    except LoadError as exc:
        problems.extend(RuleProblem(str(path), p.message, p.line, p.column) for p in exc.problems)
        return None
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("templates"), list):
        problems.append(RuleProblem(str(path), "expected a mapping with date and a templates list"))
        return None
    return str(data.get("date", "undated")), list(data["templates"])


def _template(path: Path, i: int, row: object, problems: list[RuleProblem]) -> KnownTemplate | None:
    where = f"templates[{i}]"
    if not isinstance(row, dict) or set(row) - {"id", "text", "source"}:
        problems.append(RuleProblem(str(path), f"{where}: expected id, text and source only"))
        return None
    tid, text, source = row.get("id"), row.get("text"), row.get("source")
    if not isinstance(tid, str) or not KEBAB.match(tid):
        problems.append(RuleProblem(str(path), f"{where}.id: a kebab-case id is required"))
        return None
    if not isinstance(source, str) or not source.strip():
        problems.append(RuleProblem(str(path), f"{where}.source: say where the template is from"))
        return None
    if not isinstance(text, str) or len(text) > MAX_TEMPLATE_CHARS:
        problems.append(
            RuleProblem(str(path), f"{where}.text: text of at most {MAX_TEMPLATE_CHARS} characters")
        )
        return None
    cleaned = clean(text).text
    if len(words(cleaned)) < MIN_TEMPLATE_WORDS:
        problems.append(
            RuleProblem(
                str(path),
                f"{where}.text: at least {MIN_TEMPLATE_WORDS} words, or it matches stock phrases",
            )
        )
        return None
    return KnownTemplate(tid, cleaned, " ".join(source.split()), frozenset(shingles(cleaned)))


def resume_text(
    app: Application,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    max_total_chars: int = DEFAULT_MAX_TOTAL_CHARS,
) -> str:
    """The resume text exactly as the analyzer reads it: cleaned, bounded, documents joined.

    Invisible characters and look-alike letters are already removed, so text padded with them
    to defeat near-duplicate detection fingerprints like the original.
    """
    return joined(collect(app, max_text_chars, max_total_chars).of(RESUME))
