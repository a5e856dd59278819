"""The language analyzer as a whole: which pipeline runs, what it reports, and bad input."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from language_support import CTX, analyze, application, note, shipped_analyzer, summary

from screening.analyze.language import LanguageAnalyzer, LanguageOptions, describe
from screening.analyze.language import nlp as nlp_module
from screening.model.facts import CheckStatus

ROOT = Path(__file__).resolve().parents[3]


def test_an_application_without_texts_is_skipped_with_the_reason() -> None:
    result = analyze({"emails": ["jordan@example.com"]})
    assert result.status is CheckStatus.SKIPPED
    assert "no resume, cover letter, interview notes or messages" in result.reason


def test_without_spacy_the_family_is_unavailable_and_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(nlp_module.importlib.metadata, "version", missing)
    analyzer = LanguageAnalyzer(LanguageOptions(), patterns=shipped_analyzer().patterns)
    result = analyzer.analyze(application({"interview_notes": ["Camera broken."]}), CTX)
    assert result.status is CheckStatus.UNAVAILABLE
    assert "pip install 'screening[language]'" in result.reason
    assert analyzer.sources()[0].name == "spaCy pipeline: not installed"


def test_the_default_is_the_blank_rule_based_pipeline() -> None:
    analyzer = shipped_analyzer()
    source = analyzer.sources()[0]
    assert source.name == "spaCy pipeline: blank en (rule-based)"
    assert source.version_or_date == f"spaCy {importlib.metadata.version('spacy')}"
    result = note("Good call.")
    assert summary(result)["pipeline"] == "blank en"
    assert result.reason == "pipeline: blank en"


def test_a_configured_pipeline_that_is_not_installed_falls_back_and_says_so() -> None:
    info = describe("en_core_web_xx_not_here")
    assert (info.name, info.entities) == ("blank en", False)
    analyzer = LanguageAnalyzer(
        LanguageOptions(pipeline="en_core_web_xx_not_here"),
        patterns=shipped_analyzer().patterns,
    )
    assert "en_core_web_xx_not_here is not installed" in analyzer.sources()[0].name
    result = analyze(resume="Acme Corp 2019-2022 engineer.", analyzer=analyzer)
    reason = result.missing["language.resume_unlisted_employer_count"]
    assert "needs a trained spaCy pipeline" in reason
    assert "en_core_web_xx_not_here is not installed" in reason


def fake_trained(name: str) -> object:
    """A stand-in for a trained pipeline: a blank one whose entity ruler knows some ORGs."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": "ORG", "pattern": n} for n in ("Globex Systems", "Initech", "Acme Corp")]
    )
    return nlp


def test_with_named_entities_the_resume_employers_are_compared() -> None:
    analyzer = LanguageAnalyzer(
        LanguageOptions(pipeline="fake_trained"),
        patterns=shipped_analyzer().patterns,
        loader=fake_trained,  # type: ignore[arg-type]
    )
    resume = "Globex Systems, engineer, 2018-2020\nInitech, 2020-2022\nAcme Corp, 2022-now\n"
    result = analyze(
        {"employment": [{"employer": "Acme Corporation", "start": "2022-01"}]},
        resume=resume,
        analyzer=analyzer,
    )
    record = summary(result)
    assert record["entities"] is True and record["pipeline"] == "fake_trained"
    assert record["resume_unlisted_employers"] == ["Globex Systems", "Initech"]
    assert "trained, with named entities" in analyzer.sources()[0].name


def test_the_pipeline_is_built_once_even_from_several_threads() -> None:
    analyzer = LanguageAnalyzer(LanguageOptions(), patterns=shipped_analyzer().patterns)
    built: list[object] = []
    threads = [threading.Thread(target=lambda: built.append(analyzer.manager.get())) for _ in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built[0] is built[1] is analyzer.manager.get()


@pytest.mark.slow
def test_spacy_is_imported_only_when_there_is_text() -> None:
    code = textwrap.dedent(
        """
        import sys
        from screening.config import Settings
        from screening.pipeline import Engine
        from screening.testing import FixedClock, screen_mapping
        engine = Engine.build(Settings(), clock=FixedClock(), offline=True)
        screen_mapping(engine, {"name": "Jordan Avery", "emails": ["j@example.com"]})
        print("spacy" in sys.modules)
        s = screen_mapping(engine, {"name": "Jordan Avery", "interview_notes": ["Webcam broken."]})
        print("spacy" in sys.modules, [f.id for f in s.findings])
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\n")
    assert out[0] == "False"
    assert out[1] == "True ['language.camera-refusal']"


def test_a_phrase_record_says_what_where_and_in_which_sentence() -> None:
    result = analyze(
        {
            "messages": [
                {"from": "recruiter", "text": "Can you join on video tomorrow?"},
                {"from": "candidate", "text": "Sure. But my webcam isn't working today."},
            ]
        }
    )
    (record,) = result.records["phrases"]
    assert record["pattern"] == "camera-refusal.camera-not-working"
    assert record["text"] == "webcam isn't working"
    assert record["where"] == "message 2"
    assert record["sender"] == "candidate"
    assert record["about_candidate"] is True
    assert record["sentence"] == "But my webcam isn't working today."
    assert record["negated"] is False


def test_zero_width_characters_inside_a_word_are_matched_and_reported() -> None:
    result = analyze(resume="Tools: Any\u200bDesk, Jira, Git.")
    (record,) = result.records["phrases"]
    assert record["text"] == "AnyDesk"
    assert record["hidden_characters"] is True
    assert summary(result)["evasion_count"] == 1
    assert summary(result)["invisible_character_count"] == 1


def test_look_alike_letters_from_another_script_are_matched_and_reported() -> None:
    result = note("Candidate said the wеbcam was brоken.")  # Cyrillic е and о
    (record,) = result.records["phrases"]
    assert record["signal"] == "camera-refusal" and record["hidden_characters"] is True
    assert summary(result)["mixed_script_word_count"] == 2


def test_right_to_left_text_and_controls_do_not_break_matching() -> None:
    text = "السيرة الذاتية \u202bمهندس برمجيات\u202c. Please send the laptop to my cousin."
    result = analyze({"messages": [{"from": "candidate", "text": text}]})
    assert [p["signal"] for p in result.records["phrases"]] == ["equipment-elsewhere"]


def test_huge_and_junk_texts_are_bounded_and_reported() -> None:
    analyzer = LanguageAnalyzer(
        LanguageOptions(analyzed_chars_per_text=5000, analyzed_chars_total=5003),
        patterns=shipped_analyzer().patterns,
    )
    result = analyze(
        {"interview_notes": ["Fine.", "The camera was broken."]},
        resume="%PDF-1.7\x00\x01\x02\x03\x04\x05\x06\x07" * 50,
        cover_letter="Dear team. " * 2000,
        analyzer=analyzer,
    )
    record = summary(result)
    assert record["skipped"] == ["resume", "interview note 2"]  # junk; over the total budget
    assert record["truncated"] == ["cover letter", "interview note 1"]
    assert "cut at 5000 characters: cover letter, interview note 1" in result.reason
    assert "not analysed: resume, interview note 2" in result.reason


def test_style_is_computed_and_declared_sensitive() -> None:
    result = analyze(resume="I built a service. The service ran well. It was a good year.")
    style = result.records["style"][0]
    assert style["sentence_count"] == 3
    assert style["article_rate"] == pytest.approx(3 / 13, abs=0.001)
    specs = {s.path: s for s in LanguageAnalyzer.facts}
    assert all(s.sensitive for p, s in specs.items() if p.startswith("style."))
    assert specs["language.mixed_script_word_count"].sensitive


def test_the_form_facts_say_when_the_structured_fields_already_state_a_cause() -> None:
    result = analyze(
        {
            "payment": {"method": "USDT", "wallets": ["0x" + "a" * 40, "T" + "b" * 33]},
            "addresses": [
                {"kind": "home", "line1": "1 Oak St", "city": "Austin", "country": "US"},
                {"kind": "shipping", "line1": "9 Elm St", "city": "Dallas", "country": "US"},
            ],
            "devices": [{"software": ["TeamViewer 15"]}],
            "messages": [{"from": "candidate", "text": "Thanks"}],
        }
    )
    record = summary(result)
    assert record["form_states_crypto"] is True
    assert record["form_states_several_wallets"] is True
    assert record["form_states_other_shipping_address"] is True
    assert record["inventory_lists_remote_access"] is True
    assert record["form_states_platform"] is False


def test_the_number_of_records_is_bounded_and_the_cut_reported() -> None:
    notes = ["Webcam broken. Someone else was answering. I can only work at night."] * 99 + [
        "Ten years of ChatGPT. " * 120
    ]
    result = analyze({"interview_notes": notes})
    assert len(result.records["phrases"]) == 200
    assert len(result.records["experience_claims"]) == 100
    assert "(experience claims, phrase matches cut)" in result.reason


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
            st.sampled_from(["camera", "broken", "not", "years", "10", "\u200b", "\n", " "]),
        ),
        max_size=60,
    ).map("".join)
)
def test_any_text_gives_well_formed_facts(text: str) -> None:
    result = analyze(resume=text)
    assert result.status in (CheckStatus.OK, CheckStatus.SKIPPED)
    for record in result.records.get("phrases", []):
        assert record["signal"] and record["where"] == "resume"
        assert isinstance(record["negated"], bool)
    for claim in result.records.get("experience_claims", []):
        assert 0 <= claim["years"] <= 60
