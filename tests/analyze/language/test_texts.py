"""Hostile text before matching: invisible characters, look-alike letters, junk, huge texts."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from language_support import application

from screening.analyze.language.texts import Text, clean, collect, is_junk

INVISIBLE = "\u200b\u200c\u200d\u2060\u202e\u2066\u2069\ufeff\U000e0041"


def test_zero_width_and_bidi_characters_are_removed_and_remembered() -> None:
    cleaned = clean("I use Any\u200bDesk and \u202eTeam\u2060Viewer\u202c daily")
    assert cleaned.text == "I use AnyDesk and TeamViewer daily"
    start = cleaned.text.index("AnyDesk")
    text = Text("resume", "resume", None, True, cleaned.text, cleaned.removed, cleaned.replaced)
    assert text.tampered(start, start + len("AnyDesk"))  # removed inside the word
    daily = cleaned.text.index("daily")
    assert not text.tampered(daily, daily + 5)


def test_look_alike_letters_are_mapped_only_inside_latin_words() -> None:
    cleaned = clean("My сamera is brоken; Привет, как дела")  # Cyrillic с and о inside Latin words
    assert cleaned.text == "My camera is broken; Привет, как дела"
    assert cleaned.mixed_script_words == 2
    assert len(cleaned.replaced) == 2


def test_words_wholly_in_another_script_are_left_alone() -> None:
    text = "Опыт работы: Python, 5 лет. 経験: Kubernetes. خبرة في البرمجة"
    assert clean(text).text == unicodedata.normalize("NFKC", text)
    assert clean(text).mixed_script_words == 0


def test_soft_hyphens_from_pdf_hyphenation_are_removed_silently() -> None:
    cleaned = clean("Kuber\u00adnetes and Type\u00adScript")
    assert cleaned.text == "Kubernetes and TypeScript"
    assert cleaned.removed == ()


def test_fullwidth_letters_are_folded_by_nfkc() -> None:
    assert clean("ＡｎｙＤｅｓｋ").text == "AnyDesk"


def test_binary_junk_is_recognised() -> None:
    assert is_junk("\x00\x01\x02\x03PK\x03\x04" * 200)
    assert is_junk("\ufffd\ufffd\ufffd ab" * 100)
    assert is_junk("1234 5678 ---- ****")
    assert not is_junk("Senior engineer with five years of experience.")
    assert not is_junk("김민준, 소프트웨어 엔지니어")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_cleaning_never_fails_and_leaves_no_invisible_characters(raw: str) -> None:
    cleaned = clean(raw)
    assert not any(ch in cleaned.text for ch in INVISIBLE)
    assert all(0 <= p <= len(cleaned.text) for p in cleaned.removed)
    assert all(cleaned.text[p].isascii() for p in cleaned.replaced)


@given(st.lists(st.sampled_from(["Any", "Desk", " ", "camera", *INVISIBLE, "с", "а"]), max_size=40))
def test_tampered_spans_cover_exactly_what_was_cleaned(parts: list[str]) -> None:
    raw = "".join(parts)
    cleaned = clean(raw)
    text = Text("x", "resume", None, True, cleaned.text, cleaned.removed, cleaned.replaced)
    whole = text.tampered(0, len(cleaned.text)) if cleaned.text else False
    inner = [p for p in cleaned.removed if 0 < p < len(cleaned.text)]
    assert whole == bool(inner or cleaned.replaced)


def test_collect_labels_sources_and_marks_who_wrote_what() -> None:
    app = application(
        {
            "interview_notes": ["Good answers.", "Kept camera off."],
            "messages": [
                {"from": "recruiter", "text": "Please join on video."},
                {"from": "candidate", "text": "My webcam is broken."},
                {"text": "No sender here."},
            ],
        },
        resume="Engineer.",
        cover_letter="Dear team.",
    )
    collected = collect(app, 1000, 10_000)
    labels = [(t.label, t.source, t.about_candidate) for t in collected.texts]
    assert labels == [
        ("resume", "resume", True),
        ("cover letter", "cover_letter", True),
        ("interview note 1", "interview_note", True),
        ("interview note 2", "interview_note", True),
        ("message 1", "message", False),
        ("message 2", "message", True),
        ("message 3", "message", False),  # unknown sender: not counted as the candidate's words
    ]


def test_huge_texts_are_cut_and_the_cut_is_reported() -> None:
    app = application(resume="word " * 30_000, cover_letter="Dear team, " * 10)
    collected = collect(app, 50_000, 100_000)
    assert collected.truncated == ["resume"]
    assert len(collected.texts[0].text) == 50_000


def test_texts_over_the_total_budget_are_skipped_and_reported() -> None:
    notes = ["x " * 400 for _ in range(5)]
    collected = collect(application({"interview_notes": notes}), 1000, 2000)
    # 799 characters each: two fit, the third is cut to what is left, the rest are skipped
    assert [t.label for t in collected.texts] == [f"interview note {i}" for i in (1, 2, 3)]
    assert collected.truncated == ["interview note 3"]
    assert len(collected.texts[2].text) == 2000 - 2 * 799
    assert collected.skipped == ["interview note 4", "interview note 5"]


def test_junk_documents_are_skipped_and_reported() -> None:
    app = application(resume="%PDF-1.7\x00\x01\x02\x03\x04\x05\x06\x07" * 100)
    collected = collect(app, 50_000, 100_000)
    assert collected.texts == [] and collected.skipped == ["resume"]
