"""Date ranges as resumes write them: ``Jan 2020 – Present``, ``2019.03 - 2021.07``,
``03/2019 – now``, ``2019 – 2021``, ``2019年3月 - 至今``, ``3월 2020 ~ 현재``, ``since 2020``.

Month names and "until now" words in English, German, French, Spanish, Portuguese, Italian,
Dutch, Polish, Russian, Chinese, Korean, Japanese and Vietnamese. A found range is returned with
its place in the line so the caller can take the rest of the line as the entry's title.
Month-day-year forms (``03-25-2024``) are read as month and year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRESENT = "present"

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january janvier januar enero janeiro gennaio januari styczeń stycznia янв январь "
        "января jän jänner ene gen sty",
        "feb february février fevrier februar febrero fevereiro febbraio februari luty lutego фев "
        "февраль февраля fév fev lut",
        "mar march mars märz marz marzo março marco maart marzec marca мар март марта mär",
        "apr april avril abril aprile kwiecień kwietnia апр апрель апреля avr abr kwi",
        "may mai mayo maio maggio mei maj maja май мая mag",
        "jun june juin juni junio junho giugno czerwiec czerwca июн июнь июня giu cze",
        "jul july juillet juli julio julho luglio lipiec lipca июл июль июля juil lug lip",
        "aug august août aout agosto augustus sierpień sierpnia авг август августа ago sie",
        "sep sept september septembre septiembre setembro settembre wrzesień września сен "
        "сентябрь сентября set wrz",
        "oct october octobre oktober octubre outubro ottobre październik października окт "
        "октябрь октября okt out ott paź",
        "nov november novembre noviembre novembro listopad listopada ноя ноябрь ноября lis",
        "dec december décembre dezember diciembre dezembro dicembre grudzień grudnia дек "
        "декабрь декабря déc dez dic dic gru",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_PRESENT_WORDS = (
    r"present|current|currently|now|today|ongoing|till date|to date|date|heute|aktuell|jetzt|"
    r"gegenwart|présent|aujourd'hui|aujourd’hui|actuel|en cours|actualidad|presente|actual|"
    r"actualmente|hoy|atual|atualmente|momento|oggi|attuale|heden|nu|obecnie|teraz|"
    r"н\.\s?в\.?|настоящее время|по настоящее время|наст\. время|сейчас|текущее время|"
    r"至今|现在|目前|今|現在|현재|재직중|재직 중|nay|hiện tại|hiện nay"
)
_MONTH_NAME = "(?:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_MM = r"(?:0?[1-9]|1[0-2])"
# One date; named groups tell which form matched.
_DATE = (
    rf"(?:(?P<@mn>{_MONTH_NAME})[\s,\-/]*(?P<@y1>{_YEAR})"  # Jan 2020, Aug, 2025, Mar-2022
    rf"|(?P<@y2>{_YEAR})\s*[.\-/]\s*(?P<@m2>{_MM})(?![\d])(?:\s*[.\-/]\s*\d{{1,2}})?\.?"
    rf"|(?P<@m3>{_MM})\s*[./\-]\s*(?:\d{{1,2}}\s*[./\-]\s*)?(?P<@y3>{_YEAR})"
    rf"|(?P<@y4>{_YEAR})\s*(?:年|년)\s*(?P<@m4>{_MM})\s*(?:月|월)"
    rf"|(?:tháng\s*)?(?P<@m5>{_MM})\s*(?:月|월)\s*(?P<@y5>{_YEAR})"
    rf"|tháng\s*(?P<@m6>{_MM})\s*(?:năm|/)\s*(?P<@y6>{_YEAR})"
    rf"|(?P<@y7>{_YEAR})(?:\s*(?:年|년))?)"
)
_SEP = r"\s*(?:-|–|—|―|~|～|to|until|till|bis|à|au|a|al|até|ao|по|до|至|—|-{2})\s*"
_RANGE = re.compile(
    r"(?<![\w])(?:(?:from|von|du|de|desde|с|since|seit|depuis|từ)\s+)?"
    + _DATE.replace("@", "a")
    + rf"(?:{_SEP}(?:(?P<present>{_PRESENT_WORDS})(?![\w])|"
    + _DATE.replace("@", "b")
    + r")|(?P<open>\s*(?:-|–|—)\s*(?:$|\t)))?(?![\w])",
    re.IGNORECASE,
)
_SINCE = re.compile(r"(?:since|seit|depuis|desde|с|từ)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A start (``YYYY-MM`` or ``YYYY``), an end (the same, ``present`` or None) and the span."""

    start: str
    end: str | None
    begin: int
    stop: int


def find_range(line: str) -> DateRange | None:
    """The first date range in ``line`` (a single date counts when it stands alone)."""
    for m in _RANGE.finditer(line):
        start = _date(m, "a")
        if start is None:
            continue
        end = _date(m, "b")
        since = _SINCE.search(line[: m.start()]) or _starts_since(m.group(0))
        if m.group("present") or m.group("open") or since:
            end = PRESENT
        single = end is None
        if single and not _alone(line, m):
            continue
        return DateRange(start, end, m.start(), m.end())
    return None


def _starts_since(text: str) -> bool:
    return bool(re.match(r"(?:since|seit|depuis|desde|с|từ)\s", text, re.IGNORECASE))


def _alone(line: str, m: re.Match[str]) -> bool:
    """A single date is a date of the entry only when little else is on its line or cell."""
    rest = (line[: m.start()] + line[m.end() :]).strip(" \t,|·•-–—()")
    return len(rest) <= 3 or "\t" in line


def _date(m: re.Match[str], p: str) -> str | None:
    name = m.group(f"{p}mn")
    if name is not None:
        month = _MONTHS.get(name.rstrip(".").casefold())
        if month is None:
            return None
        return f"{m.group(f'{p}y1')}-{month:02d}"
    for year_group, month_group in (("y2", "m2"), ("y3", "m3"), ("y4", "m4"), ("y5", "m5"),
                                    ("y6", "m6")):  # fmt: skip
        year = m.group(f"{p}{year_group}")
        if year is not None:
            return f"{year}-{int(m.group(f'{p}{month_group}')):02d}"
    return m.group(f"{p}y7")
