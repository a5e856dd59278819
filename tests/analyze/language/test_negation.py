"""Negation: wording that says the opposite of a red flag must not fire it."""

from __future__ import annotations

import pytest
from language_support import note, shipped_analyzer, signals

from screening.analyze.language.negation import negated


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("The camera is not broken.", "camera-refusal"),
        ("Her webcam wasn't broken at all.", "camera-refusal"),
        ("He never said the camera was broken.", "camera-refusal"),
        ("Candidate denied that the webcam was broken.", "camera-refusal"),
        ("Asked whether the camera was broken.", "camera-refusal"),
        ("Asked whether that camera was broken.", "camera-refusal"),  # "that" is no politeness
        ("Never asked to ship the laptop to a different address.", "equipment-elsewhere"),
        ("I don't need you to send the laptop to my friend.", "equipment-elsewhere"),
        ("No AnyDesk or TeamViewer on my machine.", "remote-access"),
        ("TeamViewer is not allowed on company laptops.", "remote-access"),
        ("I do not want to be paid in USDT.", "crypto-payment"),
        ("I can't say that someone else was answering.", "interview-proxy"),
    ],
)
def test_negated_wording_is_recorded_but_marked(sentence: str, signal: str) -> None:
    result = note(sentence)
    assert signal in signals(result, negated=True)
    assert signal not in signals(result, negated=False)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("No problems with audio, but the camera was broken.", "camera-refusal"),
        ("The answers were not bad. The webcam was broken though.", "camera-refusal"),
        ("Not Zoom: please use AnyDesk.", "remote-access"),
        ("I would not turn on the camera.", "camera-refusal"),  # the pattern's own "not"
        ("I cannot receive packages at home.", "equipment-elsewhere"),
        ("I prefer not to use video.", "camera-refusal"),
    ],
)
def test_negation_in_another_clause_or_in_the_wording_itself_still_fires(
    sentence: str, signal: str
) -> None:
    assert signal in signals(note(sentence), negated=False)


def test_negation_words_only_count_close_to_the_match() -> None:
    nlp = shipped_analyzer().manager.get().nlp
    doc = nlp("No one asked me to do anything else today and then the camera broke")
    camera = next(t.i for t in doc if t.text == "camera")
    assert not negated(doc, camera, camera + 2)
    doc = nlp("It is not true that the camera broke")
    camera = next(t.i for t in doc if t.text == "camera")
    assert negated(doc, camera, camera + 2)


def test_a_literal_cue_of_the_pattern_is_not_negation_but_another_cue_is() -> None:
    nlp = shipped_analyzer().manager.get().nlp
    doc = nlp("would not turn on the camera")
    assert not negated(doc, 0, len(doc), frozenset({"not"}))
    assert negated(doc, 0, len(doc), frozenset())
    doc = nlp("never would not turn on the camera")
    assert negated(doc, 1, len(doc), frozenset({"not"}))


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("When she worked at a help desk she used TeamViewer daily.", "remote-access"),
        ("He designed a USDT payout service for a wallet company.", "crypto-payment"),
        ("Wrote a plugin that detects AnyDesk sessions.", "remote-access"),
        ("At her old job she shipped laptops to new hires' friends.", "equipment-elsewhere"),
    ],
)
def test_past_and_built_work_is_not_a_request(sentence: str, signal: str) -> None:
    assert signal not in signals(note(sentence), negated=False)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("He wrote that the repository would be leaked unless we paid him.", "extortion-threat"),
        ("She kept glancing sideways as if somebody was prompting her.", "interview-proxy"),
        ("He refuses to switch on the webcam.", "camera-refusal"),  # inflection of "refused"
        ("My webcam hasn't been working since Monday.", "camera-refusal"),
    ],
)
def test_reported_speech_comparisons_and_inflections_still_fire(sentence: str, signal: str) -> None:
    assert signal in signals(note(sentence), negated=False)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        # a question with a modal asks for something: a request, not doubt
        ("Asked if we could skip the video.", "camera-refusal"),
        ("Can we do it audio only, if that's ok?", "camera-refusal"),  # politeness
        # "and asked ..." starts a new clause: the negation before it stays in its own
        (
            "Said a bank transfer does not suit him and asked for PayPal payments.",
            "payment-platform",
        ),
        # a negative condition is part of the threat
        ("He wrote that he would leak the customer database if we don't pay.", "extortion-threat"),
        ("She demanded a payout in exchange for not publishing the code.", "extortion-threat"),
        # a past employer in another clause, or as someone to contact now, is not past work
        ("Skip the coding test please, my previous company can vouch for me.", "urgency-pressure"),
        ("She said she would pull out if we contacted her last employer.", "urgency-pressure"),
        # spaCy counts "show" and "keep" as stop words; they are still inflected
        ("The candidate never showed her face during the call.", "camera-refusal"),
    ],
)
def test_requests_conditions_and_new_clauses_are_not_negation(sentence: str, signal: str) -> None:
    assert signal in signals(note(sentence), negated=False)


@pytest.mark.parametrize(
    ("sentence", "signal"),
    [
        ("She explained how ransomware crews threaten to publish stolen data.", "extortion-threat"),
        ("I was paid through PayPal as a freelancer in 2018.", "payment-platform"),
        ("Blog post on hardening RDP and detecting AnyDesk abuse.", "remote-access"),
        ("Previously audited the USDC integration for a payments company.", "crypto-payment"),
        ("I used AnyDesk daily because my previous company required it.", "remote-access"),
        ("Runs a homelab with a TinyPilot for his own servers.", "remote-access"),
        ("In her support role she helped users over AnyDesk.", "remote-access"),
        (
            "Security training covers why tools like RustDesk are blocked on laptops.",
            "remote-access",
        ),
        ("Our client processes USDT payments for merchants.", "crypto-payment"),
        (
            "He asked what we would do if a contractor threatened to publish our code.",
            "extortion-threat",
        ),
        ("Lips and voice matched fine the whole call.", "interview-proxy"),
        ("Onboarding takes about 3 weeks including shipping.", "unusual-hours"),
        ("She uses AnyDesk to help her grandparents with their laptop.", "remote-access"),
        ("He invests part of his salary in ethereum.", "crypto-payment"),
        ("The EDR agent flags remote desktop tools on every laptop.", "remote-access"),
        ("Asked whether the camera was broken before the call.", "camera-refusal"),
        ("Her previous clients paid her invoices via Payoneer.", "payment-platform"),
        ("Prior to this, he received payments through Upwork's escrow.", "payment-platform"),
        ("Built a remittance feature so users could send money through Wise.", "payment-platform"),
    ],
)
def test_descriptions_past_events_and_open_questions_do_not_fire(
    sentence: str, signal: str
) -> None:
    assert signal not in signals(note(sentence), negated=False)


def test_a_pattern_that_checks_the_next_word_matches_at_the_very_end_of_a_text() -> None:
    # "skip ... video" + a word that is not "recording": the text's last word still matches
    assert "camera-refusal" in signals(note("can we skip video"), negated=False)
