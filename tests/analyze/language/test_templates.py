"""Template reuse: known impostor templates inside a resume, and the cleaned resume text."""

from __future__ import annotations

from pathlib import Path

import pytest
from language_support import analyze, application, shipped_analyzer, summary

from screening.analyze.language import LanguageAnalyzer, LanguageOptions, resume_text, templates
from screening.analyze.language.templates import load_templates
from screening.errors import RulePackError

SHIPPED = load_templates()
SKILLS = next(t for t in SHIPPED.templates if t.id == "advisory-2022-skills-summary")
OWN = (
    "Backend engineer who has spent six years on payment reconciliation at a regional bank, "
    "mostly in Java and PostgreSQL, and who enjoys mentoring new graduates."
)


def test_a_resume_containing_a_known_template_names_it() -> None:
    record = summary(analyze(resume=f"{OWN}\n\n{SKILLS.text}\n\nReferences on request."))
    assert record["known_template"] == SKILLS.id
    assert record["known_template_where"] == "resume"
    assert record["template_similarity"] == 1.0
    assert "2022-05-16" in record["known_template_source"]


def test_a_lightly_edited_copy_still_matches() -> None:
    edited = SKILLS.text.replace("Experienced developer", "Seasoned engineer").replace(
        "strong skills", "solid skills"
    )
    record = summary(analyze(cover_letter=f"Dear team,\n{edited}\nBest regards"))
    assert record["known_template"] == SKILLS.id
    assert record["known_template_where"] == "cover letter"
    assert 0.5 <= record["template_similarity"] < 1.0


def test_sharing_a_stock_phrase_is_not_a_template() -> None:
    record = summary(analyze(resume=f"{OWN} Skilled in a wide variety of common languages."))
    assert "known_template" not in record
    assert record["template_similarity"] < 0.5


def test_organisations_add_their_own_templates(tmp_path: Path) -> None:
    extra = tmp_path / "ours.yml"
    extra.write_text(
        "date: 2026-01-02\ntemplates:\n"
        "  - id: case-2025-17\n"
        "    text: I am a passionate senior full stack developer who builds scalable and "
        "secure web and mobile applications for clients around the world\n"
        "    source: Internal case 2025-17\n",
        encoding="utf-8",
    )
    analyzer = LanguageAnalyzer(
        LanguageOptions(template_files=(extra,)), patterns=shipped_analyzer().patterns
    )
    text = (
        "Summary: I am a passionate senior full stack developer who builds scalable and secure "
        "web and mobile applications for clients around the world."
    )
    record = summary(analyze(resume=text, analyzer=analyzer))
    assert record["known_template"] == "case-2025-17"
    assert any(s.name.endswith("(ours.yml)") for s in analyzer.sources())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("  - {id: Bad_Id, text: x, source: y}\n", "a kebab-case id is required"),
        ("  - {id: short, text: too short to match, source: y}\n", "at least 14 words"),
        ("  - {id: nosource, text: x}\n", "say where the template is from"),
        ("  - {id: a, text: x, source: y, extra: 1}\n", "expected id, text and source only"),
    ],
)
def test_bad_template_files_are_refused_with_the_reason(
    tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("date: 2026-01-02\ntemplates:\n" + row, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_templates([path])
    assert any(message in str(p) for p in info.value.problems)


def test_template_files_are_read_with_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"date: 2026-01-02\ntemplates: []\n\xff\xfe")
    with pytest.raises(RulePackError) as info:
        load_templates([binary])
    assert [p.message for p in info.value.problems] == ["not UTF-8 text (invalid start byte)"]
    big = tmp_path / "big.yml"
    big.write_text("date: 2026-01-02\ntemplates: []\n", encoding="utf-8")
    monkeypatch.setattr(templates, "MAX_FILE_BYTES", 10)
    with pytest.raises(RulePackError) as info:
        load_templates([big])
    assert [p.message for p in info.value.problems if p.path == str(big)] == [
        "file is 31 bytes, over the limit of 10; split it"
    ]


def test_resume_text_is_the_cleaned_text_the_analyzer_reads() -> None:
    padded = application(resume=f"Jordan Ave\u200bry\n{OWN.replace('a', 'а', 3)}")  # Cyrillic а
    assert resume_text(padded) == f"Jordan Avery\n{OWN}"
    assert resume_text(application(cover_letter="Dear team")) == ""


def test_without_resume_or_cover_letter_template_facts_are_missing_with_the_reason() -> None:
    result = analyze({"interview_notes": ["Explained the migration project clearly."]})
    assert "template_similarity" not in summary(result)
    for key in ("template_similarity", "known_template", "known_template_where"):
        assert result.missing[f"language.{key}"] == "no resume or cover letter text"
