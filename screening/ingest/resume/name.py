"""The candidate's name, chosen by scoring several sources together.

Sources: name-like lines (or parts of lines split at tabs and separators) near the top of the
first page, the author metadata, and as corroboration the email local parts and profile handles.
A line scores for being the largest text of the header, for coming first and for being bold; any
source scores again when another agrees with it (the author field, an email such as
``first.last@``, a profile handle). Lines that are headings, places, schools or job titles never
qualify (``looks_like_name`` and the checks here). The result is *certain* only when the best
candidate is clearly the header's name (largest text, or corroborated); otherwise it is returned
as uncertain, and the report and the name rules treat it as unavailable. With no name-like line
at all, the author metadata, an email local part or the file name may still give an uncertain
name; only when none of them does is there no name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from screening.ingest.documents.layout import Line
from screening.ingest.resume.countries import country_name
from screening.ingest.resume.sections import heading_kind
from screening.ingest.text_extract import looks_like_name, name_from_author

_TOP_LINES = 14
_PIECES = re.compile(r"\t|\s[|•·]\s|\s{3,}|\s[—–]\s")
_SCHOOLISH = re.compile(
    r"\b(?:university|universit\w*|college|school|institut\w*|academy|hochschule|"
    r"inc|ltd|llc|gmbh|corp|company|s\.a\.|street|st\.|road|avenue|ave\.|str\.)\b",
    re.IGNORECASE,
)
_HANDLE_SPLIT = re.compile(r"[._\-+\d]+")
_CERTAIN = 4.0
_DOCUMENT_WORDS = frozenset("resume résumé curriculum vitae lebenslauf cv portfolio".split())
_HANDLE = re.compile(r"^[^\W_][\w.\-]{2,29}$")


@dataclass(frozen=True, slots=True)
class NameChoice:
    """The chosen name, whether it is certain, and which sources agreed."""

    name: str
    certain: bool
    sources: tuple[str, ...]


def choose_name(
    lines: list[Line],
    author: str | None,
    emails: list[str],
    handles: list[str],
    file_stem: str | None,
) -> NameChoice | None:
    """The best-scoring name, or None when nothing name-like exists."""
    # the top of the first page as it looks, whichever column the reading order put first
    first_page = sorted((line for line in lines if line.page == 0), key=lambda line: line.top)
    top = first_page[:_TOP_LINES] or lines[:_TOP_LINES]
    sizes = sorted({line.size for line in top if line.size}, reverse=True)
    handle_tokens = _tokens(emails, handles)
    author_name = name_from_author(author)
    scored: list[tuple[float, int, str, list[str]]] = []
    for index, line in enumerate(top):
        if heading_kind(line.text):
            continue
        for piece, bonus in _with_wrapped(top, index):
            if not _acceptable(piece):
                continue
            score = 1.0 + bonus
            why = ["first lines"]
            if sizes and line.size == sizes[0]:
                score += 3.0
                why.append("largest text")
            score += max(0.0, 1.5 - 0.25 * index)
            if line.bold:
                score += 0.5
            if author_name and _same(piece, author_name):
                score += 2.0
                why.append("author metadata")
            if handle_tokens and _agrees(piece, handle_tokens):
                score += 2.0
                why.append("email or profile handle")
            scored.append((score, -index, " ".join(piece.split()), why))
    if scored:
        score, _, name, why = max(scored)
        return NameChoice(name, score >= _CERTAIN and len(why) > 1, tuple(why))
    if author_name:
        return NameChoice(author_name, False, ("author metadata",))
    handle = _handle_line(top, sizes)
    if handle:
        return NameChoice(handle, False, ("largest text",))
    for source, guess in (
        ("email or profile handle", _from_handle(emails, handles)),
        ("file name", _from_stem(file_stem)),
    ):
        if guess:
            return NameChoice(guess, False, (source,))
    return None


def _with_wrapped(top: list[Line], index: int) -> list[tuple[str, float]]:
    """The pieces of a line, and the line joined with the next when a large name wraps onto it
    in the same style ("CRISTOBAL VALDES" / "CARRASCO")."""
    line = top[index]
    out = [(piece, 0.0) for piece in _pieces(line.text)]
    below = [other for other in top[index + 1 :] if other.column == line.column]
    if below and "\t" not in line.text:
        after = below[0]
        same = after.size == line.size and after.bold == line.bold and line.size > 0
        if same and len(after.text.split()) <= 2 and "\t" not in after.text:
            out.append((f"{line.text} {after.text}", 0.5))
    return out


def _handle_line(top: list[Line], sizes: list[float]) -> str | None:
    """The header's largest line when it is one handle-like word ("kevinlau2nd"): the name the
    candidate chose to show, kept as an uncertain name rather than refusing the file."""
    largest = [line for line in top if not sizes or line.size == sizes[0]]
    if not largest:
        return None
    text = largest[0].text.strip()
    letters = sum(c.isalpha() for c in text)
    if (
        _HANDLE.match(text)
        and letters >= 3
        and not text.isupper()  # "BACKGROUND": a heading, not a handle
        and text.casefold() not in _DOCUMENT_WORDS
        and not heading_kind(text)
        and not country_name(text)
    ):
        return text
    return None


def _pieces(text: str) -> list[str]:
    pieces = [p.strip(" ,;") for p in _PIECES.split(text)]
    return [p for p in pieces if p]


def _acceptable(piece: str) -> bool:
    # "Bram Verhoeven MSc." : a trailing abbreviation's dot does not make a sentence
    bare = piece[:-1] if piece.endswith(".") and len(piece.split()[-1]) <= 5 else piece
    if not looks_like_name(bare) or _SCHOOLISH.search(piece) or "&" in piece:
        return False
    # a place ("Orlando, FL", "Bogotá, Colombia") is not a name
    return not ("," in piece or country_name(piece) or country_name(piece.split()[-1]))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(emails: list[str], handles: list[str]) -> set[str]:
    tokens: set[str] = set()
    for value in [e.split("@", 1)[0] for e in emails] + handles:
        folded = _fold(value)
        tokens.update(t for t in _HANDLE_SPLIT.split(folded) if len(t) >= 3)
        if len(folded) >= 3:
            tokens.add(_HANDLE_SPLIT.sub("", folded))
    return tokens


def _agrees(piece: str, tokens: set[str]) -> bool:
    words = [w for w in re.split(r"[\s\-']+", _fold(piece)) if len(w) >= 3]
    for word in words:
        if word in tokens or any(word in t for t in tokens if len(t) > len(word)):
            return True
    return False


def _same(a: str, b: str) -> bool:
    return sorted(_fold(a).split()) == sorted(_fold(b).split())


def _from_handle(emails: list[str], handles: list[str]) -> str | None:
    """A name spelt out by an email local part or a profile handle ("jane.roe", "JaneRoe")."""
    for value in [e.split("@", 1)[0] for e in emails] + handles:
        parts = [p for p in re.split(r"[._\-]+|(?<=[a-z])(?=[A-Z])", value) if p]
        if 2 <= len(parts) <= 3 and all(p.isalpha() and len(p) >= 2 for p in parts):
            guess = " ".join(p.capitalize() for p in parts)
            if looks_like_name(guess):
                return guess
    return None


def _from_stem(stem: str | None) -> str | None:
    if not stem:
        return None
    words = [w for w in re.split(r"[\s._\-]+", stem) if w]
    words = [w for w in words if w.isalpha() and w.casefold() not in ("cv", "resume", "lebenslauf")]
    guess = " ".join(w if not w.islower() else w.capitalize() for w in words)
    return guess if 2 <= len(words) <= 4 and looks_like_name(guess) else None
