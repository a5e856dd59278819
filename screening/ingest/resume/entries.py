"""Work and education entries: each date range anchors one entry; the short lines around it
(on its line, just above, just below) are the entry's head (title, employer or institution,
degree, location), the longer lines after it its description.

Layouts covered by the same rule: dates on the right of the title line, on the left in a table
cell, on the line below the title, above the title. A head line is short and not a sentence; when
the section styles its heads (bold or a larger font than its body) only styled lines count, which
keeps a previous entry's last bullet or technology tag out of the next head.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from screening.ingest.documents.layout import Line
from screening.ingest.resume.countries import country_name, place_country
from screening.ingest.resume.dates import DateRange, find_range

_MAX_HEAD_WORDS = 10
_MAX_HEAD_CHARS = 90
_MAX_STYLED_WORDS = 16
# a head that lists its elements ("Degree, School, City" or "Title — Employer") may be longer than
# a plain head: each element short, the whole not a sentence
_MAX_ELEMENT_WORDS = 12
_MAX_LISTED_WORDS = 24
_MAX_LISTED_CHARS = 200
_ELEMENTS = re.compile(r"\s+[—–-]\s+|\s*[|•·]\s*|,\s*|\t")
_LONG_DASH = re.compile(r"\s[—–]\s")
_DASHED = re.compile(r"\s+[—–]\s+|\s*[|•·]\s*|\t")
# the elements of one head line that are set apart strongly (a tab, a bar, a bullet); " - ",
# " at " and commas also separate title and employer, but only when the head is one line
_STRONG = re.compile(r"\s*[|•·]\s*|\t")
# a styled head that wraps: the line ends mid-phrase or the next one starts in lower case
_OPEN_END = re.compile(r"[,&/+–—-]$|\s(?:of|and|de|des|du|la|le|y|e|et|und|für|di|do|da)$", re.I)
_DURATION = re.compile(
    r"\(?\b\d+\s*(?:years?|yrs?|months?|mos?|jahre?|monate?|ans?|mois|años?|meses|anos?|лет|год|"
    r"года|месяц\w*|년|개월|năm|tháng)\b(?:\s*\d+\s*(?:months?|mos?|monate?|mois|meses|месяц\w*"
    r"|개월|tháng)\b)?\)?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s+(?:at|@|chez|bei|en|em|в|tại)\s+|\s*[|•·]\s*|\s+[—–-]\s+|\t", re.I)
_CONTACT = re.compile(r"@|\+\d|https?://|www\.", re.IGNORECASE)  # a contact line is no head
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_MAX_NAME_WORDS = 4
_AT_EMPLOYER = re.compile(r"^(?:at|chez|bei|with|para|pour|für)\s+(?P<name>.+)", re.I)
_EMPLOYER_IS = re.compile(
    r"^(?P<name>.+?)\s+(?:is|was|are|were|has been|es|era|est|était|ist|war|é|foi)\s+"
    r"(?:an?|the|one|una?|une?|eine?|uma?|o|a|el|la|le|der|die|das)\s",
    re.I,
)
_NOT_NAMES = frozenset(
    "i we he she they it this that there my our his her their its the a an".split()
)
_BULLET = re.compile(r"^\s*[•◦▪‣∙●○■□\-*–]\s")
_TITLE_WORDS = frozenset(
    """
    engineer developer programmer manager director lead head architect analyst consultant designer
    scientist researcher specialist administrator admin officer coordinator intern internship
    trainee assistant associate founder co-founder cofounder owner partner president cto ceo cfo
    coo vp coach tecnico técnico freelance freelancer contractor technician teacher lecturer
    professor tutor instructor
    writer editor accountant nurse sales marketing support tester qa devops sre webmaster
    fullstack full-stack frontend front-end backend back-end software senior junior principal staff
    student volunteer member expert advisor adviser supervisor representative agent operator
    ingenieur entwickler berater leiter werkstudent praktikant mitarbeiter
    ingénieur développeur développeuse chef stagiaire responsable directeur consultante
    ingeniero desarrollador desarrolladora jefe gerente analista becario practicante
    engenheiro desenvolvedor desenvolvedora estagiário gerente coordenador
    sviluppatore ingegnere programista inżynier kierownik
    разработчик инженер программист руководитель менеджер аналитик стажер стажёр директор
    工程师 开发 经理 总监 实习生 主管 架构师 开发工程师 엔지니어 개발자 매니저 인턴 팀장 연구원
    kỹ sư lập trình viên trưởng nhóm thực tập sinh
    """.split()
)
_SCHOOL_WORDS = (
    "university", "universit", "college", "school", "institute", "institut", "academy",
    "akademie", "hochschule", "polytechnic", "politécnic", "politecnic", "faculdade", "facultad",
    "faculté", "escuela", "escola", "école", "ecole", "lycée", "liceum", "liceo", "gymnasium",
    "bootcamp", "udemy", "coursera", "instituto", "universidad", "universidade", "uniwersytet",
    "университет", "институт", "академия", "大学", "學院", "学院", "大學", "대학교", "대학",
    "đại học", "cao đẳng", "trường",
)  # fmt: skip
_DEGREE_WORDS = (
    "bachelor", "master", "b.sc", "bsc", "m.sc", "msc", "b.s.", "m.s.", "b.a.", "m.a.", "mba",
    "phd", "ph.d", "doctor", "diploma", "degree", "associate", "licenciatura", "licence",
    "licenciado", "ingeniería", "engenharia", "ingénieur", "diplom", "magister", "bakalavr",
    "бакалавр", "магистр", "специалист", "学士", "硕士", "博士", "本科", "학사", "석사", "박사",
    "cử nhân", "thạc sĩ", "kỹ sư", "tecnólogo", "técnico", "high school", "certificate",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One work or education entry as read from the document."""

    organisation: str | None
    role: str | None  # job title or degree
    location: str | None
    start: str | None
    end: str | None
    description: str


def read_entries(lines: list[Line], education: bool) -> list[Entry]:
    """Entries of one experience or education section, in document order."""
    lines = _join_wrapped(lines)
    anchors = [(i, r) for i, line in enumerate(lines) if (r := find_range(line.text))]
    styled = _styled_heads(lines)
    if not anchors:
        return _undated(lines, education)
    # where heads stand in this section: the lines before its first date can only be the first
    # entry's head; none there means the dates come first and heads follow them
    first = anchors[0][0]
    lead = sum(1 for line in lines[:first] if _listed(line.text) and not _mark(line.text))
    before = min(lead, 2)
    entries: list[Entry] = []
    used: set[int] = set()
    for k, (i, rng) in enumerate(anchors):
        low = anchors[k - 1][0] if k else -1
        high = anchors[k + 1][0] if k + 1 < len(anchors) else len(lines)
        parts = _head(lines, i, rng, (low, high), styled, before, used)
        apart = styled and len(parts) >= 2
        if styled and not parts:  # this entry's head is not set apart: read it as plain lines
            parts = _head(lines, i, rng, (low, high), False, before, used)
        head_end = max([i, *(j for j in used if i < j < high)])
        description = "\n".join(
            line.text for line in lines[head_end + 1 : _next_head(lines, high, head_end, styled)]
        )
        entries.append(_entry(parts, rng, description, education, apart))
    return entries


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Styled head lines that wrap joined into one: the same size and weight, the first ending
    mid-phrase ("Faculty of Physics," / "University of X") or the next starting in lower case."""
    if not lines:
        return lines
    body = Counter(line.size for line in lines).most_common(1)[0][0]
    out: list[Line] = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if (
            _is_styled(prev, body)
            and (line.size, line.bold, line.page, line.column) == (
                prev.size, prev.bold, prev.page, prev.column)
            and (_OPEN_END.search(prev.text) or line.text[:1].islower())
            and not find_range(prev.text)
            and not find_range(line.text)
            and not _CONTACT.search(line.text)
            and "\t" not in prev.text
        ):  # fmt: skip
            out[-1] = Line(f"{prev.text} {line.text}", prev.size, prev.bold, prev.page,
                           prev.column, prev.top)  # fmt: skip
        else:
            out.append(line)
    return out


def _undated(lines: list[Line], education: bool) -> list[Entry]:
    """Entries of a section that gives no dates at all: each styled short line is one entry's
    head (two such lines without a separator between their parts are title and organisation),
    the plain lines after it its description. A section without styled lines gives none."""
    if not lines:
        return []
    body = Counter(line.size for line in lines).most_common(1)[0][0]
    if not any(_is_styled(line, body) for line in lines):
        return []
    entries: list[Entry] = []
    head: list[str] = []
    text: list[str] = []

    def close() -> None:
        if head:
            entries.append(_entry(head, None, "\n".join(text), education, True))
        head.clear()
        text.clear()

    for line in lines:
        if _is_styled(line, body) and _listed(line.text, True) and not _CONTACT.search(line.text):
            paired = len(head) == 1 and not _SPLIT.search(head[0])
            if text or not paired or _SPLIT.search(line.text):
                close()
            head.append(_clean(line.text))
        elif head:
            text.append(line.text)
    close()
    return entries


def _styled_heads(lines: list[Line]) -> bool:
    """True when the section sets entry heads apart by weight or size from its body."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    marked = sum(1 for line in lines if _is_styled(line, body))
    return 0 < marked < len(lines)


def _is_styled(line: Line, body: float) -> bool:
    return line.bold or line.size > body + 0.5


def _listed(text: str, styled: bool = False) -> bool:
    """A head line: short, or a list of short elements that is not a sentence."""
    if styled:
        text = text.rstrip(".")
    if _short(text, _MAX_STYLED_WORDS if styled else 0):
        return True
    elements = [e for e in _ELEMENTS.split(text) if e.strip()]
    return (
        len(elements) >= 2
        and all(len(e.split()) <= _MAX_ELEMENT_WORDS for e in elements)
        and len(text.split()) <= _MAX_LISTED_WORDS
        and len(text) <= _MAX_LISTED_CHARS
        and not text.rstrip().endswith((".", ";", ":"))
        and not _BULLET.match(text)
    )


def _short(text: str, max_words: int = 0) -> bool:
    words = text.split()
    most = max_words or _MAX_HEAD_WORDS
    return (
        0 < len(words) <= most
        and len(text) <= _MAX_HEAD_CHARS * most // _MAX_HEAD_WORDS
        and not text.rstrip().endswith((".", ";", ":"))
        and not _BULLET.match(text)
    )


def _head(lines: list[Line], i: int, rng: DateRange, bounds: tuple[int, int], styled: bool,
          before_count: int, used: set[int]) -> list[str]:  # fmt: skip
    low, high = bounds
    text = lines[i].text
    rest = _clean(text[: rng.begin] + "\t" + text[rng.stop :])
    parts = [rest] if rest else []
    body = Counter(line.size for line in lines).most_common(1)[0][0]

    def fits(j: int, above: bool) -> bool:
        if j in used or not (low < j < high):
            return False
        line = lines[j]
        if find_range(line.text) or _CONTACT.search(line.text):
            return False
        if styled:  # a head set in bold may be long and end with a full stop
            return _is_styled(line, body) and _listed(line.text, styled=True)
        return _listed(line.text) if above else _short(line.text)

    before: list[str] = []
    limit = 3 if styled else before_count
    j = _skip_marks(lines, i - 1, -1, low)
    while len(before) < limit and len(parts) + len(before) < 3 and fits(j, True):
        before.insert(0, _clean(lines[j].text))
        used.add(j)
        j = _skip_marks(lines, j - 1, -1, low)
    parts = before + parts
    j = _skip_marks(lines, i + 1, 1, high)
    # where heads stand above their dates, head lines right above the next date are its head
    ahead = before_count > 0 and high < len(lines)
    while len(parts) < 2 and fits(j, False):
        if ahead and all(fits(k, True) or _mark(lines[k].text) for k in range(j, high)):
            break
        parts.append(_clean(lines[j].text))
        used.add(j)
        j = _skip_marks(lines, j + 1, 1, high)
    return [p for p in parts if p]


def _skip_marks(lines: list[Line], j: int, step: int, limit: int) -> int:
    """The next line from ``j`` that is text: icons, "#" and bare web addresses are skipped."""
    while (j > limit if step < 0 else j < limit) and _mark(lines[j].text):
        j += step
    return j


def _mark(text: str) -> bool:
    return not any(c.isalnum() for c in text) or bool(_URL_ONLY.match(text.strip()))


def _next_head(lines: list[Line], high: int, head_end: int, styled: bool) -> int:
    """Where the description ends: at the next entry's head lines (styled lines above its date)."""
    end = high
    body = Counter(line.size for line in lines).most_common(1)[0][0] if lines else 0.0
    while (
        end - 1 > head_end
        and _short(lines[end - 1].text)
        and ((styled and _is_styled(lines[end - 1], body)) or end == high)
    ):
        end -= 1
        if not styled:
            break
    return end


def _clean(text: str) -> str:
    """Durations and separators removed; a tab between two elements is kept."""
    cells = (" ".join(c.split()).strip(" ,|·•-–—()") for c in _DURATION.sub("", text).split("\t"))
    return "\t".join(c for c in cells if c)


def _entry(parts: list[str], rng: DateRange | None, description: str, education: bool,
           lines_apart: bool = False) -> Entry:  # fmt: skip
    """One entry from its head parts. When the head's lines are set apart by style (a title
    line and an employer line), each line is one element: "Coach - Staff Engineer" over "Acme"
    is a title and its employer, not two titles and a lost employer."""
    strong = [p.strip(" ,") for part in parts for p in _STRONG.split(part) if p.strip(" ,")]
    whole = [p for p in strong if not _is_place(p)]
    pieces: list[str] = []
    if lines_apart and len(whole) >= 2:
        pieces = strong
    else:
        for part in parts:
            # separators rank: a line that uses a long dash between title and employer keeps a
            # hyphen inside a name ("Engineer — Acme - Cloud Team")
            splitter = _DASHED if _LONG_DASH.search(part) else _SPLIT
            split = [p.strip(" ,") for p in splitter.split(part) if p and p.strip(" ,")]
            if len(split) == 1 and ", " in part and not education:
                first, _, second = part.partition(", ")
                if _has_word(first, _TITLE_WORDS) and not country_name(second.split(",")[-1]):
                    split = [first, second]
            pieces.extend(split)
    location = None
    rest: list[str] = []
    for piece in pieces:
        if location is None and _is_place(piece):
            location = piece
        else:
            rest.append(piece)
    organisation = role = None
    if education:
        school = next((p for p in rest if _contains(p, _SCHOOL_WORDS)), None)
        degree = next((p for p in rest if p != school and _contains(p, _DEGREE_WORDS)), None)
        others = [p for p in rest if p not in (school, degree)]
        organisation = school or (others.pop(0) if others else None)
        role = degree or (others.pop(0) if others else None)
    else:
        title = next((p for p in rest if _has_word(p, _TITLE_WORDS)), None)
        others = [p for p in rest if p != title]
        organisation = others.pop(0) if others else None
        role = title or (others.pop(0) if others else None)
        if organisation is None:
            organisation = employer_in(description)
    start, end = (rng.start, rng.end) if rng else (None, None)
    return Entry(organisation, role, location, start, end, description)


def employer_in(description: str) -> str | None:
    """The employer named by the first sentence of an entry's description, for an entry whose
    head names none: "At Acme, I ...", "Acme is a ...", "Chez Acme, ...", "Acme ist ein ..."."""
    first = re.split(r"(?<=[.!?])\s|\n", description.strip(), maxsplit=1)[0]
    m = _AT_EMPLOYER.match(first)
    if m:
        return _proper_run(m.group("name"))
    m = _EMPLOYER_IS.match(first)
    if m and (name := _proper_run(m.group("name"))) == m.group("name").strip():
        return name
    return None


def _proper_run(text: str) -> str | None:
    """The leading run of capitalised words (or words with a capital or digit inside: "eBay",
    "3M") of ``text``, at most four, never a pronoun or article."""
    words: list[str] = []
    for word in text.split()[:_MAX_NAME_WORDS]:
        core = word.strip(",;:()\"'’")
        if core.casefold().split("'")[0].split("’")[0] in _NOT_NAMES:
            break
        if not core or not (core[0].isupper() or core[0].isdigit() or
                            any(c.isupper() for c in core[1:])):  # fmt: skip
            break
        words.append(core)
        if word.endswith((",", ";", ":")):
            break
    name = " ".join(words).removesuffix("'s").removesuffix("’s")
    if not name or name.casefold() in _NOT_NAMES or not any(c.isalpha() for c in name):
        return None
    return name


def _is_place(piece: str) -> bool:
    last = piece.rsplit(",", 1)[-1]
    return place_country(last) is not None and len(piece.split()) <= 6


def _has_word(text: str, words: frozenset[str]) -> bool:
    folded = text.casefold()
    tokens = re.split(r"[\s,/()]+", folded)
    # inflected forms count: "Entwicklerin", "developers", "ingénieure"
    if any(t in words or (len(t) > 5 and t[:-1] in words) or t[:-2] in words for t in tokens):
        return True
    return any(w in folded for w in words if len(w) > 1 and not w.isascii())


def _contains(text: str, words: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(w in folded for w in words)
