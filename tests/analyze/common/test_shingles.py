"""Near-duplicate text detection: stable signatures, similarity estimates, LSH candidates."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from screening.analyze.common.shingles import shingles, text_signature

rng = random.Random(7)
VOCAB = [f"word{i}" for i in range(5000)]
BASE = " ".join(rng.choice(VOCAB) for _ in range(600))


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def test_clone_with_swapped_details_is_found() -> None:
    words = BASE.split()
    clone = " ".join(["Robert", "Hayes", *words[2:550], "Acme", "Corp", *words[552:]])
    s1, s2 = text_signature(BASE), text_signature(clone)
    assert abs(s1.similarity(s2) - jaccard(BASE, clone)) < 0.15
    assert s1.similarity(s2) > 0.7
    assert set(s1.band_keys()) & set(s2.band_keys())


def test_unrelated_texts_share_no_band() -> None:
    other = " ".join(rng.choice(VOCAB) for _ in range(600))
    s1, s2 = text_signature(BASE), text_signature(other)
    assert s1.similarity(s2) < 0.1
    assert not set(s1.band_keys()) & set(s2.band_keys())


def test_case_accents_and_punctuation_do_not_matter() -> None:
    a = text_signature("Led the migration of 40 services to Kubernetes, on time.")
    b = text_signature("led the MIGRATION of 40 services to kubernetes on time")
    assert a == b


def test_signatures_are_stable() -> None:
    sig = text_signature(BASE)
    assert sig == text_signature(BASE)
    assert text_signature("").values == () and text_signature("").band_keys() == []


@given(st.text(max_size=300))
def test_similarity_with_itself_is_one(text: str) -> None:
    sig = text_signature(text)
    assert sig.similarity(sig) == (1.0 if sig.values else 0.0)
