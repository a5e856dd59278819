"""The exception tree of the toolkit.

Every error the toolkit raises on purpose derives from ``ScreeningError`` and carries an
``exit_code`` the CLI uses (0 ok, 1 bad input or rule error, 2 usage)::

    ScreeningError
     +-- InputError            bad application input (one or more problems, each naming a field)
     |    +-- LimitError       input over a configured size, count or length limit
     |    +-- DocumentError    a resume document that cannot be read (malformed, encrypted ...)
     +-- RulePackError         one or more problems in rule packs (file, line, column, rule id)
     +-- ConfigError           bad configuration file or environment override
     +-- StoreError            the history/jobs database cannot be used (corrupt, locked, newer)
     +-- ListError             a reference list (sanctions, domains, networks) cannot be loaded
     +-- UsageError            the command line itself is wrong (exit code 2)

Analyzer failures are not exceptions to the caller: they become an ``unavailable`` check and
the rules that needed them come out ``not_evaluated``.

A few exceptions are signals inside one part of the toolkit and never reach a caller: each is
caught and translated at one place, listed in ``INTERNAL`` (module path -> where it becomes one
of the errors above, a check or an HTTP answer). A test keeps this list complete. ``ValueError``
raised inside a pydantic validator is not in it: pydantic collects it, and the caller turns the
collected errors into ``InputError`` (applications) or ``ConfigError`` (settings). Any other
plain ``ValueError`` is a programming error, not a user's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input: where it is and what is wrong with it."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.field or "(document)"
        if self.line is not None:
            where = f"{where} (line {self.line}" + (
                f", column {self.column})" if self.column is not None else ")"
            )
        return f"{where}: {self.message}"


class ScreeningError(Exception):
    """Base of all errors raised on purpose by the toolkit."""

    exit_code: ClassVar[int] = 1


class InputError(ScreeningError):
    """An application (or its documents) could not be read; lists every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "; ".join(prefix + str(p) for p in self.problems) or prefix + "invalid input"

    def lines(self) -> list[str]:
        """One line per problem, prefixed with the source, for stderr."""
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + str(p) for p in self.problems]

    def with_source(self, source: str) -> InputError:
        """The same problems attributed to ``source`` (a file name or CSV row)."""
        return type(self)(self.problems, source)


class LimitError(InputError):
    """Input larger than a configured limit (file size, list length, text length, depth)."""


class DocumentError(InputError):
    """A resume or cover-letter document that cannot be read."""


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One rule-pack error with its location and a suggested fix."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None

    def __str__(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        rid = f" {self.rule_id}:" if self.rule_id else ""
        return f"{loc}:{rid} {self.message}"


class RulePackError(ScreeningError):
    """Rule packs that failed to load; ``problems`` holds every error found in one pass."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(ScreeningError):
    """Bad configuration: unknown key, wrong type, unreadable file."""


class StoreError(ScreeningError):
    """The database cannot be used: corrupt, locked past the timeout, or a newer schema."""


class ListError(ScreeningError):
    """A reference list file is malformed (the message names the file and line) or unavailable."""


class UsageError(ScreeningError):
    """The command line is wrong."""

    exit_code: ClassVar[int] = 2


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name ``word`` most likely misspells, or None when none is close.

    Close means a typo: at most one edit (insert, delete, substitute, swap two neighbours) in a
    name of one or two characters, two up to nine, three in a longer one, ignoring case. Dotted
    names are compared after the segments both share, so ``phones.carier`` finds
    ``phones.carrier`` and ``phones.valid`` is not close to ``phones.carrier``. A word of four
    characters or more that begins a known name (a truncated id) is close too.
    """
    from rapidfuzz.distance import DamerauLevenshtein

    folded = word.casefold()
    best: str | None = None
    best_distance = 0.0
    for candidate in known:
        name = candidate.casefold()
        if name == folded and candidate != word:
            return candidate
        if len(folded) >= 4 and name != folded and name.startswith(folded):
            distance = 0.5
        else:
            cut = _shared_segments(folded, name)
            tail = folded[cut:]
            distance = DamerauLevenshtein.distance(tail, name[cut:])
            if distance == 0 or distance > _typos(len(tail)):
                continue
        if best is None or distance < best_distance:
            best, best_distance = candidate, distance
    return best


def _typos(length: int) -> int:
    return 1 if length <= 2 else 2 if length <= 9 else 3


def _shared_segments(a: str, b: str) -> int:
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return a.rfind(".", 0, shared) + 1


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``word`` is a typo of a known name, else an empty string."""
    best = closest(word, known)
    return f" (did you mean '{best}'?)" if best else ""


def unknown(noun: str, word: str, known: Iterable[str]) -> str:
    """``unknown <noun> 'word'``, with a suggestion when one is close (one wording everywhere)."""
    return f"unknown {noun} '{word}'{did_you_mean(word, known)}"


INTERNAL: dict[str, str] = {
    "screening.safeload.LoadError": (
        "a YAML/JSON document that cannot be loaded safely; becomes InputError (ingest."
        "structured), RulePackError (evaluate.yaml_files) or a 400 answer (server)"
    ),
    "screening.evaluate.condition.ConditionError": (
        "a rule condition that does not parse; becomes a RuleProblem (evaluate.compile)"
    ),
    "screening.evaluate.values.ValueProblem": (
        "a YAML value of the wrong fact type; becomes a RuleProblem (evaluate.keys, factsbuilder)"
    ),
    "screening.ingest.paths.PathRefused": (
        "a document path an application may not open; becomes an InputError problem naming "
        "the field (ingest.documents.attachments)"
    ),
    "screening.ingest.documents.attachments._Unreachable": (
        "a document path naming no readable file; the document is skipped with the reason "
        "(same module)"
    ),
    "screening.ingest.documents.safe_xml.UnsafeXml": (
        "XML metadata refused by the safe parser; the metadata is skipped with a note "
        "(ingest.documents.pdf_file)"
    ),
    "screening.ingest.timeout.DeadlineExceeded": (
        "the parse time limit ran out; a BaseException so the parsing library's own "
        "'except Exception' cannot swallow it; becomes DocumentError (ingest.documents.read)"
    ),
    "screening.ingest.triage.zipread.BudgetExceeded": (
        "reading an archive member would pass limits.max_archive_bytes or the expansion "
        "ratio; the triage is marked incomplete with the reason (ingest.triage)"
    ),
    "screening.analyze.phone_lines.provider.LookupFailed": (
        "an online line-type lookup failed; the number's record says why (phone_lines analyzer)"
    ),
    "screening.analyze.sanctions.expat_stream.Refused": (
        "an OFAC XML file refused while streaming; becomes ListError (same module)"
    ),
    "screening.server.receivers.HttpProblem": (
        "a webhook the server answers with an HTTP error; the JSON problem answer (server.app)"
    ),
    "screening.server.ui.console._Redirect": (
        "a console page that needs a signed-in person; a 303 to the sign-in page "
        "(server.ui.console.redirect_handler)"
    ),
    "screening.ingest.ats.vendor.SignatureError": (
        "a webhook signature that does not verify; a 401 answer (server.receivers)"
    ),
    "screening.ingest.ats.vendor.ApiError": (
        "an ATS API call failed; a retry or a failed job (server.processing, server.writeback)"
    ),
    "screening.server.processing.PermanentError": (
        "a job that can never succeed; the job is marked failed, not retried (server.worker)"
    ),
}
