"""Person names: cleaned for display, folded tokens for comparison, and the script they use.

The script is recorded so comparisons can refuse to compare across scripts (a Hangul name and a
Latin email handle are *incomparable*, never a "mismatch"): judging a name by its script or origin
is exactly what the toolkit must not do. The script itself is a sensitive fact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from screening.model.normalized import Name
from screening.normalize.text import clean_line, fold

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "madam",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "phd",
        "msc",
        "bsc",
        "mba",
        "md",
        "esq",
    ]
)

_SCRIPT_PREFIXES = (
    ("LATIN", "latin"),
    ("HANGUL", "hangul"),
    ("CJK", "han"),
    ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"),
    ("CYRILLIC", "cyrillic"),
    ("GREEK", "greek"),
    ("ARABIC", "arabic"),
    ("HEBREW", "hebrew"),
    ("DEVANAGARI", "devanagari"),
    ("BENGALI", "bengali"),
    ("TAMIL", "tamil"),
    ("TELUGU", "telugu"),
    ("THAI", "thai"),
    ("ARMENIAN", "armenian"),
    ("GEORGIAN", "georgian"),
    ("ETHIOPIC", "ethiopic"),
)


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """The script of one letter, coarse-grained ("other" when not in the table)."""
    name = unicodedata.name(ch, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "other"


def script_of(text: str) -> str:
    """Dominant script of the letters in ``text``; "mixed" when no script has 80% of them."""
    counts: dict[str, int] = {}
    total = 0
    for ch in text:
        if ch.isalpha():
            s = char_script(ch)
            counts[s] = counts.get(s, 0) + 1
            total += 1
    if not total:
        return "none"
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return script if n / total >= 0.8 else "mixed"


def name_tokens(text: str) -> tuple[str, ...]:
    """Folded word tokens of a name, without titles and suffixes."""
    tokens = []
    for tok in _TOKEN.findall(fold(text)):
        tok = tok.replace("'", "").replace("’", "")
        if tok and tok not in _TITLES:
            tokens.append(tok)
    return tuple(tokens)


def normalize_name(raw: str) -> Name:
    """Clean a name for display and comparison."""
    display = clean_line(raw)
    return Name(raw=raw, display=display, tokens=name_tokens(display), script=script_of(display))


def uncertain_name(raw: str) -> Name:
    """A name the document reader was not sure of: shown, marked, and without tokens, so every
    name comparison finds it incomparable (unavailable), never a mismatch."""
    display = f"{clean_line(raw)} (uncertain: read from the document)"
    return Name(raw=raw, display=display, tokens=(), script=script_of(clean_line(raw)))
