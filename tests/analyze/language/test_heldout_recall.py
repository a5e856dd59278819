"""The held-out phrasing sets stay caught: a guard against patterns or matcher changes that lose
wording the shipped patterns already handle.

The sets were written by authors who had not seen the patterns (sets 3 and 4 by authors who
had not seen any of the project's language code or data) and measured once before they were
used; their history and first figures are in their headers and in
``bench/bench_language_recall.py``. Floors sit just below today's figures: sets 1–3 have been
development data, so they are held to nearly all; set 4's misses were never studied, so its
floor is its measured recall.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from language_support import note

from screening.safeload import read_yaml_file

HERE = Path(__file__).parent
FLOORS = {  # file: (recall floor, benign ceiling)
    "heldout_phrasings.yml": (0.95, 0.02),
    "heldout_phrasings_2.yml": (0.95, 0.02),
    "heldout_phrasings_3.yml": (0.95, 0.02),
    "heldout_phrasings_4.yml": (0.85, 0.02),
}


def fired(sentence: str) -> set[str]:
    return {str(p["signal"]) for p in note(sentence).records.get("phrases", []) if not p["negated"]}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_recall_and_benign_firing_stay_at_their_floors(name: str) -> None:
    data = read_yaml_file(HERE / name, 1 << 20).data
    assert isinstance(data, dict)
    sentences = [(signal, s) for signal, items in data.items() if signal != "benign" for s in items]
    missed = [s for signal, s in sentences if signal not in fired(s)]
    noisy = [s for s in data["benign"] if fired(s)]
    floor, ceiling = FLOORS[name]
    assert 1 - len(missed) / len(sentences) >= floor, missed
    assert len(noisy) / len(data["benign"]) <= ceiling, noisy
