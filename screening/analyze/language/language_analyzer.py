"""Stage 3 (analyze, language): the language analyzer that turns texts into facts.

It reads the resume and cover letter, interview notes and messages of one application and
produces: ``phrases`` (one record per red-flag wording matched, with where it was and whether it
was negated), ``experience_claims`` (years of experience claimed, checked against technology
release dates, the work history and the date of birth), ``language`` (a summary: template reuse,
resume vs form, evasion, which pipeline ran, and whether the structured form already states the
same cause) and ``style`` (sensitive, never scored). All texts of one application go through
spaCy in one ``nlp.pipe`` batch; the pipeline and patterns are built on the first text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import NameRelation, best_relation
from screening.analyze.language import claims as claim_checks
from screening.analyze.language import record as record_checks
from screening.analyze.language.matching import Hit, find, sentence_of, span_text
from screening.analyze.language.nlp import INSTALL_HINT, Compiled, PipelineManager
from screening.analyze.language.patterns import PatternSet
from screening.analyze.language.style import ARTICLES, StyleCounter
from screening.analyze.language.techdates import technology_table
from screening.analyze.language.templates import CONTAINMENT_THRESHOLD, TemplateSet, load_templates
from screening.analyze.language.texts import (
    COVER_LETTER,
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_MAX_TOTAL_CHARS,
    NOTE,
    RESUME,
    SOURCES,
    Collected,
    Text,
    collect,
    joined,
)
from screening.analyze.payment import CROSS_BORDER_PLATFORMS
from screening.analyze.ports import NlpLoader
from screening.errors import RulePackError
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application
from screening.refdata import find_named

if TYPE_CHECKING:
    from spacy.tokens import Doc

FAMILY = "language"
MAX_PHRASE_RECORDS = 200
MAX_CLAIM_RECORDS = 100
NO_RESUME = "no readable resume text in the application"
_TEMPLATE_PATHS = (
    "template_similarity",
    "known_template",
    "known_template_source",
    "known_template_where",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageOptions:
    """How the analyzer is set up (``[language]``; the defaults live only here)."""

    pipeline: str = "blank"  # "blank" (rule-based, no download) or an installed trained one
    analyzed_chars_per_text: int = DEFAULT_MAX_TEXT_CHARS  # each text is read up to this
    analyzed_chars_total: int = DEFAULT_MAX_TOTAL_CHARS  # all of an application's texts
    template_files: tuple[Path, ...] = ()  # known-template files besides the shipped one


_PHRASE_FACTS = declare(
    FAMILY,
    "phrases",
    [
        ("pattern", "str", "Id of the pattern that matched (<signal>.<pattern>)"),
        ("signal", "str", "What the wording signals (camera-refusal, interview-proxy ...)"),
        ("text", "str", "The words that matched"),
        ("where", "str", "Where: resume, cover letter, interview note N or message N"),
        ("source", "str", "Kind of text the match is in", {"values": SOURCES}),
        ("sender", "str", "Sender of the message (messages only)"),
        (
            "about_candidate",
            "bool",
            "Written by or about the candidate (documents, interview notes, the candidate's "
            "own messages); false for messages from the hiring team",
        ),
        ("sentence", "str", "The sentence around the match"),
        (
            "negated",
            "bool",
            "Negated or hypothetical in its clause ('camera is not broken', 'asked whether')",
        ),
        (
            "hidden_characters",
            "bool",
            "The matched words hid invisible characters or look-alike letters of another script",
        ),
    ],
)
_CLAIM_FACTS = declare(
    FAMILY,
    "experience_claims",
    [
        ("years", "int", "Years of experience claimed ('since 2012' counts up to today)"),
        ("technology", "str", "The technology the years are claimed for (absent: in general)"),
        ("since_year", "int", "The year in a 'since <year>' claim"),
        ("text", "str", "The words of the claim"),
        ("where", "str", "Where: resume, cover letter, interview note N or message N"),
        ("source", "str", "Kind of text the claim is in", {"values": SOURCES}),
        ("sentence", "str", "The sentence around the claim"),
        ("negated", "bool", "Negated or hypothetical ('I don't have 10 years of Rust')"),
        ("technology_released", "date", "First public release of the technology (month)"),
        ("technology_source", "str", "Announcement the release date is taken from"),
        ("available_years", "float", "Years the technology has existed at the screening date"),
        (
            "years_before_release",
            "float",
            "Years before the technology's first release the claimed experience would have "
            "started (negative: after it; a 'since' year counts from its first day)",
        ),
        (
            "years_beyond_history",
            "float",
            "Years claimed minus the years since the first dated role in the form (negative: "
            "within the history)",
        ),
        (
            "start_age",
            "float",
            "The candidate's age when the claimed experience would have started (from "
            "date_of_birth)",
        ),
    ],
)
_SUMMARY_FACTS = declare(
    FAMILY,
    "language",
    [
        ("pipeline", "str", "The spaCy pipeline that ran (blank en, or a trained package)"),
        ("entities", "bool", "Named entities were available (a trained pipeline ran)"),
        ("text_count", "int", "Texts analysed"),
        ("word_count", "int", "Tokens analysed across all texts"),
        ("truncated", "list[str]", "Texts cut at the configured size (where)"),
        ("skipped", "list[str]", "Texts not analysed: binary junk or over the total size"),
        (
            "invisible_character_count",
            "int",
            "Zero-width, bidirectional-control and other invisible characters removed from "
            "documents before matching",
        ),
        (
            "mixed_script_word_count",
            "int",
            "Latin words containing look-alike letters of another script",
            {"sensitive": True},
        ),
        (
            "evasion_count",
            "int",
            "Matched phrases whose words hid invisible characters or look-alike letters",
        ),
        (
            "template_similarity",
            "float",
            "Highest share (0-1) of a known impostor template found in the resume or cover letter",
        ),
        ("known_template", "str", "Id of the known template found (at least half of it)"),
        ("known_template_source", "str", "Public reporting the known template is built from"),
        ("known_template_where", "str", "Where the known template was found"),
        ("claimed_years_max", "int", "Most years of experience claimed (not negated)"),
        ("history_years", "float", "Years from the first role in the form to the screening date"),
        (
            "anachronism_count",
            "int",
            "Technology claims (not negated) longer than the technology has existed",
        ),
        ("application_employer_count", "int", "Employers named in the form's work history"),
        (
            "resume_missing_employers",
            "list[str]",
            "Employers in the form's work history that the resume never mentions",
        ),
        ("resume_missing_employer_count", "int", "How many form employers the resume omits"),
        (
            "resume_missing_employer_share",
            "float",
            "Share (0-1) of the form's employers that the resume omits",
        ),
        (
            "resume_unlisted_employers",
            "list[str]",
            "Organisations on dated resume lines missing from the form (needs named entities)",
        ),
        ("resume_unlisted_employer_count", "int", "How many resume employers the form omits"),
        (
            "resume_stated_locations",
            "list[str]",
            "Current locations the resume states ('Location: ...', 'based in ...')",
        ),
        ("resume_location_countries", "list[str]", "Countries those stated locations name"),
        (
            "resume_location_conflict",
            "bool",
            "A stated location names only countries other than the claimed country and home "
            "address",
        ),
        ("skills_claimed_count", "int", "Skills listed in the form"),
        ("skills_without_role", "list[str]", "Skills that no role title or description mentions"),
        ("skills_without_role_count", "int", "How many skills no role mentions"),
        ("skills_without_role_share", "float", "Share (0-1) of skills no role mentions"),
        (
            "form_states_crypto",
            "bool",
            "The payment details already ask for digital currency (scored by the payment pack)",
        ),
        (
            "form_states_several_wallets",
            "bool",
            "The payment details already give several wallets (scored by the payment pack)",
        ),
        (
            "form_states_other_holder",
            "bool",
            "The payment account is already held by someone else (scored by the payment pack)",
        ),
        (
            "form_states_platform",
            "bool",
            "The payment details already name a cross-border platform (payment pack)",
        ),
        (
            "form_states_other_shipping_address",
            "bool",
            "The form already gives a shipping address other than home (device pack)",
        ),
        (
            "inventory_lists_remote_access",
            "bool",
            "A device inventory already lists remote-access tools or IP-KVMs (device pack)",
        ),
    ],
)
_STYLE_FACTS = declare(
    FAMILY,
    "style",
    [
        ("sentence_count", "int", "Sentences the candidate wrote", {"sensitive": True}),
        ("mean_sentence_words", "float", "Mean words per sentence", {"sensitive": True}),
        ("article_rate", "float", "Share of words that are a, an or the", {"sensitive": True}),
        (
            "type_token_ratio",
            "float",
            "Distinct words among the first 500 (vocabulary variety)",
            {"sensitive": True},
        ),
    ],
)


class LanguageAnalyzer:
    """Red-flag wording, experience claims, template reuse and resume-vs-form comparisons."""

    name: ClassVar[str] = FAMILY
    description: ClassVar[str] = "Language of resumes, cover letters, interview notes, messages"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("phrases", "One record per red-flag wording matched", FAMILY, True),
        NamespaceSpec("experience_claims", "One record per experience claim", FAMILY, True),
        NamespaceSpec("language", "Summary of the texts", FAMILY, False),
        NamespaceSpec("style", "How the candidate writes (sensitive; never scored)", FAMILY, False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = (
        _PHRASE_FACTS + _CLAIM_FACTS + _SUMMARY_FACTS + _STYLE_FACTS
    )

    def __init__(
        self,
        options: LanguageOptions | None = None,
        *,
        patterns: PatternSet | None = None,
        templates: TemplateSet | None = None,
        loader: NlpLoader | None = None,
    ) -> None:
        self.options = options or LanguageOptions()
        self.patterns = patterns if patterns is not None else PatternSet()
        self.templates = (
            templates if templates is not None else load_templates(self.options.template_files)
        )
        self.table = technology_table()
        self.manager = PipelineManager(
            self.options.pipeline,
            self.patterns,
            self.table.technologies,
            claim_checks.YEAR_WORDS,
            ARTICLES,
            loader,
        )

    def sources(self) -> list[Source]:
        """The pipeline, the pattern packs, the technology table and the template files."""
        out = [self.manager.info.source()]
        for pack, version in self.patterns.packs:
            count = self.patterns.count(pack)
            out.append(Source(f"Language patterns of pack {pack} ({count} patterns)", version))
        out.append(self.table.source())
        out.extend(self.templates.sources)
        return out

    def prepare(self, app: Application) -> None:
        """Build the pipeline once per process before the first text is read, outside the
        application's time budget (loading spaCy is not the cost of one application); failures
        are left for ``analyze`` to report."""
        if self.manager.built or not self.manager.info.available:
            return
        if collect(
            app, self.options.analyzed_chars_per_text, self.options.analyzed_chars_total
        ).texts:
            try:
                self.manager.get()
            except (ImportError, RulePackError):
                return

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Facts from every text of ``app``."""
        collected = collect(
            app, self.options.analyzed_chars_per_text, self.options.analyzed_chars_total
        )
        if not collected.texts:
            reason = "no resume, cover letter, interview notes or messages to read"
            if collected.skipped:
                reason = f"no readable text ({', '.join(collected.skipped)} not text)"
            return FamilyResult.skipped(reason)
        if not self.manager.info.available:
            return FamilyResult.unavailable(f"spaCy is not installed; {INSTALL_HINT}")
        try:
            compiled = self.manager.get()
        except ImportError as exc:  # installed metadata but a broken install
            return FamilyResult.unavailable(
                f"spaCy cannot be imported ({type(exc).__name__}); {INSTALL_HINT}"
            )
        except RulePackError as exc:
            return FamilyResult.unavailable(f"language patterns rejected by spaCy: {exc}"[:300])
        return _Run(self, compiled, app, ctx.clock.now().date(), collected).result()


class _Run:
    """The analysis of one application (kept apart so the analyzer itself stays stateless)."""

    def __init__(
        self,
        analyzer: LanguageAnalyzer,
        compiled: Compiled,
        app: Application,
        today: dt.date,
        collected: Collected,
    ) -> None:
        self.analyzer = analyzer
        self.compiled = compiled
        self.app = app
        self.today = today
        self.collected = collected
        self.missing: dict[str, str] = {}
        self.capped: set[str] = set()  # record kinds cut at their maximum count
        self._judged: list[claim_checks.Judged] = []

    def result(self) -> FamilyResult:
        texts = self.collected.texts
        nlp = self.compiled.nlp
        # a trailing line break gives every text a last token after its last word: a pattern that
        # checks "not followed by X" (``OP: "!"``) needs a token there to match at the very end
        # ("can we skip video"); offsets of the text itself do not move
        ended = [t.text if t.text[-1:].isspace() else t.text + "\n" for t in texts]
        docs: list[Doc] = [nlp(ended[0])] if len(texts) == 1 else list(nlp.pipe(ended))
        phrases: list[Record] = []
        found_claims: list[claim_checks.Claim] = []
        style = StyleCounter()
        evasions = words = 0
        for text, doc in zip(texts, docs, strict=True):
            lowers = doc.to_array("LOWER")
            words += len(doc)
            for hit in find(doc, lowers, self.compiled, text):
                evasions += hit.tampered
                if len(phrases) < MAX_PHRASE_RECORDS:
                    phrases.append(self._phrase(text, doc, hit))
                else:
                    self.capped.add("phrase matches")
            if text.about_candidate:
                found_claims.extend(claim_checks.find_claims(doc, lowers, self.compiled, text))
                if text.source != NOTE:
                    style.add(doc, self.compiled.articles.array)
        starts = [
            dt.date(j.period.start.year, j.period.start.month, 1)
            for j in self.app.employment
            if j.period.start
        ]
        history = claim_checks.history_years(starts, self.today)
        summary = self._summary(docs, found_claims, evasions, words, history)
        claims = self._claims(found_claims, history)
        summary["anachronism_count"] = sum(
            judged.anachronism and not judged.claim.negated for judged in self._judged
        )
        return FamilyResult(
            reason=self._reason(),
            records={
                "phrases": phrases,
                "experience_claims": claims,
                "language": [summary],
                "style": [style.record()],
            },
            missing=self.missing,
        )

    def _phrase(self, text: Text, doc: Doc, hit: Hit) -> Record:
        return {
            "pattern": hit.spec.key,
            "signal": hit.spec.signal,
            "text": span_text(doc, hit.start, hit.end),
            "where": text.label,
            "source": text.source,
            "sender": text.sender,
            "about_candidate": text.about_candidate,
            "sentence": sentence_of(doc, hit.start, hit.end),
            "negated": hit.negated,
            "hidden_characters": hit.tampered,
        }

    def _claims(self, found: Sequence[claim_checks.Claim], history: float | None) -> list[Record]:
        app = self.app
        if history is None:
            self.missing["experience_claims.years_beyond_history"] = (
                "no dated roles in the work history"
            )
        if app.date_of_birth is None:
            self.missing["experience_claims.start_age"] = "no date_of_birth in the application"
        out: list[Record] = []
        if len(found) > MAX_CLAIM_RECORDS:
            self.capped.add("experience claims")
        for claim in found[:MAX_CLAIM_RECORDS]:
            judged = claim_checks.judge(claim, self.today, history, app.date_of_birth)
            self._judged.append(judged)
            tech = claim.technology
            out.append(
                {
                    "years": judged.years,
                    "technology": tech.name if tech else None,
                    "since_year": claim.since_year,
                    "text": claim.text,
                    "where": claim.label,
                    "source": claim.source,
                    "sentence": claim.sentence,
                    "negated": claim.negated,
                    "technology_released": tech.released if tech else None,
                    "technology_source": tech.source if tech else None,
                    "available_years": judged.available_years,
                    "years_before_release": judged.years_before_release,
                    "years_beyond_history": judged.years_beyond_history,
                    "start_age": judged.start_age,
                }
            )
        return out

    def _summary(
        self,
        docs: Sequence[Doc],
        found: Sequence[claim_checks.Claim],
        evasions: int,
        words: int,
        history: float | None,
    ) -> Record:
        info = self.compiled.info
        collected = self.collected
        general = [c.years for c in found if c.since_year is None and not c.negated]
        record: Record = {
            "pipeline": info.name,
            "entities": info.entities,
            "text_count": len(collected.texts),
            "word_count": words,
            "truncated": list(collected.truncated),
            "skipped": list(collected.skipped),
            "invisible_character_count": collected.invisible,
            "mixed_script_word_count": collected.mixed_script_words,
            "evasion_count": evasions,
            "claimed_years_max": max(general) if general else None,
            "history_years": round(history, 1) if history is not None else None,
        }
        record.update(self._form())
        record.update(self._templates())
        resume_docs = [d for t, d in zip(collected.texts, docs, strict=True) if t.source == RESUME]
        record.update(self._resume_vs_form(resume_docs))
        record.update(self._skills())
        return record

    def _form(self) -> Record:
        """Whether the structured form already states a cause a phrase rule would repeat."""
        app = self.app
        pay = app.payment
        homes = {a.key for a in app.addresses if a.kind == "home"}
        software = " | ".join(t for d in app.devices for t in (*d.remote_access_tools, *d.software))
        usb = " | ".join(u for d in app.devices for u in d.usb_devices)
        return {
            "form_states_crypto": bool(pay and (pay.method == "crypto" or pay.wallets)),
            "form_states_several_wallets": bool(pay and len(pay.wallets) >= 2),
            "form_states_other_holder": bool(
                pay
                and pay.account_holder
                and best_relation((app.name, *app.aliases), pay.account_holder)[0]
                is NameRelation.DIFFERENT
            ),
            "form_states_platform": bool(pay and pay.platform in CROSS_BORDER_PLATFORMS),
            "form_states_other_shipping_address": any(
                a.kind == "shipping" and a.key not in homes for a in app.addresses
            ),
            "inventory_lists_remote_access": bool(
                any(d.remote_access_tools for d in app.devices)
                or (software and find_named(software, "remote_access_tools.txt"))
                or (usb and find_named(usb, "ip_kvm_devices.txt"))
            ),
        }

    def _templates(self) -> Record:
        texts = self.collected.of(RESUME, COVER_LETTER)
        if not texts:
            self._missing(_TEMPLATE_PATHS, "no resume or cover letter text")
            return {}
        best = self.analyzer.templates.best(texts)
        record: Record = {"template_similarity": round(best.containment, 3) if best else 0.0}
        if best is not None and best.containment >= CONTAINMENT_THRESHOLD:
            record.update(
                {
                    "known_template": best.template.id,
                    "known_template_source": best.template.source,
                    "known_template_where": best.where,
                }
            )
        return record

    def _resume_vs_form(self, resume_docs: Sequence[Doc]) -> Record:
        app = self.app
        resume = joined(self.collected.of(RESUME))
        info = self.compiled.info
        paths = (
            "resume_missing_employers",
            "resume_missing_employer_count",
            "resume_missing_employer_share",
        )
        ner_paths = ("resume_unlisted_employers", "resume_unlisted_employer_count")
        loc_paths = ("resume_stated_locations", "resume_location_countries")
        record: Record = {}
        employers = record_checks.application_employers(app)
        record["application_employer_count"] = len(employers)
        if not resume:
            self._missing((*paths, *ner_paths, *loc_paths, "resume_location_conflict"), NO_RESUME)
            return record
        resume_words = sum(len(d) for d in resume_docs)
        if not employers:
            self._missing(paths, "no employers in the form's work history")
        elif all(d.assembled for d in app.documents if d.kind == RESUME):
            self._missing(paths, "the resume text is a structured resume's summary, not a document")
        elif resume_words < record_checks.MIN_RESUME_WORDS:
            self._missing(
                paths, f"resume too short to compare (under {record_checks.MIN_RESUME_WORDS} words)"
            )
        else:
            omitted = record_checks.missing_employers(app, resume)
            record.update(
                {
                    "resume_missing_employers": omitted,
                    "resume_missing_employer_count": len(omitted),
                    "resume_missing_employer_share": round(len(omitted) / len(employers), 3),
                }
            )
        if info.entities:
            unlisted = record_checks.unlisted_employers(resume_docs, app)
            record.update(
                {
                    "resume_unlisted_employers": unlisted,
                    "resume_unlisted_employer_count": len(unlisted),
                }
            )
        else:
            self._missing(ner_paths, info.entities_reason())
        places = record_checks.stated_locations(resume)
        countries = record_checks.countries_named(places)
        record.update({"resume_stated_locations": places, "resume_location_countries": countries})
        claimed = record_checks.claimed_countries(app)
        if claimed:
            record["resume_location_conflict"] = bool(countries) and not (set(countries) & claimed)
        else:
            self._missing(
                ("resume_location_conflict",), "no claimed country or home address to compare with"
            )
        return record

    def _skills(self) -> Record:
        app = self.app
        paths = ("skills_without_role", "skills_without_role_count", "skills_without_role_share")
        record: Record = {"skills_claimed_count": len(app.skills)}
        unmatched = record_checks.skills_without_role(app) if app.skills else None
        if unmatched is None:
            reason = (
                "no skills listed in the form"
                if not app.skills
                else "no role descriptions in the work history to compare skills with"
            )
            self._missing(paths, reason)
            return record
        record.update(
            {
                "skills_without_role": unmatched,
                "skills_without_role_count": len(unmatched),
                "skills_without_role_share": round(len(unmatched) / len(app.skills), 3),
            }
        )
        return record

    def _missing(self, keys: Sequence[str], reason: str) -> None:
        """Mark ``language.<key>`` for every key as not computed, with the reason."""
        for key in keys:
            self.missing[f"language.{key}"] = reason

    def _reason(self) -> str:
        notes = [f"pipeline: {self.compiled.info.name}"]
        if self.compiled.info.note:
            notes.append(self.compiled.info.note)
        if self.collected.truncated:
            notes.append(
                f"cut at {self.analyzer.options.analyzed_chars_per_text} characters: "
                + ", ".join(self.collected.truncated)
            )
        if self.collected.skipped:
            notes.append("not analysed: " + ", ".join(self.collected.skipped))
        if self.capped:
            notes.append(
                f"records kept: the first {MAX_PHRASE_RECORDS} phrase matches and "
                f"{MAX_CLAIM_RECORDS} experience claims ({', '.join(sorted(self.capped))} cut)"
            )
        return "; ".join(notes)
