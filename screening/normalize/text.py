"""Text cleaning shared by every normalizer: NFKC, invisible characters out, whitespace folded.

Impostors and their tooling paste text from many sources; zero-width and bidirectional control
characters can also be used on purpose to make two equal strings compare unequal. Everything that
is compared later is cleaned here, once.
"""

from __future__ import annotations

import re
import unicodedata

# zero-width, joiners, bidi embeddings/overrides/isolates, word joiner, BOM, soft hyphen
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def clean_line(text: str) -> str:
    """One line of text: NFKC, invisible and control characters removed, whitespace folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """Multi-line text: as ``clean_line`` per line, keeping line breaks."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", " ", text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def fold(text: str) -> str:
    """Comparison form: case-folded with diacritics removed ("Nguyễn" -> "nguyen")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l")


def has_invisible(text: str) -> bool:
    """True when ``text`` carries zero-width or bidi control characters."""
    return bool(_INVISIBLE.search(text))
