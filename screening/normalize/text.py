"""Text cleaning shared by every normalizer: NFKC, invisible characters out, whitespace folded.

Impostors and their tooling paste text from many sources; zero-width and bidirectional control
characters can also be used on purpose to make two equal strings compare unequal. Every field
that is compared later is cleaned here, once. Free text (resume documents, interview notes,
messages) is left as written: the language analyzer cleans it with the same character sets and
reports the invisible characters it removes, which would be lost if they were stripped here.
"""

from __future__ import annotations

import re
import unicodedata

# zero-width and joiner characters, bidi marks/embeddings/overrides/isolates, invisible
# separators and fillers, deprecated format characters, the BOM, and Unicode tag characters
# (used to smuggle hidden ASCII); variation selectors are left alone (emoji use them).
INVISIBLE = re.compile(
    "[\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\U000e0000-\U000e007f]"
)
SOFT_HYPHEN = "\u00ad"  # invisible too, but PDF and DOCX hyphenation puts it inside words
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def clean_line(text: str) -> str:
    """One line of text: NFKC, invisible and control characters removed, whitespace folded."""
    text = unicodedata.normalize("NFKC", text).replace(SOFT_HYPHEN, "")
    text = INVISIBLE.sub("", text)
    text = CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """Multi-line text: as ``clean_line`` per line, keeping line breaks."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE.sub("", text.replace(SOFT_HYPHEN, ""))
    text = CONTROL.sub(" ", text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def fold(text: str) -> str:
    """Comparison form: case-folded with diacritics removed ("Nguyễn" -> "nguyen")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l")
