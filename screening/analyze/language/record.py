"""Stage 3 (analyze, language): what the resume says against what the application form says.

Three comparisons, each conservative because honest resumes are abbreviated, renamed and out of
date: employers listed in the form that the resume never mentions; a current location the resume
states outright ("Location: ...", "based in ...") that names another country than the claimed
one (countries only: city names like London or Paris exist on several continents, and state
names like Georgia or New Mexico contain country names); and skills claimed in the form that no
role title or description mentions. Employers the resume names but the form omits need named
entities, so they are computed only with a trained pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from screening.analyze.common.shingles import words
from screening.model.normalized import Application

if TYPE_CHECKING:
    from spacy.tokens import Doc

MIN_RESUME_WORDS = 150
_SKILL_SUFFIXES = frozenset({"js", "io"})
# "nodejs", "html5", "python3": a name with a "js" or version suffix ("web3" and "s3" are names)
_VERSIONED = re.compile(r"(?<=[a-z]{3})(?<!web)(js|\d+)$")
MAX_STATED_LOCATIONS = 5
_SUFFIXES = frozenset(
    "inc incorporated llc l l c ltd limited corp corporation co company gmbh ag sa sas sarl srl "
    "bv nv plc pty pte oy ab as kk group holdings the".split()
)
_GENERIC_EMPLOYERS = frozenset(
    {
        "self employed",
        "self",
        "freelance",
        "freelancer",
        "independent",
        "independent contractor",
        "contractor",
        "consultant",
        "confidential",
        "various",
        "various clients",
        "stealth startup",
        "stealth",
        "n a",
        "none",
    }
)
_LOCATION_CUE = re.compile(
    r"\b(?:location|address|based in|located in|living in|lives in|residing in|resident of|"
    r"currently in)\b[ \t]*[:\-–]?[ \t]*([^\n|•·;]{2,80})",
    re.IGNORECASE,
)
_PLACE_STOP = re.compile(r"\b(?:remote|anywhere|open to relocation|relocat\w*|flexible)\b", re.I)
_YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")
# Country names that are also US states, towns or given names, never resolved alone
_AMBIGUOUS = frozenset({"georgia", "jersey", "jordan", "chad", "panama", "lebanon", "peru"})
_EXTRA_COUNTRY_NAMES = {
    "US": ("usa", "u s", "u s a", "united states of america", "america"),
    "GB": ("uk", "u k", "united kingdom", "great britain", "england", "scotland", "wales",
           "northern ireland"),
    "KR": ("south korea", "republic of korea"),
    "KP": ("north korea", "dprk"),
    "AE": ("uae", "united arab emirates"),
    "RU": ("russian federation",),
    "CN": ("prc", "people s republic of china", "mainland china"),
    "VN": ("viet nam",),
    "CZ": ("czech republic", "czechia"),
    "NL": ("holland", "the netherlands"),
    "TR": ("turkiye",),
    "MM": ("burma",),
    "CI": ("ivory coast", "cote d ivoire"),
    "CD": ("dr congo", "drc"),
}  # fmt: skip
# state and region names that contain a country name, so they are read as their own country
_CONTAINING_COUNTRY = {
    "US": ("new mexico", "new jersey", "new england"),
    "AU": ("new south wales",),
}


def _core_words(name: str) -> list[str]:
    return [w for w in words(name) if w not in _SUFFIXES]


def employer_key(name: str) -> str:
    """An employer name for comparison: folded words without legal suffixes."""
    return " ".join(_core_words(name))


def _padded(text: str) -> tuple[str, str]:
    joined = " ".join(words(text))
    return f" {joined} ", joined.replace(" ", "")


def mentions(haystack: tuple[str, str], name: str) -> bool:
    """True when the folded words of ``name`` occur together in ``haystack`` (see ``_padded``)."""
    key = employer_key(name)
    if not key:
        return True
    spaced, compact = haystack
    return f" {key} " in spaced or key.replace(" ", "") in compact


def application_employers(app: Application) -> list[str]:
    """Employer names of the form's work history worth looking for (no 'self-employed')."""
    out: list[str] = []
    for job in app.employment:
        name = job.employer
        if name and employer_key(name) not in _GENERIC_EMPLOYERS and name not in out:
            out.append(name)
    return out


def missing_employers(app: Application, resume: str) -> list[str]:
    """Employers of the form that the resume text never mentions."""
    haystack = _padded(resume)
    return [e for e in application_employers(app) if not mentions(haystack, e)]


def unlisted_employers(docs: Sequence[Doc], app: Application) -> list[str]:
    """Organisations the resume names on dated lines that the form's history does not list.

    Needs named entities (a trained pipeline). Schools and the form's employers are excluded.
    """
    known = [*application_employers(app), *(s.institution for s in app.education if s.institution)]
    known_keys = [employer_key(k) for k in known if employer_key(k)]
    out: list[str] = []
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            line = _line_of(doc.text, ent.start_char, ent.end_char)
            if not _YEAR.search(line):
                continue
            key = employer_key(ent.text)
            if not key or any(key in k or k in key for k in known_keys):
                continue
            name = " ".join(ent.text.split())
            if name not in out:
                out.append(name)
    return out


def _line_of(text: str, start: int, end: int) -> str:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return text[lo : hi if hi != -1 else len(text)]


def stated_locations(resume: str) -> list[str]:
    """Current locations the resume states outright ("Location: Austin, TX", "based in ...")."""
    out: list[str] = []
    for m in _LOCATION_CUE.finditer(resume):
        place = " ".join(m.group(1).split()).strip(" ,.-–")
        if place and not _PLACE_STOP.search(place) and place not in out:
            out.append(place)
        if len(out) >= MAX_STATED_LOCATIONS:
            break
    return out


@cache
def _country_pattern() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    text = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text(encoding="utf-8")
    names: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        code, name = line.split("\t", 1)
        for variant in (name, name.split("(")[0]):
            key = " ".join(words(variant))
            if key and key not in _AMBIGUOUS:
                names.setdefault(key, set()).add(code.upper())
    for table in (_EXTRA_COUNTRY_NAMES, _CONTAINING_COUNTRY):
        for code, aliases in table.items():
            for alias in aliases:
                names.setdefault(" ".join(words(alias)), set()).add(code)
    alternation = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b"), {k: frozenset(v) for k, v in names.items()}


def countries_named(places: Iterable[str]) -> list[str]:
    """ISO codes of the countries the places name (longest names first: "Papua New Guinea")."""
    pattern, table = _country_pattern()
    out: set[str] = set()
    for place in places:
        for m in pattern.finditer(" ".join(words(place))):
            out |= table[m.group()]
    return sorted(out)


def claimed_countries(app: Application) -> set[str]:
    """The countries the application claims: location and home addresses."""
    out = {app.location.country.upper()} if app.location.country else set()
    out |= {a.country.upper() for a in app.addresses if a.kind == "home" and a.country}
    return out


def skill_keys(skill: str) -> list[str]:
    """Ways a role can name a skill: "React.js" as react js or react, "HTML5" as html5 or html,
    "Flutter (Dart)" as flutter dart, flutter or dart, "NodeJS" as nodejs or node."""
    parts = [skill, *re.split(r"[()/,]", skill)] if re.search(r"[()/,]", skill) else [skill]
    out: list[str] = []
    for part in parts:
        tokens = words(part)
        out.append(" ".join(tokens))
        while len(tokens) > 1 and (tokens[-1] in _SKILL_SUFFIXES or tokens[-1].isdigit()):
            tokens = tokens[:-1]
        if tokens:
            tokens = [*tokens[:-1], _VERSIONED.sub("", tokens[-1])]
            out.append(" ".join(tokens))
    return list(dict.fromkeys(k for k in out if k))


def skills_without_role(app: Application) -> list[str] | None:
    """Claimed skills that no role title or description mentions (None: no descriptions)."""
    if not any(job.description for job in app.employment):
        return None
    roles = " ".join(f"{job.title or ''} {job.description or ''}" for job in app.employment)
    spaced = f" {' '.join(words(roles))} "
    out: list[str] = []
    for skill in app.skills:
        keys = skill_keys(skill)
        if keys and not any(f" {key} " in spaced for key in keys) and skill not in out:
            out.append(skill)
    return out
