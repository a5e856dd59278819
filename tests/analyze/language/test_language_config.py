"""The [language] configuration section and user packs that bring their own phrase patterns."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from screening.analyze.language import LanguageAnalyzer
from screening.config import RulesConfig, Settings, load_settings
from screening.errors import ConfigError
from screening.pipeline import Engine, build_analyzers
from screening.testing import FixedClock, screen_mapping


def language_analyzer(settings: Settings) -> LanguageAnalyzer:
    (found,) = [a for a in build_analyzers(settings, offline=True) if a.name == "language"]
    assert isinstance(found, LanguageAnalyzer)
    return found


def test_defaults_are_the_blank_pipeline_and_bounded_texts() -> None:
    options = language_analyzer(Settings()).options
    assert options.pipeline == "blank"
    assert (options.analyzed_chars_per_text, options.analyzed_chars_total) == (50_000, 250_000)


def test_settings_come_from_the_file_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "screening.toml"
    config.write_text('[language]\npipeline = "en_core_web_sm"\nanalyzed_chars_per_text = 1000\n')
    settings, _ = load_settings(config, {"SCREENING_LANGUAGE__ANALYZED_CHARS_TOTAL": "5000"})
    options = language_analyzer(settings).options
    assert (options.pipeline, options.analyzed_chars_per_text, options.analyzed_chars_total) == (
        "en_core_web_sm",
        1000,
        5000,
    )


def test_a_pipeline_name_that_is_not_a_package_name_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"language\.pipeline"):
        load_settings(None, {"SCREENING_LANGUAGE__PIPELINE": "../../etc/evil"})


def test_a_user_pack_can_add_a_signal_and_a_rule_that_reads_it(tmp_path: Path) -> None:
    pack = tmp_path / "acme"
    (pack / "patterns").mkdir(parents=True)
    (pack / "pack.yml").write_text("id: acme\ntitle: Acme additions\nversion: 0.1.0\n")
    (pack / "patterns" / "gift-cards.yml").write_text(
        textwrap.dedent(
            """\
            signal: gift-card-payment
            description: Asks to be paid in gift cards.
            patterns:
              - id: gift-cards
                tokens:
                  - {LOWER: {IN: [pay, paid, salary]}}
                  - {OP: "{0,3}", IS_PUNCT: false}
                  - {LOWER: gift}
                  - {LOWER: {IN: [card, cards]}}
            """
        )
    )
    (pack / "acme").mkdir()
    (pack / "acme" / "gift-cards.yml").write_text(
        textwrap.dedent(
            """\
            id: acme.gift-cards
            title: Pay in Gift Cards Requested
            status: stable
            category: payment
            severity: medium
            weight: 0.2
            description: Flags requests to be paid in gift cards.
            explain: '{phrases.where} says "{phrases.text}".'
            guidance: Pay through payroll only.
            references: [Internal case 2026-3]
            falsepositives: [Unknown]
            tags: [signal.payment]
            match:
              sel:
                phrases.signal: gift-card-payment
                phrases.negated: false
              condition: sel
            tests:
              - name: asks
                facts: {phrases: [{signal: gift-card-payment, negated: false}]}
                expect: match
              - name: negated
                facts: {phrases: [{signal: gift-card-payment, negated: true}]}
                expect: no_match
            """
        )
    )
    settings = Settings(rules=RulesConfig(paths=[tmp_path]))
    engine = Engine.build(settings, clock=FixedClock(), offline=True)
    message = {"from": "candidate", "text": "Can you pay me in Amazon gift cards?"}
    screening = screen_mapping(engine, {"name": "Jordan Avery", "messages": [message]})
    assert "acme.gift-cards" in {f.id for f in screening.findings}
    assert any(s.name.startswith("Language patterns of pack acme") for s in screening.sources)


def test_the_old_text_bound_name_is_refused() -> None:
    # [limits] max_text_chars refuses input; [language] bounds what the analyzer reads
    with pytest.raises(ConfigError, match=r"unknown setting 'language\.max_text_chars'"):
        load_settings(None, {"SCREENING_LANGUAGE__MAX_TEXT_CHARS": "10"})
