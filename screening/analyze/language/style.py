"""Stage 3 (analyze, language): style features, shown to reviewers and never scored.

Sentence length, the rate of articles (a, an, the) and vocabulary variety describe *how* someone
writes. They differ systematically between native and non-native writers of English, and native
language is protected (docs/principles.md, "Fair by construction"), so these facts are declared
``sensitive``: shipped rules may not read them, and the report can show them only as context.
They are computed from what the candidate wrote (resume, cover letter, own messages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from screening.model.facts import Record

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

ARTICLES = ("a", "an", "the")
TTR_WORDS = 500  # type-token ratio over a fixed number of words: it falls as texts grow


@dataclass(slots=True)
class StyleCounter:
    """Running totals over several texts."""

    words: int = 0
    sentences: int = 0
    articles: int = 0
    first_words: list[np.ndarray] = field(default_factory=list)
    kept: int = 0

    def add(self, doc: Doc, article_hashes: np.ndarray) -> None:
        """Count one text's words, sentences and articles."""
        if not len(doc):
            return
        import numpy as np

        arr = doc.to_array(["LOWER", "IS_ALPHA", "SENT_START"]).astype(np.uint64)
        alpha = arr[:, 1] == 1
        lowers = arr[alpha, 0]
        self.words += int(lowers.size)
        self.sentences += int(np.count_nonzero(arr[:, 2] == 1)) or 1
        self.articles += int(np.count_nonzero(np.isin(lowers, article_hashes)))
        if self.kept < TTR_WORDS:
            take = lowers[: TTR_WORDS - self.kept]
            self.first_words.append(take)
            self.kept += int(take.size)

    def record(self) -> Record:
        """The style facts (None where there are no words)."""
        if not self.words:
            return {}
        import numpy as np

        first: Sequence[np.ndarray] = self.first_words
        sample = np.concatenate(first) if first else np.array([], dtype=np.uint64)
        return {
            "sentence_count": self.sentences,
            "mean_sentence_words": round(self.words / max(self.sentences, 1), 1),
            "article_rate": round(self.articles / self.words, 3),
            "type_token_ratio": round(len(np.unique(sample)) / sample.size, 3)
            if sample.size
            else None,
        }
