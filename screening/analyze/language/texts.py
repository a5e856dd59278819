"""Stage 3 (analyze, language): which texts are read, bounded and cleaned before matching.

The texts are the resume and cover letter (as read from their files), interview notes and
messages. Every one is hostile input: it may be huge, binary junk that a PDF reader let through,
or written to slip past a phrase list with zero-width characters inside words ("Any\u200bDesk")
or letters from another script that look Latin ("сamera" with a Cyrillic "с"). Texts are cut at
a configured size (and the cut is reported), junk is skipped (and reported), invisible and
bidirectional control characters are removed and look-alike letters inside otherwise Latin words
are mapped to Latin, remembering where, so a match that needed this cleaning can be reported as
an evasion attempt. Words written wholly in another script are left alone.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from screening.analyze.behavior import CANDIDATE_SENDERS
from screening.model.application import DocumentStatus
from screening.model.normalized import Application
from screening.normalize.text import CONTROL, INVISIBLE, SOFT_HYPHEN

RESUME = "resume"
COVER_LETTER = "cover_letter"
NOTE = "interview_note"
MESSAGE = "message"
SOURCES = (RESUME, COVER_LETTER, NOTE, MESSAGE)

# invisible and control characters: the same sets normalize strips from fields; soft hyphens
# are removed without being counted (PDF and DOCX hyphenation puts them inside words)
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
DEFAULT_MAX_TEXT_CHARS = 50_000
DEFAULT_MAX_TOTAL_CHARS = 250_000
JUNK_SAMPLE = 20_000
JUNK_SHARE = 0.05

# Cyrillic and Greek letters drawn like Latin ones (the common homoglyphs)
LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p",
        "с": "c", "у": "y", "х": "x", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
        "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X",
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
_LOOKALIKE_CHARS = frozenset(chr(c) for c in LOOKALIKES)


@dataclass(frozen=True, slots=True)
class Text:
    """One cleaned text and where it came from."""

    label: str  # "resume", "cover letter", "interview note 2", "message 3"
    source: str  # one of SOURCES
    sender: str | None
    about_candidate: bool  # written by the candidate or about them (not a recruiter's message)
    text: str
    removed: tuple[int, ...] = ()  # offsets in ``text`` where invisible characters were removed
    replaced: tuple[int, ...] = ()  # offsets in ``text`` of look-alike letters mapped to Latin

    def tampered(self, start: int, end: int) -> bool:
        """True when the characters ``[start, end)`` needed cleaning to be read as written."""
        i = bisect.bisect_right(self.removed, start)
        if i < len(self.removed) and self.removed[i] < end:
            return True
        j = bisect.bisect_left(self.replaced, start)
        return j < len(self.replaced) and self.replaced[j] < end


@dataclass(slots=True)
class Collected:
    """Every text of one application, plus what was cut, skipped or cleaned."""

    texts: list[Text] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    invisible: int = 0
    mixed_script_words: int = 0

    def of(self, *sources: str) -> list[Text]:
        """The texts from the given sources, in order."""
        return [t for t in self.texts if t.source in sources]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of cleaning one raw text."""

    text: str
    removed: tuple[int, ...]
    replaced: tuple[int, ...]
    mixed_script_words: int


def clean(raw: str) -> Cleaned:
    """NFKC, line ends unified, invisible characters out, look-alikes in Latin words mapped."""
    if raw.isascii():
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        return Cleaned(CONTROL.sub(" ", text), (), (), 0)
    text = unicodedata.normalize("NFKC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(SOFT_HYPHEN, "")
    removed: list[int] = []
    if INVISIBLE.search(text):
        pieces: list[str] = []
        pos = size = 0
        for m in INVISIBLE.finditer(text):
            pieces.append(text[pos : m.start()])
            size += m.start() - pos
            removed.append(size)
            pos = m.end()
        pieces.append(text[pos:])
        text = "".join(pieces)
    text = CONTROL.sub(" ", text)
    replaced: list[int] = []
    mixed = 0
    if not _LOOKALIKE_CHARS.isdisjoint(text):
        chars = list(text)
        for m in _WORD.finditer(text):
            word = m.group()
            if _LOOKALIKE_CHARS.isdisjoint(word) or not any("a" <= c.lower() <= "z" for c in word):
                continue
            mixed += 1
            for k, ch in enumerate(word, m.start()):
                if ch in _LOOKALIKE_CHARS:
                    chars[k] = ch.translate(LOOKALIKES)
                    replaced.append(k)
        text = "".join(chars)
    return Cleaned(text, tuple(removed), tuple(replaced), mixed)


def is_junk(raw: str) -> bool:
    """True for text that is mostly not text: control, replacement or private-use characters."""
    sample = raw[:JUNK_SAMPLE]
    if not sample.strip():
        return True
    if len(_JUNK.findall(sample)) > JUNK_SHARE * len(sample):
        return True
    return _LETTER.search(sample) is None


def collect(app: Application, max_text_chars: int, max_total_chars: int) -> Collected:
    """The application's texts, each cut at ``max_text_chars`` and all at ``max_total_chars``."""
    out = Collected()
    budget = max_total_chars
    candidates: list[tuple[str, str, str | None, bool, str]] = []
    counts: dict[str, int] = {}
    for doc in app.documents:
        if doc.status is not DocumentStatus.OK or not doc.text:
            continue
        source = COVER_LETTER if doc.kind == COVER_LETTER else RESUME
        counts[source] = counts.get(source, 0) + 1
        label = source.replace("_", " ")
        if counts[source] > 1:
            label += f" {counts[source]}"
        candidates.append((label, source, None, True, doc.text))
    for i, note in enumerate(app.interview_notes, 1):
        candidates.append((f"interview note {i}", NOTE, None, True, note))
    for i, msg in enumerate(app.messages, 1):
        from_candidate = msg.sender in CANDIDATE_SENDERS
        candidates.append((f"message {i}", MESSAGE, msg.sender, from_candidate, msg.text))
    for label, source, sender, about, raw in candidates:
        if not raw.strip():
            continue
        if budget <= 0:
            out.skipped.append(label)
            continue
        limit = min(max_text_chars, budget)
        if len(raw) > limit:
            raw = raw[:limit]
            out.truncated.append(label)
        if is_junk(raw):
            out.skipped.append(label)
            continue
        cleaned = clean(raw)
        budget -= len(raw)
        out.invisible += len(cleaned.removed)
        out.mixed_script_words += cleaned.mixed_script_words
        out.texts.append(
            Text(label, source, sender, about, cleaned.text, cleaned.removed, cleaned.replaced)
        )
    return out


def joined(texts: Sequence[Text]) -> str:
    """Several texts as one, for whole-document comparisons."""
    return "\n\n".join(t.text for t in texts)
