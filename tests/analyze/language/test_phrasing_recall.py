"""The language patterns' measured recall, kept as rule-pack tests.

Each shipped signal has a phrasing set in ``rules/language/patterns/phrasings/<signal>.yml``: at
least 15 natural paraphrases (direct, indirect and reported speech, interview-note shorthand) that
must fire the signal, and benign sentences that share its words but not its meaning (past jobs,
the company's own equipment and payroll process, denials) that must fire no signal. The shipped
patterns must reach 90 % recall per signal and fire on at most 2 % of the benign sentences.
``bench/bench_language_recall.py`` prints the same figures and a held-out estimate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from language_support import note, shipped_analyzer

from screening.resources import rules_dir
from screening.safeload import read_yaml_file

PHRASINGS = sorted((rules_dir() / "language" / "patterns" / "phrasings").glob("*.yml"))


def phrasing_set(path: Path) -> dict[str, list[str]]:
    data = read_yaml_file(path, 1024 * 1024).data
    assert isinstance(data, dict) and set(data) == {"signal", "paraphrases", "benign"}, path
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


def fires(sentence: str, signal: str | None = None) -> bool:
    hits = note(sentence).records.get("phrases", [])
    return any(not p["negated"] and (signal is None or p["signal"] == signal) for p in hits)


def test_every_shipped_signal_has_a_phrasing_set() -> None:
    covered = {phrasing_set(p)["signal"][0] for p in PHRASINGS}
    assert covered == set(shipped_analyzer().patterns.signals)


@pytest.mark.parametrize("path", PHRASINGS, ids=[p.stem for p in PHRASINGS])
def test_recall_on_natural_paraphrases(path: Path) -> None:
    data = phrasing_set(path)
    (signal,) = data["signal"]
    paraphrases = data["paraphrases"]
    assert len(paraphrases) >= 15
    missed = [s for s in paraphrases if not fires(s, signal)]
    assert 1 - len(missed) / len(paraphrases) >= 0.9, missed


def test_benign_sentences_sharing_words_rarely_fire() -> None:
    benign = [s for p in PHRASINGS for s in phrasing_set(p)["benign"]]
    assert len(benign) >= 100
    fired = [s for s in benign if fires(s)]
    assert len(fired) / len(benign) <= 0.02, fired
