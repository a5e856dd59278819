"""Near-duplicate text: word shingles, MinHash signatures and LSH band keys.

A text becomes a set of hashed features (CRC-32, stable across processes, so signatures can be
stored and compared later): its 5-word shingles for template text, its content words for resume
clones (``content_words``); a MinHash signature of 64 values estimates the Jaccard similarity of
two such sets; LSH band keys (21 bands of 3 values) let a store find candidates sharing any band in
one indexed lookup instead of comparing against every earlier text. Pairs that share a band are
then compared on the full signature.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from screening.normalize.text import fold

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
BANDS = 21
ROWS = 3  # 63 of the 64 values: a pair at similarity 0.65 shares a band 99.9 % of the time
SHINGLE_WORDS = 5
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np  # only when a text is signed: keeps numpy off the start-up path

    rng = np.random.default_rng(20261206)  # fixed: signatures must be comparable across runs
    a = rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
    return a, b


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process (Python's ``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def words(text: str) -> list[str]:
    """Folded words: case, accents and punctuation do not make two texts different."""
    return _WORD.findall(fold(text))


# function words that every resume shares; they say nothing about who wrote a text
STOPWORDS = frozenset(
    "a an the and or of to in for on with at by from as is are was were be been being this that "
    "these those it its into over across per via our my we i me he she they their them his her "
    "also using used while within than then up out".split()
)


def content_words(text: str, masked: Iterable[str] = ()) -> set[int]:
    """CRC-32 hashes of the distinct content words of ``text``, for clone detection.

    An impostor who copies a resume changes the numbers, the names and the employers, reorders
    the bullet points and rewords some of the text. Words with a digit and the ``masked`` words
    (the application's own names and employers, which a clone replaces with its own) are left
    out, so those edits change nothing; a set of words is blind to order; and a reworded fifth
    of the words leaves most of the set intact, where runs of five words would all break.
    """
    drop = STOPWORDS | {w for phrase in masked for w in words(phrase)}
    return {
        zlib.crc32(w.encode("utf-8"))
        for w in words(text)
        if w not in drop and not any(c.isdigit() for c in w)
    }


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """CRC-32 hashes of the k-word shingles of ``text`` (a short text gives one shingle)."""
    toks = words(text)
    if not toks:
        return set()
    if len(toks) <= k:
        return {zlib.crc32(" ".join(toks).encode("utf-8"))}
    return {zlib.crc32(" ".join(toks[i : i + k]).encode("utf-8")) for i in range(len(toks) - k + 1)}


@dataclass(frozen=True, slots=True)
class Signature:
    """A MinHash signature: ``NUM_PERM`` minimum hash values (empty for empty text)."""

    values: tuple[int, ...]

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity (0 when either text was empty)."""
        if not self.values or not other.values:
            return 0.0
        same = sum(1 for x, y in zip(self.values, other.values, strict=True) if x == y)
        return same / NUM_PERM

    def band_keys(self) -> list[str]:
        """One key per LSH band; texts that share any key are candidate near-duplicates."""
        if not self.values:
            return []
        keys = []
        for band in range(BANDS):
            rows = self.values[band * ROWS : (band + 1) * ROWS]
            keys.append(f"{band}:{stable_hash(','.join(map(str, rows)))}")
        return keys


def signature(hashes: set[int]) -> Signature:
    """MinHash of a shingle set: for each permutation, the smallest permuted hash.

    Each permutation is a multiply-shift hash (odd 64-bit multiplier, 64-bit offset, arithmetic
    modulo 2**64, top 32 bits kept). An affine map that never wraps would keep the order of the
    inputs, so every permutation would pick the same smallest shingle and unrelated texts would
    look alike; the wrap-around and the shift scramble the order.
    """
    if not hashes:
        return Signature(())
    a, b = _permutations()
    import numpy as np

    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    values = (a[:, None] * x[None, :] + b[:, None]) >> np.uint64(32)  # wraps modulo 2**64
    return Signature(tuple(int(v) for v in values.min(axis=1)))


def text_signature(text: str) -> Signature:
    """Shingle and sign a text in one call."""
    return signature(shingles(text))
