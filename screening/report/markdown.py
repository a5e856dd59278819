"""Stage 6 of 6 (report): escaping text for the Markdown note an ATS shows.

Names, evidence values and explain sentences come from the candidate. Pasted into Markdown
unescaped they could add emphasis, headings, tables, images or links (``[verified](https://...)``)
to a note a reviewer trusts. ``md_escape`` turns one value into a single line of inert text:
line breaks and control characters become spaces, every character Markdown may read as syntax
is backslash-escaped, and bare URLs are broken so Markdown renderers do not autolink them.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~&@$^])")
"""Characters that can start inline syntax anywhere in a line (emphasis, code, links, HTML,
tables, strikethrough, entities, math, footnotes): always escaped."""

_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_LINE_START = re.compile(r"^(\s*)(?:([-+=])(?=\s|$|\2)|(\d{1,9})(?=\.(?:\s|$)))")
"""List markers and setext underlines only count at the start of a line (``#``, ``>``, ``*`` and
``)`` are already escaped everywhere)."""

_AUTOLINK = re.compile(r"(?i)(?<=:)//|(?<=\bwww)\.")
"""``scheme://`` and ``www.`` are autolinked by GitHub-flavoured renderers without any syntax."""


def md_escape(value: object) -> str:
    """``value`` as one line of Markdown that renders as the same literal text and nothing else."""
    text = _BREAKS.sub(" ", str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(_break_autolink, text)
    return _LINE_START.sub(_escape_line_start, text, count=1)


def _break_autolink(match: re.Match[str]) -> str:
    return "\\/\\/" if match.group(0) == "//" else "\\."


def _escape_line_start(match: re.Match[str]) -> str:
    lead, marker, number = match.groups()
    if number is not None:
        # "1. " starts an ordered list; escaping the dot is enough.
        return f"{lead}{number}\\"
    return f"{lead}\\{marker}"
