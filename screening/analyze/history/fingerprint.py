"""Stage 3 (analyze): an application's keyed fingerprint, the only form the history stores.

Identifiers, name token keys and whole-name keys become HMAC digests under the store's secret.
The resume becomes a MinHash signature of its content words
(``screening.analyze.common.shingles``, the project's one near-duplicate implementation; numbers,
the applicant's names and employers left out, so an edited clone still matches) whose 64 values
are each keyed too: equal positions stay equal, so similarity is still the share of equal
positions, but the stored values no longer let anyone test whether a guessed phrase was in the
text. LSH band keys are derived from the keyed values.
"""

from __future__ import annotations

from collections.abc import Iterable

from screening.analyze.common.shingles import Signature, content_words, signature, words
from screening.analyze.history.identifiers import identifiers
from screening.analyze.history.name_keys import keyed_name, own_names, whole_name_key
from screening.analyze.language.templates import resume_text
from screening.model.normalized import Application
from screening.store.history import Fingerprint, HistoryStore, KeyedIdentifier

MIN_RESUME_WORDS = 40  # shorter texts share shingles by chance, not by copying


def keyed_signature(
    store: HistoryStore, text: str, masked: Iterable[str] = ()
) -> tuple[tuple[int, ...], tuple[bytes, ...]]:
    """Keyed MinHash values and LSH band keys of ``text``'s content words without ``masked``
    (empty when the text is too short)."""
    if len(words(text)) < MIN_RESUME_WORDS:
        return (), ()
    sig = signature(content_words(text, masked))
    values = tuple(  # purpose "resume-words": never comparable with the earlier 5-word scheme
        int.from_bytes(store.digest("resume-words", f"{i}:{v}", 8), "big")
        for i, v in enumerate(sig.values)
    )
    # bands over the keyed values, so a stored band reveals nothing about the text either
    return values, tuple(key.encode() for key in Signature(values).band_keys())


def own_terms(app: Application) -> list[str]:
    """The applicant's names and the employers and schools they name: a clone swaps these."""
    terms = [n.display for n in (app.name, *app.aliases)]
    terms += [job.employer for job in app.employment if job.employer]
    terms += [school.institution for school in app.education if school.institution]
    return terms


def fingerprint(app: Application, store: HistoryStore) -> Fingerprint:
    """Everything the history keeps about ``app``, keyed under ``store``'s secret."""

    def key(purpose: str, value: str) -> str:
        return store.digest(purpose, value, 8).hex()

    names = own_names(app.name, app.aliases)
    whole = {k for k in (whole_name_key(n) for n in names) if k}
    resume, bands = keyed_signature(store, resume_text(app), own_terms(app))
    return Fingerprint(
        application_id=app.id,
        identifiers=tuple(
            KeyedIdentifier(i.kind, i.role, store.digest(i.kind, i.value)) for i in identifiers(app)
        ),
        names=tuple(keyed_name(n, key) for n in names),
        name_keys=tuple(store.digest("whole-name", k) for k in sorted(whole)),
        resume=resume,
        resume_bands=bands,
    )
