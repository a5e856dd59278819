"""The view-model: every decision a report shows is taken in build_view."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
from collections.abc import Callable

import pytest
from report_fixtures import Spec, default_specs, noisy_or

from screening.model.findings import Category, Severity
from screening.model.screening import Screening
from screening.report import ReportView, build_view
from screening.report.view import MAX_VALUE_CHARS, display_value

Make = Callable[..., Screening]


def test_findings_are_sorted_by_contribution_descending(screening: Screening) -> None:
    view = build_view(screening)
    contributions = [f.contribution for f in view.findings]
    assert contributions == sorted(contributions, reverse=True)
    assert view.findings[0].id == "network.vpn-at-application"
    assert view.findings[-1].weight < 0
    assert view.top_findings == view.findings[:5]


def test_all_six_categories_are_shown_with_zero_when_quiet(make_screening: Make) -> None:
    only_identity = [s for s in default_specs() if s.category is Category.IDENTITY]
    view = build_view(make_screening(specs=only_identity))
    assert [c.name for c in view.categories] == [str(c) for c in Category]
    scores = {c.name: c.score for c in view.categories}
    assert scores["identity"] == round(noisy_or([0.15, 0.25]), 1)
    assert all(scores[c] == 0.0 for c in scores if c != "identity")
    assert {c.name: c.findings for c in view.categories}["identity"] == 2


def test_score_is_rounded_to_one_decimal(screening: Screening) -> None:
    view = build_view(screening)
    assert view.score == round(screening.score.score, 1)
    assert view.score_text == f"{screening.score.score:.1f}"
    assert view.band == "high"
    assert view.next_step == "Verify identity on live video with a document."


def test_evidence_values_read_as_text(screening: Screening) -> None:
    evidence = {e.path: e.value for f in build_view(screening).findings for e in f.evidence}
    assert evidence["network.providers"] == "Astrill, ExampleVPN"
    assert evidence["network.vpn"] == "yes"
    assert evidence["payment.wallet_shared"] == "no"
    assert evidence["employment.start"] == "2019-03-01"
    assert evidence["employment.checked_at"] == "2024-06-01T09:00:00+00:00"
    assert evidence["emails.name_similarity"] == "0.12"
    assert evidence["references.confirmed"] == "2"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "(none)"),
        ([], "(empty)"),
        (("a", 1, True), "a, 1, yes"),
        ({"b", "a"}, "a, b"),
        ({"k": [1, 2]}, "k: 1, 2"),
        (0.5, "0.5"),
        (2.0, "2"),
        (float("nan"), "nan"),
        (ipaddress.ip_address("192.0.2.7"), "192.0.2.7"),
    ],
)
def test_display_value(value: object, text: str) -> None:
    assert display_value(value) == text


def test_long_values_are_cut_with_a_count() -> None:
    text = display_value("x" * (MAX_VALUE_CHARS + 25))
    assert text.startswith("x" * MAX_VALUE_CHARS)
    assert text.endswith("(25 more characters)")


def test_overridden_weight_shows_the_default(screening: Screening) -> None:
    by_id = {f.id: f for f in build_view(screening).findings}
    vpn = by_id["network.vpn-at-application"]
    assert vpn.overridden and vpn.weight == 0.5 and vpn.default_weight == 0.4
    assert vpn.default_weight_text == "0.4"
    voip = by_id["contact.voip-outside-claimed-country"]
    assert not voip.overridden and voip.default_weight_text == ""


def test_gaps_checks_sources_and_packs_are_carried(screening: Screening) -> None:
    view = build_view(screening)
    (gap,) = view.not_evaluated
    assert gap.id == "email.domain-undeliverable"
    assert gap.missing == ("emails.mx_present", "emails.domain_age_days")
    assert gap.reasons == ("dns: resolver timed out",)
    # Failed and skipped analyzers come first so a reviewer cannot miss them.
    assert [(c.analyzer, c.status, c.ok) for c in view.checks] == [
        ("dns", "unavailable", False),
        ("documents", "skipped", False),
        ("phones", "ok", True),
    ]
    assert (view.checks_unavailable, view.checks_skipped) == (1, 1)
    assert (view.sources[0].name, view.sources[0].version_or_date) == (
        "OFAC SDN list",
        "2024-05-03",
    )
    assert [(p.id, p.version, p.rules) for p in view.packs] == [("core", "1.2.0", 42)]
    assert view.rules_evaluated == 43
    assert view.generated_at == "2024-06-01T09:30:00Z"


def test_generated_at_is_converted_to_utc(make_screening: Make) -> None:
    screening = make_screening()
    screening.generated_at = dt.datetime(
        2024, 6, 1, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert build_view(screening).generated_at == "2024-06-01T09:30:00Z"


def test_formula_recomputes_the_score(screening: Screening) -> None:
    formula = build_view(screening).formula
    assert formula.name == "noisy-or"
    assert formula.recomputed == round(screening.score.score, 1)
    assert formula.worked.endswith(f"= {screening.score.score:.1f}")
    assert "(1 − 0.5)" in formula.worked and "(1 − 0.2)" in formula.worked
    assert "recomputed" in formula.text


def test_formula_without_positive_weights(make_screening: Make) -> None:
    mitigating = [s for s in default_specs() if s.weight < 0]
    formula = build_view(make_screening(specs=mitigating)).formula
    assert formula.recomputed == 0.0
    assert formula.worked.endswith("= 0.0")


def test_timeline_skips_roles_without_start_and_marks_current(screening: Screening) -> None:
    view = build_view(screening)
    assert [(r.employer, r.start, r.end) for r in view.timeline] == [
        ("Example Corp", "2016-01-01", "2020-06-30"),
        ("Sample Labs", "2019-03-01", "present"),
    ]
    assert view.timeline_svg.startswith("<svg")
    assert view.timeline_note == ""


def test_no_roles_gives_a_sentence_instead_of_a_chart(make_screening: Make) -> None:
    view = build_view(make_screening(roles=[]))
    assert view.timeline == ()
    assert view.timeline_svg == ""
    assert "no timeline" in view.timeline_note


def test_absurd_role_is_noted(make_screening: Make) -> None:
    role = {
        "employer": "Example Corp",
        "title": "Engineer",
        "start": dt.datetime(2022, 5, 1, 12, 0),
        "end": dt.date(2020, 1, 1),
        "current": False,
    }
    (row,) = build_view(make_screening(roles=[role])).timeline
    assert row.start == "2022-05-01"
    assert row.note == "start is after the end"


def test_resolution_block_is_blank_and_decides_nothing(screening: Screening) -> None:
    resolution = build_view(screening).resolution
    assert resolution.options == ("cleared", "verify further", "escalate")
    assert resolution.fields == ("Reviewer", "Date")


def test_view_holds_plain_frozen_values(screening: Screening) -> None:
    view = build_view(screening)
    assert isinstance(view, ReportView)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.score = 0.0  # type: ignore[misc]

    def walk(value: object) -> None:
        if dataclasses.is_dataclass(value):
            assert vars(type(value))["__dataclass_params__"].frozen
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple | list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        else:
            assert value is None or isinstance(value, str | int | float | bool), repr(value)

    walk(view)


def test_experimental_findings_are_marked(make_screening: Make) -> None:
    from screening.model.findings import RuleStatus

    spec = Spec(
        "language.new-phrase",
        "New phrase list",
        Category.LANGUAGE,
        Severity.LOW,
        0.0,
        (("messages.phrase", "kindly"),),
        "A message uses a listed phrase.",
        status=RuleStatus.EXPERIMENTAL,
    )
    (finding,) = build_view(make_screening(specs=[spec])).findings
    assert finding.experimental and finding.status == "experimental"
