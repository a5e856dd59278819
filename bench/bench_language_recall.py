"""Recall and benign firing of the language patterns (run by hand; the pack tests assert them).

    python bench/bench_language_recall.py

Prints, per signal, recall on the pack's phrasing set (rules/language/patterns/phrasings/) and the
share of its benign sentences that fire any signal, then the same on two held-out sets:
tests/analyze/language/heldout_phrasings.yml (written after the first tuning, since used as
development data) and heldout_phrasings_2.yml (written before the matcher was reworked and never
tuned on: the honest estimate for unseen wording). The second set's individual sentences are only
printed with ``--details``, so measuring it does not invite tuning to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screening.analyze.base import AnalysisContext
from screening.analyze.language import LanguageAnalyzer, LanguageOptions
from screening.evaluate import load_patterns
from screening.ingest import from_mapping
from screening.normalize import normalize
from screening.resources import rules_dir
from screening.safeload import read_yaml_file
from screening.testing import FixedClock

ROOT = Path(__file__).resolve().parents[1]
ANALYZER = LanguageAnalyzer(LanguageOptions(), patterns=load_patterns([rules_dir()]))
CTX = AnalysisContext(clock=FixedClock(), offline=True)


def fired(sentence: str) -> set[str]:
    """Signals the sentence fires (negated matches do not count)."""
    app = normalize(from_mapping({"name": "A B", "interview_notes": [sentence]}, "bench"))
    phrases = ANALYZER.analyze(app, CTX).records.get("phrases", [])
    return {str(p["signal"]) for p in phrases if not p["negated"]}


def report(label: str, sets: dict[str, list[str]], benign: list[str], details: bool = True) -> None:
    total = hit = 0
    for signal, sentences in sorted(sets.items()):
        found = sum(signal in fired(s) for s in sentences)
        total, hit = total + len(sentences), hit + found
        print(f"  {signal:22} recall {found}/{len(sentences)} = {found / len(sentences):.0%}")
    noisy = [s for s in benign if fired(s)]
    print(
        f"{label}: recall {hit}/{total} = {hit / total:.1%}; benign firing "
        f"{len(noisy)}/{len(benign)} = {len(noisy) / len(benign):.1%}"
    )
    if not details:
        return
    for signal, sentences in sorted(sets.items()):
        for s in sentences:
            if signal not in fired(s):
                print(f"    missed {signal}: {s}")
    for s in noisy:
        print(f"    benign fired: {s}")


def heldout(name: str) -> tuple[dict[str, list[str]], list[str]]:
    """One held-out file: sentences per signal, and its benign sentences."""
    data = read_yaml_file(ROOT / "tests" / "analyze" / "language" / name, 1 << 20).data
    return {k: list(v) for k, v in data.items() if k != "benign"}, list(data["benign"])


def main() -> None:
    details = "--details" in sys.argv[1:]
    sets: dict[str, list[str]] = {}
    benign: list[str] = []
    for path in sorted((rules_dir() / "language" / "patterns" / "phrasings").glob("*.yml")):
        data = read_yaml_file(path, 1 << 20).data
        sets[str(data["signal"])] = list(data["paraphrases"])
        benign += list(data["benign"])
    report("pack phrasing sets", sets, benign)
    report("held-out set 1 (development data)", *heldout("heldout_phrasings.yml"))
    if "--development" not in sys.argv[1:]:  # while changing patterns: leave set 2 unseen
        report("held-out set 2 (untouched)", *heldout("heldout_phrasings_2.yml"), details=details)


if __name__ == "__main__":
    main()
