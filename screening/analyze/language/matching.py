"""Stage 3 (analyze, language): running the compiled patterns over one text.

Phrase lists go through spaCy's PhraseMatcher (a hash lookup per token). Token patterns are
costlier (spaCy tests every pattern at every token), so each one runs on its own, only in
windows around its *anchor* words: a vectorised lookup over the text's lower-cased token hashes
finds them, and a window as wide as the longest possible match on either side is enough to
contain every match that includes an anchor. A window is only searched when it holds a word of
every token the pattern requires (one set lookup per window instead of a matcher run). A long
resume with no anchor word costs almost nothing. ``near`` patterns (word groups in any order,
close together in one sentence) are looked up from the positions of their words. Overlapping
matches of one signal are kept once (the longest), and each is checked for negation.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from screening.analyze.language.negation import negated
from screening.analyze.language.nlp import Compiled
from screening.analyze.language.patterns import MAX_SPAN_TOKENS, PatternSpec
from screening.analyze.language.texts import Text

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

MAX_SENTENCE_CHARS = 300
# words that join opposed statements; "instead", "though" and "except" belong inside frames
# ("through Payoneer instead of payroll", "sent today even though he hasn't started")
OPPOSING = frozenset({"but", "however", "whereas"})
MAX_MATCH_CHARS = 120


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of a pattern in a text."""

    spec: PatternSpec
    start: int  # token offsets
    end: int
    negated: bool
    tampered: bool  # the matched words needed invisible characters or look-alikes removed


def windows(hits: list[int], size: int, width: int) -> list[tuple[int, int]]:
    """Merged token windows of ``width`` on each side of every (sorted) anchor position."""
    out: list[tuple[int, int]] = []
    for pos in hits:
        lo, hi = max(0, pos - width), min(size, pos + width + 1)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def occurs(where: Mapping[int, list[int]], words: frozenset[int], lo: int, hi: int) -> bool:
    """One of ``words`` occurs at a position in ``[lo, hi)``."""
    for word in words & where.keys():
        spots = where[word]
        i = bisect_left(spots, lo)
        if i < len(spots) and spots[i] < hi:
            return True
    return False


def find(doc: Doc, lowers: np.ndarray, compiled: Compiled, text: Text) -> list[Hit]:
    """Every non-overlapping match of every pattern in ``doc`` (one per signal and place)."""
    raw: list[tuple[int, int, int]] = list(compiled.phrases(doc))
    if compiled.anchors.members:
        positions = compiled.anchors.positions(lowers)
        per_pattern: dict[int, list[int]] = {}
        for pos, word in zip(positions, lowers[positions].tolist(), strict=True):
            for k in compiled.by_anchor[word]:
                per_pattern.setdefault(k, []).append(pos)
        where = compiled.required_words.by_word(lowers) if per_pattern else {}
        for k, spots in per_pattern.items():
            matcher = compiled.anchored[k]
            for lo, hi in windows(spots, len(doc), MAX_SPAN_TOKENS):
                if all(occurs(where, words, lo, hi) for words in compiled.required[k]):
                    raw.extend((m, s + lo, e + lo) for m, s, e in matcher(doc[lo:hi]))
    if compiled.unanchored is not None:
        raw.extend(compiled.unanchored(doc))
    if compiled.near:
        raw.extend(near_matches(doc, lowers, compiled))
    if not raw:
        return []
    raw.sort(key=lambda m: (m[1], -(m[2] - m[1])))
    kept: dict[str, list[tuple[int, int]]] = {}
    hits: list[Hit] = []
    for match_id, start, end in raw:
        spec = compiled.specs[match_id]
        spans = kept.setdefault(spec.signal, [])
        if any(start < e and s < end for s, e in spans):
            continue
        spans.append((start, end))
        first, last = doc[start], doc[end - 1]
        hits.append(
            Hit(
                spec,
                start,
                end,
                negated(doc, start, end, spec.literal_cues),
                text.tampered(first.idx, last.idx + len(last.text)),
            )
        )
    return hits


def near_matches(doc: Doc, lowers: np.ndarray, compiled: Compiled) -> list[tuple[int, int, int]]:
    """``(match id, start, end)`` of every ``near`` pattern whose groups all occur in one
    sentence within its span, nearest to the occurrence of its rarest group."""
    at = compiled.near_words.by_word(lowers)
    if not at:
        return []
    size = len(doc)
    sentences: dict[int, int] = {}

    def sentence(pos: int) -> int:
        if pos not in sentences:
            sentences[pos] = doc[pos].sent.start
        return sentences[pos]

    out: list[tuple[int, int, int]] = []
    for pattern in compiled.near:
        found: list[list[tuple[int, int]]] = []
        for group in pattern.groups:
            spots = [
                (p, p + len(alt))
                for alt in group
                for p in at.get(alt[0], ())
                if p + len(alt) <= size
                and all(int(lowers[p + k]) == alt[k] for k in range(1, len(alt)))
            ]
            if not spots:
                break
            found.append(spots)
        else:
            spans = _near_spans(pattern.match_id, found, pattern.within, sentence)
            out.extend(m for m in spans if not _crosses_contrast(doc, m[1], m[2]))
    return out


def _crosses_contrast(doc: Doc, start: int, end: int) -> bool:
    """A contrast word inside the span ("audio had a delay, but lips and voice matched fine"):
    the groups belong to opposed statements, not to one."""
    return any(doc[i].lower_ in OPPOSING for i in range(start + 1, end - 1))


def _near_spans(
    match_id: int,
    found: list[list[tuple[int, int]]],
    within: int,
    sentence: Callable[[int], int],
) -> list[tuple[int, int, int]]:
    """Spans that take one occurrence of every group, the nearest ones to each occurrence of
    the rarest group, in its sentence, without two groups sharing a token."""
    pivot = min(range(len(found)), key=lambda g: len(found[g]))
    out: list[tuple[int, int, int]] = []
    for start, end in found[pivot]:
        where = sentence(start)
        taken = set(range(start, end))
        lo, hi = start, end
        for g, spots in enumerate(found):
            if g == pivot:
                continue
            fits = [
                (s, e) for s, e in spots if sentence(s) == where and taken.isdisjoint(range(s, e))
            ]
            if not fits:
                break
            s, e = min(fits, key=lambda se: max(hi, se[1]) - min(lo, se[0]))
            taken.update(range(s, e))
            lo, hi = min(lo, s), max(hi, e)
        else:
            if hi - lo <= within:
                out.append((match_id, lo, hi))
    return out


def sentence_of(doc: Doc, start: int, end: int) -> str:
    """The sentence around tokens ``[start, end)``, cut to a readable length around them."""
    sent = doc[start].sent
    text = " ".join(sent.text.split())
    if len(text) <= MAX_SENTENCE_CHARS:
        return text
    a = doc[start].idx - sent.start_char
    b = doc[end - 1].idx + len(doc[end - 1].text) - sent.start_char
    raw = sent.text
    lo = max(0, a - (MAX_SENTENCE_CHARS - (b - a)) // 2)
    piece = " ".join(raw[lo : lo + MAX_SENTENCE_CHARS].split())
    return ("… " if lo else "") + piece + " …"


def span_text(doc: Doc, start: int, end: int) -> str:
    """The matched words as one line, cut to a readable length."""
    return " ".join(doc[start:end].text.split())[:MAX_MATCH_CHARS]
