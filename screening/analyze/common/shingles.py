"""Near-duplicate text: word shingles, MinHash signatures and LSH band keys.

Resumes cloned across personas share long runs of words even when names, dates and employers
are swapped. A text becomes the set of its 5-word shingles (hashed with CRC-32, which is stable
across processes, so signatures can be stored and compared later); a MinHash signature of 64 values
estimates the Jaccard similarity of two such sets; LSH band keys (16 bands of 4 values) let a
store find candidates sharing any band in one indexed lookup instead of comparing against every
earlier text. Pairs that share a band are then compared on the full signature.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from screening.normalize.text import fold

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
_MERSENNE = (1 << 61) - 1
# a, b < 2**31 and 32-bit shingle hashes keep a * x + b below 2**63: no silent uint64 overflow
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np  # only when a text is signed: keeps numpy off the start-up path

    rng = np.random.default_rng(20261124)  # fixed: signatures must be comparable across runs
    a = rng.integers(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
    return a, b


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process (Python's ``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def words(text: str) -> list[str]:
    """Folded words: case, accents and punctuation do not make two texts different."""
    return _WORD.findall(fold(text))


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
    """MinHash of a shingle set: for each permutation, the smallest permuted hash."""
    if not hashes:
        return Signature(())
    a, b = _permutations()
    import numpy as np

    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    values = (a[:, None] * x[None, :] + b[:, None]) % np.uint64(_MERSENNE)
    return Signature(tuple(int(v) for v in values.min(axis=1)))


def text_signature(text: str) -> Signature:
    """Shingle and sign a text in one call."""
    return signature(shingles(text))
