"""``screening eval``: detection measured on a labelled folder of applications.

The folder holds application files and ``labels.csv`` (``file,label``; label ``impostor`` or
``genuine``); a file may also be a JSON report exported from the reviewer console with the
decisions taken on it, which counts as screened at the time.
An application counts as flagged when its band is ``high`` or ``critical``. The
result gives recall (impostors flagged), false-positive rate (genuine applicants flagged), the
confusion table and how often each rule fired on each label, so a rule that fires on honest
applicants is visible at a glance.
"""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from screening.errors import InputError, Problem
from screening.ingest import IngestFailure
from screening.model.screening import Band
from screening.pipeline import Engine
from screening.report.json_report import SCHEMA as REPORT_SCHEMA
from screening.safeload import LoadError, load_json
from screening.store.history import HistoryStore

LABELS = ("impostor", "genuine")
MAX_REPORT_BYTES = 20_000_000
FLAGGED = frozenset({Band.HIGH, Band.CRITICAL})


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled application and how it was screened."""

    file: str
    label: str
    id: str
    score: float
    band: str
    findings: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """High or critical band."""
        return Band(self.band) in FLAGGED


@dataclass
class EvalResult:
    """Metrics over all labelled cases, per-rule firing counts and unreadable files."""

    cases: list[Case] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def count(self, label: str, flagged: bool) -> int:
        """Cases with ``label`` that were (or were not) flagged."""
        return sum(1 for c in self.cases if c.label == label and c.flagged == flagged)

    @property
    def recall(self) -> float | None:
        """Share of impostors flagged (None without impostor cases)."""
        tp, fn = self.count("impostor", True), self.count("impostor", False)
        return tp / (tp + fn) if tp + fn else None

    @property
    def false_positive_rate(self) -> float | None:
        """Share of genuine applicants flagged (None without genuine cases)."""
        fp, tn = self.count("genuine", True), self.count("genuine", False)
        return fp / (fp + tn) if fp + tn else None

    def rule_counts(self) -> dict[str, dict[str, int]]:
        """Rule id -> {label: applications it fired on}."""
        out: dict[str, dict[str, int]] = {}
        for case in self.cases:
            for rule_id in case.findings:
                counts = out.setdefault(rule_id, {label: 0 for label in LABELS})
                counts[case.label] += 1
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, object]:
        """The ``--format json`` document."""
        return {
            "recall": self.recall,
            "false_positive_rate": self.false_positive_rate,
            "confusion": {
                "impostor": {
                    "flagged": self.count("impostor", True),
                    "not_flagged": self.count("impostor", False),
                },
                "genuine": {
                    "flagged": self.count("genuine", True),
                    "not_flagged": self.count("genuine", False),
                },
            },
            "cases": [
                {
                    "file": c.file,
                    "label": c.label,
                    "id": c.id,
                    "score": c.score,
                    "band": c.band,
                    "flagged": c.flagged,
                    "findings": list(c.findings),
                }
                for c in self.cases
            ],
            "rules": self.rule_counts(),
            "errors": [{"file": f, "reason": r} for f, r in self.errors],
        }


def read_labels(directory: Path) -> list[tuple[str, str]]:
    """``labels.csv`` rows as (file, label); every bad row is reported at once."""
    path = directory / "labels.csv"
    if not path.is_file():
        raise InputError(
            [Problem("labels.csv", "missing: the folder needs labels.csv with columns file,label")],
            str(directory),
        )
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or {"file", "label"} - {
        f.strip().lower() for f in reader.fieldnames
    }:
        raise InputError([Problem("labels.csv", "the header must be: file,label")], str(path))
    rows: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for n, row in enumerate(reader, start=2):
        norm = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        file, label = norm.get("file", ""), norm.get("label", "").lower()
        if label not in LABELS:
            problems.append(
                Problem(f"row {n}.label", f"expected impostor or genuine, got {label!r}")
            )
            continue
        target = (directory / file).resolve()
        if not file or directory.resolve() not in target.parents:
            problems.append(Problem(f"row {n}.file", "must name a file inside the folder"))
            continue
        rows.append((file, label))
    if problems:
        raise InputError(problems, str(path))
    return rows


def evaluate_labelled(engine: Engine, directory: Path) -> EvalResult:
    """Screen every labelled file in the order of labels.csv, against a fresh history.

    The history store is a temporary one that starts empty, so reuse between the labelled
    applications counts (a persona reusing an earlier case's phone is found) while nothing
    from, or into, the configured store takes part.
    """
    labels = read_labels(directory)
    with tempfile.TemporaryDirectory(prefix="screening-eval-") as tmp:
        store = HistoryStore.open(Path(tmp) / "history.sqlite3", secrets.token_hex(32))
        try:
            return _evaluate(engine.with_history(store), directory, labels)
        finally:
            store.close()


def _evaluate(engine: Engine, directory: Path, labels: list[tuple[str, str]]) -> EvalResult:
    result = EvalResult()
    for file, label in labels:
        path = directory / file
        if not path.is_file():
            result.errors.append((file, "no such file"))
            continue
        screened = _screened_report(path)
        if screened is not None:  # a report exported from the console: judged as screened
            result.cases.append(
                Case(file, label, screened.id, screened.score, screened.band, screened.findings)
            )
            continue
        items = engine.read(path)
        for item in items:
            if isinstance(item, IngestFailure):
                result.errors.append((item.origin, "; ".join(str(p) for p in item.error.problems)))
                continue
            s = engine.screen(item)
            result.cases.append(
                Case(
                    file=file,
                    label=label,
                    id=s.application.id,
                    score=s.score.score,
                    band=s.score.band.value,
                    findings=tuple(f.id for f in s.findings),
                )
            )
    return result


@dataclass(frozen=True, slots=True)
class _Screened:
    id: str
    score: float
    band: str
    findings: tuple[str, ...]


def _screened_report(path: Path) -> _Screened | None:
    """A JSON report (``screening/report@1``) as it was screened, or None for anything else.

    The reviewer console exports decisions as ``labels.csv`` beside the reports they were taken
    on (the applications themselves are not kept), so ``eval`` measures the rules as they ran.
    """
    if path.suffix.lower() != ".json" or path.stat().st_size > MAX_REPORT_BYTES:
        return None
    try:
        data = load_json(path.read_text(encoding="utf-8"))
    except (LoadError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("schema") != REPORT_SCHEMA:
        return None
    app = data.get("application")
    band = data.get("band")
    findings = data.get("findings")
    if not (isinstance(app, dict) and band in {b.value for b in Band}):
        return None
    rule_ids = tuple(str(f["id"]) for f in findings or [] if isinstance(f, dict) and "id" in f)
    score = data.get("score")
    return _Screened(
        str(app.get("id") or path.stem),
        float(score) if isinstance(score, (int, float)) else 0.0,
        str(band),
        rule_ids,
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def format_text(result: EvalResult) -> str:
    """A plain-text summary for the terminal."""
    impostors = sum(c.label == "impostor" for c in result.cases)
    genuine = sum(c.label == "genuine" for c in result.cases)
    lines = [
        f"cases: {len(result.cases)} ({impostors} impostor, {genuine} genuine); "
        "flagged = band high or critical",
        f"recall: {_pct(result.recall)}",
        f"false-positive rate: {_pct(result.false_positive_rate)}",
        "",
        f"{'':12}{'flagged':>10}{'not flagged':>14}",
        f"{'impostor':12}{result.count('impostor', True):>10}{result.count('impostor', False):>14}",
        f"{'genuine':12}{result.count('genuine', True):>10}{result.count('genuine', False):>14}",
        "",
        f"{'rule':52}{'impostor':>10}{'genuine':>10}",
    ]
    for rule_id, counts in result.rule_counts().items():
        lines.append(f"{rule_id:52}{counts['impostor']:>10}{counts['genuine']:>10}")
    if result.errors:
        lines.append("")
        lines.extend(f"error: {f}: {r}" for f, r in result.errors)
    return "\n".join(lines)
