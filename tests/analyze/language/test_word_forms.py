"""The stored inflections of the shipped pattern words are current, and they are used."""

from __future__ import annotations

from screening.analyze.language.inflect import FORMS_FILE, forms, render
from screening.evaluate import load_patterns
from screening.resources import data_dir, rules_dir


def test_stored_word_forms_match_the_shipped_patterns() -> None:
    stored = (data_dir() / FORMS_FILE).read_text(encoding="utf-8")
    assert render(load_patterns([rules_dir()])) == stored, (
        "screening/data/word-forms.json is stale: run `python -m screening.evaluate.word_forms`"
    )


def test_content_words_expand_and_function_words_do_not() -> None:
    assert {"refuse", "refuses", "refusing", "refused"} <= set(forms("refused"))
    assert "sent" in forms("send") and "paid" in forms("pay")
    assert forms("off") == ("off",) and forms("not") == ("not",) and forms("if") == ("if",)
