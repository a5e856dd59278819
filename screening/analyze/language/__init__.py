"""Stage 3 (analyze): language signals in resumes, cover letters, interview notes and messages.

spaCy (the optional ``language`` extra) tokenizes the texts; phrase patterns come from the rule
packs' ``patterns/`` directories (read by the pack loader in ``evaluate``, handed over by the
engine); experience claims are checked against a sourced table of technology release dates and
the rest of the application; resume text is compared with known impostor templates. See
``language_analyzer`` for the facts produced.
"""

from __future__ import annotations

from screening.analyze.language.language_analyzer import LanguageAnalyzer, LanguageOptions
from screening.analyze.language.nlp import PipelineInfo, describe
from screening.analyze.language.patterns import PatternSet
from screening.analyze.language.templates import load_templates, resume_text

__all__ = [
    "LanguageAnalyzer",
    "LanguageOptions",
    "PatternSet",
    "PipelineInfo",
    "describe",
    "load_templates",
    "resume_text",
]
