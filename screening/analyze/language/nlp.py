"""Stage 3 (analyze, language): the spaCy pipeline manager, built once per process, on demand.

spaCy is an optional extra and costs most of a second to import, so nothing here imports it (or
numpy) until the first text has to be analysed; ``describe`` answers which pipeline *will* run
(for the report's sources and for ``screening facts list``) from package metadata alone. The
default is ``spacy.blank("en")`` with a sentencizer and a rule-based component that starts a
sentence at every line break: tokenizer-level rules that behave the same everywhere and need no
download. A trained pipeline (e.g. ``en_core_web_sm``) runs only when it is configured *and*
installed; it adds named entities, which a few facts need, and the report says which pipeline
ran. Patterns and the word lists the analyzer looks up are compiled in the same one-time step,
under a lock so two threads screening at once build it once; pattern words are expanded to all
their inflections there (``inflect``), since the blank pipeline has no lemmas.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from screening.analyze.language.inflect import inflected
from screening.analyze.language.patterns import PatternSet, PatternSpec, required_words
from screening.analyze.language.techdates import Technology
from screening.analyze.ports import NlpLoader
from screening.errors import RulePackError, RuleProblem
from screening.model.facts import Source

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

BLANK = "blank"
INSTALL_HINT = "install the language extra: pip install 'screening[language]'"
_PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
_SENTENCE_PIPES = ("parser", "senter", "sentencizer")
LINE_BREAKS = "screening_line_breaks"

SMALL_TEXT_TOKENS = 400


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """Which pipeline runs (or will run), and what it cannot do."""

    configured: str
    name: str  # "blank en" or the trained package name
    entities: bool  # named entities are available (a trained pipeline with "ner")
    spacy_version: str | None  # None: spaCy is not installed
    note: str = ""  # why a configured pipeline is not the one running

    @property
    def available(self) -> bool:
        """spaCy is installed, so texts can be analysed."""
        return self.spacy_version is not None

    def source(self) -> Source:
        """The report's source line: pipeline, how it works, spaCy version."""
        if not self.available:
            return Source("spaCy pipeline: not installed", INSTALL_HINT)
        kind = "trained, with named entities" if self.entities else "rule-based"
        note = f"; {self.note}" if self.note else ""
        return Source(f"spaCy pipeline: {self.name} ({kind}{note})", f"spaCy {self.spacy_version}")

    def entities_reason(self) -> str:
        """Why facts that need named entities are missing on this pipeline."""
        if self.note:
            return f"needs a trained spaCy pipeline with named entities ({self.note})"
        return (
            "needs a trained spaCy pipeline with named entities; the blank pipeline ran "
            '(set [language] pipeline, e.g. "en_core_web_sm", and install that package)'
        )


def describe(configured: str, has_loader: bool = False) -> PipelineInfo:
    """What ``configured`` resolves to, from installed-package metadata only (no import)."""
    try:
        version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        return PipelineInfo(configured, "none", False, None, "spaCy is not installed")
    if configured == BLANK:
        return PipelineInfo(configured, "blank en", False, version)
    if not has_loader:
        if not _PACKAGE_NAME.match(configured):
            return PipelineInfo(
                configured, "blank en", False, version, f"'{configured}' is not a package name"
            )
        if importlib.util.find_spec(configured) is None:
            return PipelineInfo(
                configured, "blank en", False, version, f"{configured} is not installed"
            )
    return PipelineInfo(configured, configured, True, version)


@dataclass(frozen=True, slots=True)
class WordHashes:
    """LOWER hashes of a few words, as an array (for long texts) and as a set (for short ones)."""

    array: np.ndarray
    members: frozenset[int]

    def by_word(self, lowers: np.ndarray) -> dict[int, list[int]]:
        """The sorted positions of each of these words in ``lowers``, by hash."""
        out: dict[int, list[int]] = {}
        for pos in self.positions(lowers):
            out.setdefault(int(lowers[pos]), []).append(pos)
        return out

    def positions(self, lowers: np.ndarray) -> list[int]:
        """Token positions whose LOWER hash (from ``doc.to_array("LOWER")``) is one of these.

        ``np.isin`` pays a fixed setup cost that dominates on the short texts most applications
        carry (messages, notes); below a few hundred tokens a set lookup is several times faster.
        """
        if lowers.size < SMALL_TEXT_TOKENS:
            members = self.members
            return [i for i, h in enumerate(lowers.tolist()) if h in members]
        import numpy as np

        return list(np.flatnonzero(np.isin(lowers, self.array)).tolist())


def word_hashes(nlp: Language, words: Iterable[str]) -> WordHashes:
    """The hashes of ``words`` in ``nlp``'s vocabulary (what LOWER and ORTH arrays hold)."""
    return hash_set(int(nlp.vocab.strings.add(w)) for w in words)


def hash_set(hashes: Iterable[int]) -> WordHashes:
    """A ``WordHashes`` of hashes already in the vocabulary."""
    import numpy as np

    ordered = sorted(set(hashes))
    return WordHashes(np.array(ordered, dtype=np.uint64), frozenset(ordered))


@dataclass(frozen=True, slots=True)
class TechIndex:
    """Technology names compiled for matching: case-insensitive and case-sensitive aliases."""

    lower: PhraseMatcher
    cased: PhraseMatcher
    by_key: Mapping[int, Technology]


@dataclass(frozen=True, slots=True)
class NearPattern:
    """A ``near`` pattern compiled: per group, its alternatives as LOWER hashes in a row."""

    match_id: int
    groups: tuple[tuple[tuple[int, ...], ...], ...]
    within: int


@dataclass(frozen=True, slots=True)
class Compiled:
    """The pipeline, every matcher and the word lists the analyzer looks up, built once.

    Each anchored token pattern has its own matcher, so a window around one pattern's anchor
    word is searched for that pattern only (spaCy's Matcher tests every pattern it holds at
    every token, which made a shared matcher cost more than tokenizing).
    """

    nlp: Language
    info: PipelineInfo
    anchored: tuple[Matcher, ...]  # one per token pattern with anchor words
    by_anchor: Mapping[int, tuple[int, ...]]  # anchor word hash -> indexes into ``anchored``
    unanchored: Matcher | None  # token patterns without anchors: run over whole texts
    phrases: PhraseMatcher
    anchors: WordHashes  # every anchor word
    required: tuple[tuple[frozenset[int], ...], ...]  # per ``anchored``: words every match needs
    required_words: WordHashes  # every word of ``required``
    specs: Mapping[int, PatternSpec]  # match id -> pattern
    tech: TechIndex
    near: tuple[NearPattern, ...]
    near_words: WordHashes  # the first word of every alternative of every ``near`` group
    years: WordHashes  # "years", "yrs", "since" ...
    articles: WordHashes  # "a", "an", "the" (style facts)


class PipelineManager:
    """Builds the pipeline and compiles the patterns on first use, once per process."""

    def __init__(
        self,
        configured: str,
        patterns: PatternSet,
        technologies: Sequence[Technology],
        year_words: Sequence[str],
        article_words: Sequence[str],
        loader: NlpLoader | None = None,
    ) -> None:
        self.configured = configured
        self.patterns = patterns
        self.technologies = tuple(technologies)
        self.year_words = tuple(year_words)
        self.article_words = tuple(article_words)
        self._loader = loader
        self._predicted = describe(configured, loader is not None)
        self._compiled: Compiled | None = None
        self._lock = threading.Lock()

    @property
    def info(self) -> PipelineInfo:
        """The pipeline that ran, or the one that will run if none has been built yet."""
        return self._compiled.info if self._compiled is not None else self._predicted

    @property
    def built(self) -> bool:
        """True once the pipeline has been built in this process."""
        return self._compiled is not None

    def get(self) -> Compiled:
        """The compiled pipeline, building it on the first call (spaCy is imported here)."""
        compiled = self._compiled
        if compiled is not None:
            return compiled
        with self._lock:
            if self._compiled is None:
                self._compiled = self._build()
            return self._compiled

    def _build(self) -> Compiled:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        info = self._predicted
        nlp: Language | None = None
        if info.entities:
            try:
                nlp = (self._loader or spacy.load)(self.configured)
            except Exception as exc:  # a broken or incompatible model must not stop screening
                info = PipelineInfo(
                    self.configured,
                    "blank en",
                    False,
                    info.spacy_version,
                    f"{self.configured} could not be loaded ({type(exc).__name__})",
                )
        if nlp is None:
            nlp = spacy.blank("en")
        elif "ner" not in nlp.pipe_names:
            info = PipelineInfo(
                self.configured, info.name, False, info.spacy_version, "it has no 'ner' component"
            )
        if not any(name in nlp.pipe_names for name in _SENTENCE_PIPES):
            nlp.add_pipe("sentencizer")
            from spacy.language import Language

            if not Language.has_factory(LINE_BREAKS):
                Language.component(LINE_BREAKS, func=line_breaks)
            nlp.add_pipe(LINE_BREAKS)

        anchored: list[Matcher] = []
        by_anchor: dict[str, list[int]] = {}
        unanchored = Matcher(nlp.vocab, validate=True)
        phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        specs: dict[int, PatternSpec] = {}
        without = 0
        problems: list[RuleProblem] = []
        near: list[NearPattern] = []
        required: list[tuple[frozenset[int], ...]] = []
        needed: set[str] = set()
        for written in self.patterns.patterns:
            spec = inflected(written)
            match_id = int(nlp.vocab.strings.add(spec.key))
            specs[match_id] = spec
            if spec.is_near:
                near.append(_near(nlp, match_id, spec))
                continue
            try:
                if not spec.is_tokens:
                    phrases.add(spec.key, [nlp.make_doc(p) for p in spec.phrases])
                    continue
                target = Matcher(nlp.vocab, validate=True) if spec.anchors else unanchored
                target.add(spec.key, [[dict(t) for t in spec.tokens]], greedy="LONGEST")
            except Exception as exc:  # spaCy's own validation: report like a pack error
                problems.append(RuleProblem(spec.key, f"rejected by spaCy: {_first_line(exc)}"))
                continue
            if not spec.anchors:
                without += 1
                continue
            for word in spec.anchors:
                by_anchor.setdefault(word, []).append(len(anchored))
            anchored.append(target)
            sets = required_words(spec.tokens)
            required.append(
                tuple(frozenset(int(nlp.vocab.strings.add(w)) for w in ws) for ws in sets)
            )
            needed.update(w for ws in sets for w in ws)
        if problems:
            raise RulePackError(problems)
        return Compiled(
            nlp=nlp,
            info=info,
            anchored=tuple(anchored),
            by_anchor={int(nlp.vocab.strings.add(w)): tuple(v) for w, v in by_anchor.items()},
            unanchored=unanchored if without else None,
            phrases=phrases,
            anchors=word_hashes(nlp, by_anchor),
            required=tuple(required),
            required_words=word_hashes(nlp, needed),
            specs=specs,
            tech=self._tech(nlp, PhraseMatcher),
            near=tuple(near),
            near_words=hash_set(alt[0] for n in near for group in n.groups for alt in group),
            years=word_hashes(nlp, self.year_words),
            articles=word_hashes(nlp, self.article_words),
        )

    def _tech(self, nlp: Language, phrase_matcher: Any) -> TechIndex:
        lower = phrase_matcher(nlp.vocab, attr="LOWER")
        cased = phrase_matcher(nlp.vocab, attr="ORTH")
        by_key: dict[int, Technology] = {}
        for tech in self.technologies:
            by_key[int(nlp.vocab.strings.add(tech.name))] = tech
            if tech.aliases:
                lower.add(tech.name, [nlp.make_doc(a) for a in tech.aliases])
            if tech.cased:
                cased.add(tech.name, [nlp.make_doc(a) for a in tech.cased])
        return TechIndex(lower, cased, by_key)


def _near(nlp: Language, match_id: int, spec: PatternSpec) -> NearPattern:
    """A ``near`` pattern with every alternative split as the tokenizer splits text."""
    groups = tuple(
        tuple(
            tuple(int(nlp.vocab.strings.add(t.lower_)) for t in nlp.make_doc(entry))
            for entry in group
        )
        for group in spec.near
    )
    return NearPattern(match_id, groups, spec.within)


def line_breaks(doc: Doc) -> Doc:
    """Rule-based component: a line break starts a sentence (resumes are lines, not prose)."""
    import numpy as np

    for i in np.flatnonzero(doc.to_array("IS_SPACE")).tolist():
        if i + 1 < len(doc) and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    if len(doc) > 1 and doc[-1].is_space:  # trailing white space ends the last sentence
        doc[-1].is_sent_start = False
    return doc


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__
