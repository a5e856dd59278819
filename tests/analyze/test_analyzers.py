"""Each offline analyzer on realistic input: the facts it reports, and why it cannot report
others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from screening.analyze import Analyzer, build_catalogue, run_analyzers
from screening.analyze.base import AnalysisContext
from screening.analyze.behavior import BehaviorAnalyzer
from screening.analyze.devices import DeviceAnalyzer
from screening.analyze.documents import DocumentAnalyzer
from screening.analyze.emails import EmailAnalyzer
from screening.analyze.identity import IdentityAnalyzer
from screening.analyze.network import NetworkAnalyzer
from screening.analyze.payment import PaymentAnalyzer, wallet_asset
from screening.analyze.phones import PhoneAnalyzer
from screening.analyze.references import ReferenceAnalyzer
from screening.analyze.timeline import TimelineAnalyzer
from screening.config import Settings
from screening.errors import InputError
from screening.ingest.text_extract import find_name
from screening.model.application import (
    DocumentContent,
    DocumentMeta,
    RawApplication,
    parse_application,
)
from screening.model.facts import CheckStatus, FamilyResult
from screening.model.normalized import Application
from screening.normalize import normalize
from screening.pipeline import build_analyzers
from screening.testing import FixedClock

CTX = AnalysisContext(clock=FixedClock(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)))
# the families that need no settings, lists or network, built through the one registry
OFFLINE = (
    "identity",
    "phones",
    "emails",
    "links",
    "timeline",
    "references",
    "documents",
    "payment",
    "network",
    "behavior",
    "devices",
)


def offline_analyzers() -> list[Analyzer]:
    return build_analyzers(Settings(), offline=True, families=OFFLINE)


def app(docs: tuple[DocumentContent, ...] = (), **fields: Any) -> Application:
    data = {"name": "Jonathan Miller", **fields}
    return normalize(RawApplication(data=parse_application(data), documents=docs))


def records(result: FamilyResult, namespace: str) -> list[dict[str, object]]:
    assert result.status is CheckStatus.OK, result.reason
    return result.records[namespace]


def test_catalogue_declares_every_fact_once_with_a_description() -> None:
    analyzers = offline_analyzers()
    catalogue = build_catalogue(analyzers)
    assert len(catalogue) > 100
    assert all(spec.description for spec in catalogue.facts.values())
    sensitive = {p for p, s in catalogue.facts.items() if s.sensitive}
    assert {
        "identity.citizenship",
        "identity.name_script",
        "identity.age",
        "identity.work_authorization",
    } <= sensitive


def test_every_produced_key_is_declared() -> None:
    """An analyzer must not emit a fact the catalogue does not document."""
    catalogue = build_catalogue(offline_analyzers())
    a = app(
        emails=["jon.miller@example.com"],
        phones=["+1 512 555 0102"],
        location={"country": "US", "timezone": "America/Chicago"},
        addresses=[{"kind": "home", "country": "US"}, {"kind": "shipping", "country": "HK"}],
        links=["https://github.com/jmiller"],
        date_of_birth="1990-01-01",
        employment=[{"employer": "A", "start": "2019-01", "end": "present"}],
        education=[{"institution": "U", "end": 2012}],
        references=[{"name": "Ann Lee", "email": "ann@example.org"}],
        network=[{"ip": "203.0.113.9", "utc_offset_minutes": -360}],
        payment={
            "method": "bank",
            "account_holder": "Jon Miller",
            "bank_country": "US",
            "wallets": ["0x" + "a" * 40],
        },
        messages=[{"from": "candidate", "at": "2025-03-01T10:00:00Z", "text": "hi"}],
        devices=[{"software": ["AnyDesk"], "usb_devices": ["TinyPilot"]}],
        received_at="2025-03-01T10:00:00Z",
        docs=(DocumentContent(kind="resume", format="pdf", text="Jonathan Miller\nEngineer"),),
    )
    facts = run_analyzers(a, offline_analyzers(), CTX)
    for path, _ in facts:
        assert path in catalogue, path
    for path in facts.missing:
        assert path in catalogue, path


def test_phones_line_type_region_and_claim() -> None:
    a = app(phones=["(512) 555-0102", "+82 10 1234 5678"], location={"country": "US"})
    recs = records(PhoneAnalyzer().analyze(a, CTX), "phones")
    assert recs[0]["e164"] == "+15125550102" and recs[0]["region_matches_claim"] is True
    assert recs[1]["region"] == "KR" and recs[1]["line_type"] == "mobile"
    assert recs[1]["region_matches_claim"] is False
    assert "Asia/Seoul" in recs[1]["timezones"]  # type: ignore[operator]


def test_phones_without_claim_report_the_comparison_missing() -> None:
    result = PhoneAnalyzer().analyze(app(phones=["+44 20 7946 0000"]), CTX)
    assert result.missing["phones.region_matches_claim"].startswith("no claimed country")
    assert PhoneAnalyzer().analyze(app(), CTX).status is CheckStatus.SKIPPED


def test_invalid_number_is_flagged_unparseable_is_not_judged() -> None:
    recs = records(
        PhoneAnalyzer().analyze(
            app(phones=["+1 512 555", "call me"], location={"country": "US"}), CTX
        ),
        "phones",
    )
    assert recs[0]["valid"] is False
    assert recs[1].get("valid") is None and recs[1]["parse_error"]


def test_emails_provider_lists_and_name_relation() -> None:
    a = app(
        emails=[
            "jon.miller@gmail.com",
            "x7@mailinator.com",
            "alias@simplelogin.com",
            "hr@acme.example",
            "robert.smith1985@example.com",
        ]
    )
    recs = records(EmailAnalyzer().analyze(a, CTX), "emails")
    by = {r["address"]: r for r in recs}
    assert by["jon.miller@gmail.com"]["free_provider"] is True
    assert by["jon.miller@gmail.com"]["name_relation"] == "related"
    assert by["x7@mailinator.com"]["disposable"] is True
    assert by["alias@simplelogin.com"]["relay_service"] is True
    assert by["hr@acme.example"]["role_account"] is True
    assert by["robert.smith1985@example.com"]["name_relation"] == "unrelated"
    assert by["robert.smith1985@example.com"]["trailing_digits"] == 4


def test_disposable_list_matches_subdomains() -> None:
    recs = records(EmailAnalyzer().analyze(app(emails=["a@mx.mailinator.com"]), CTX), "emails")
    assert recs[0]["disposable"] is True


def test_identity_names_from_handles_and_resume_header() -> None:
    doc = DocumentContent(kind="resume", format="pdf", text="Robert Hayes\nSenior Engineer\n...")
    a = app(
        docs=(doc,),
        aliases=["Jon Miller"],
        emails=["jon.m@example.com"],
        links=["https://www.linkedin.com/in/robert-hayes-3f9a", "https://github.com/jmiller"],
    )
    recs = records(IdentityAnalyzer().analyze(a, CTX), "names")
    got = {(r["source"], r["relation"]) for r in recs}
    assert ("alias", "same") in got
    assert ("email", "related") in got
    assert ("linkedin", "other_name") in got
    assert ("github", "related") in got
    assert ("resume_header", "different") in got


def test_handles_name_another_person_only_when_that_person_appears_elsewhere() -> None:
    plain = app(emails=["robert.smith1985@example.com"], links=["https://github.com/octo-builder"])
    recs = records(IdentityAnalyzer().analyze(plain, CTX), "names")
    assert {r["relation"] for r in recs} == {"unrelated"}
    holder = app(
        emails=["robert.smith1985@example.com"],
        payment={"method": "bank", "account_holder": "Robert Smith"},
    )
    recs = records(IdentityAnalyzer().analyze(holder, CTX), "names")
    got = {(r["source"], r["relation"]) for r in recs}
    assert ("payment_holder", "different") in got and ("email", "other_name") in got


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ana Beatriz Souza\nSenior Backend Engineer", "Ana Beatriz Souza"),
        ("CURRICULUM VITAE\n\nMinjun Kim\nSeoul", "Minjun Kim"),
        ("ana@example.com | +351 912 345 678\nAna Souza", "Ana Souza"),
        ("Summary\nExperienced engineer with 10 years.", None),
        ("김민준\n백엔드 개발자", "김민준"),
        ("Product Manager\nI build payment systems", None),  # titles and prose are not names
        ("Head of Engineering\nLisbon", None),
        ("Ludwig van Beethoven\nComposer", "Ludwig van Beethoven"),
        ("ANA SOUZA\nEngineer", "ANA SOUZA"),
    ],
)
def test_resume_header_name(text: str, name: str | None) -> None:
    assert find_name(text) == name


def test_addresses_shipping_vs_home_and_missing_home() -> None:
    a = app(
        location={"country": "US"},
        addresses=[
            {"kind": "home", "line1": "12 Oak Street", "city": "Austin", "country": "US"},
            {"kind": "shipping", "line1": "12 oak st.", "city": "austin", "country": "US"},
            {"kind": "shipping", "line1": "45 Harbour Rd", "city": "Kowloon", "country": "HK"},
        ],
    )
    recs = records(IdentityAnalyzer().analyze(a, CTX), "addresses")
    assert recs[1]["same_as_home"] is True
    assert recs[2]["same_as_home"] is False and recs[2]["country_differs_from_home"] is True
    no_home = IdentityAnalyzer().analyze(
        app(addresses=[{"kind": "shipping", "country": "US"}]), CTX
    )
    assert no_home.missing["addresses.same_as_home"] == "no home address to compare with"


@pytest.mark.parametrize(
    ("recipient", "relation"),
    [
        ("Erick Prince", "different"),
        ("Jon Miller", "same"),  # a short form of the candidate's own name
        ("MILLER, Jonathan", "same"),
        ("김민준", "incomparable"),  # another script is never a mismatch
    ],
)
def test_shipping_recipient_is_compared_with_the_candidates_names(
    recipient: str, relation: str
) -> None:
    a = app(
        name="Jonathan Miller",
        addresses=[{"kind": "shipping", "city": "Bowie", "country": "US", "recipient": recipient}],
    )
    rec = records(IdentityAnalyzer().analyze(a, CTX), "addresses")[0]
    assert rec["recipient_relation"] == relation


def test_timeline_overlaps_gaps_and_impossible_dates() -> None:
    a = app(
        date_of_birth="2000-06-01",
        employment=[
            {"employer": "A", "start": "2018-01", "end": "2020-12"},
            {"employer": "B", "start": "2019-01", "end": "2021-06"},
            {"employer": "C", "start": "2019-06", "end": "present"},
            {"employer": "D", "start": "2023-01", "end": "2022-01"},  # ends before it starts
            {"employer": "E", "start": "2027-01"},  # in the future (clock: 2026-01)
            {"employer": "F", "start": "2012-01", "end": "2012-06"},  # age 11
        ],
        education=[{"institution": "U", "start": 2010, "end": 2012}],
    )
    result = TimelineAnalyzer().analyze(a, CTX)
    summary = records(result, "timeline")[0]
    assert summary["max_concurrent_roles"] == 3
    assert summary["overlapping_pairs"] == 3
    assert summary["impossible_date_count"] == 3
    assert summary["longest_gap_months"] == 66  # 2012-07 .. 2017-12
    assert records(result, "education")[0]["age_at_end"] == 11
    jobs = records(result, "employment")
    assert jobs[3]["ends_before_start"] is True and jobs[4]["starts_in_future"] is True
    assert jobs[5]["age_at_start"] == 11


def test_timeline_without_date_of_birth_says_so() -> None:
    result = TimelineAnalyzer().analyze(app(employment=[{"employer": "A", "start": 2019}]), CTX)
    assert result.missing["employment.age_at_start"] == "no date_of_birth in the application"


def test_employer_lookalike_domain() -> None:
    a = app(
        employment=[
            {"employer": "Google", "start": 2020, "website": "https://g00gle-careers.com"},
            {"employer": "Google", "start": 2018, "website": "careers.google.com"},
        ]
    )
    jobs = records(TimelineAnalyzer().analyze(a, CTX), "employment")
    assert jobs[0]["website_lookalike_of"] == "google.com"
    assert jobs[1]["website_lookalike_of"] is None


def test_references_sharing_contacts() -> None:
    a = app(
        phones=["+1 512 555 0102"],
        emails=["jon@example.com"],
        location={"country": "US"},
        employment=[{"employer": "Acme", "start": 2019, "website": "acme.example"}],
        references=[
            {"name": "Ann Lee", "phone": "(512) 555-0102"},
            {"name": "Bo Chan", "email": "boss@gmail.com", "relationship": "manager"},
            {"name": "Cy Diaz", "email": "boss@gmail.com"},
            {"name": "Jon Miller", "email": "dee@acme.example"},
        ],
    )
    recs = records(ReferenceAnalyzer().analyze(a, CTX), "references")
    assert recs[0]["same_phone_as_candidate"] is True
    assert recs[1]["shares_contact_with_other_reference"] is True
    assert recs[1]["email_free_provider"] is True
    assert recs[0]["shares_contact_with_other_reference"] is False
    assert recs[3]["name_is_candidate"] is True
    assert recs[3]["email_domain_matches_employer"] is True


def test_document_metadata_author_relation() -> None:
    docs = (
        DocumentContent(
            kind="resume",
            format="pdf",
            text="x",
            meta=DocumentMeta(author="Daniel Reyes", last_modified_by="Jon Miller"),
        ),
        DocumentContent(
            kind="cover_letter",
            format="docx",
            text="y",
            meta=DocumentMeta(author="Microsoft Office User"),
        ),
    )
    recs = records(DocumentAnalyzer().analyze(app(docs=docs), CTX), "documents")
    assert recs[0]["author_relation"] == "different"
    assert recs[0]["last_modified_by_relation"] == "same"
    assert recs[1]["author_relation"] == "not_a_name"


@pytest.mark.parametrize(
    ("author", "producer", "expected"),
    [
        ("Zamzar", None, "incomparable"),  # a file converter
        ("Canva", "Canva", "incomparable"),  # a design platform
        ("LibreOffice Writer", None, "incomparable"),
        ("Jane Template Designs", None, "incomparable"),  # a template seller
        ("jdoe82", None, "incomparable"),  # a login, not a person's name
        ("kim_c", None, "incomparable"),
        ("Acme Resume Maker 2.1", "Acme Resume Maker 2.1", "incomparable"),  # = the producer
        ("Daniel Reyes", "Skia/PDF m120", "different"),  # a person: still judged
        ("Microsoft Office User", None, "not_a_name"),
    ],
)
def test_tool_converter_and_login_authors_are_incomparable(
    author: str, producer: str | None, expected: str
) -> None:
    doc = DocumentContent(
        kind="resume", format="pdf", text="x", meta=DocumentMeta(author=author, producer=producer)
    )
    rec = records(DocumentAnalyzer().analyze(app(docs=(doc,)), CTX), "documents")[0]
    assert rec["author_relation"] == expected
    # the value judged to name someone else is a fact of its own, for the evidence
    assert rec["judged_author"] == (author if expected == "different" else None)


def test_document_author_alone_keeps_an_honest_resume_low() -> None:
    """Metadata naming someone else (a reused template, a friend's file) is not enough to leave
    the low band on its own: the rule's weight stays under the medium band's floor."""
    from pathlib import Path

    import yaml

    from screening.config import BandsConfig

    path = Path(__file__).parents[2] / "rules/identity/document-author-another-person.yml"
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert rule["weight"] * 100 < BandsConfig().medium


def test_payment_holder_company_and_wallets() -> None:
    other = records(
        PaymentAnalyzer().analyze(
            app(
                payment={
                    "method": "USDT",
                    "account_holder": "Mark Peterson",
                    "wallets": ["TkbUrMWeWQLGsCmrG6dLaYyNoVKf58ZTBq", "0x" + "b" * 40],
                }
            ),
            CTX,
        ),
        "payment",
    )[0]
    assert other["holder_relation"] == "different" and other["crypto"] is True
    assert other["wallet_count"] == 2
    company = records(
        PaymentAnalyzer().analyze(
            app(payment={"method": "bank", "account_holder": "Miller Consulting LLC"}), CTX
        ),
        "payment",
    )
    assert company[0]["holder_relation"] == "company"
    assert wallet_asset("TkbUrMWeWQLGsCmrG6dLaYyNoVKf58ZTBq") == "TRON"
    assert wallet_asset("0x" + "b" * 40) == "ETH/EVM"
    assert wallet_asset("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq") == "BTC"


def test_network_clock_against_claimed_zone_with_dst() -> None:
    a = app(
        location={"country": "US", "timezone": "America/Chicago"},
        network=[
            {"ip": "45.77.1.1", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": 540},
            {"ip": "10.0.0.8", "seen_at": "2025-07-02T14:05:00Z", "utc_offset_minutes": -300},
            {"ip": "not-an-ip", "utc_offset_minutes": -360},
        ],
    )
    result = NetworkAnalyzer().analyze(a, CTX)
    recs = records(result, "network")
    assert recs[0]["offset_matches_claim"] is False and recs[0]["offset_difference_minutes"] == 900
    assert recs[1]["offset_matches_claim"] is True  # CDT in July
    assert recs[1]["private"] is True
    assert recs[2]["ip_valid"] is False
    assert records(result, "sessions")[0]["utc_offset_spread_minutes"] == 900


def test_network_claimed_country_allows_all_its_zones() -> None:
    a = app(
        location={"country": "US"},
        network=[
            {"ip": "203.0.113.1", "seen_at": "2025-01-10T10:00:00Z", "utc_offset_minutes": -480}
        ],
    )
    assert records(NetworkAnalyzer().analyze(a, CTX), "network")[0]["offset_matches_claim"] is True


def test_an_unknown_zone_is_an_input_error_not_a_mismatch() -> None:
    # refused at intake, naming the field, like a country code that is not a country
    with pytest.raises(InputError, match="not a time zone of the IANA database"):
        app(location={"timezone": "Mars/Olympus"})
    lower = app(location={"timezone": "america/chicago"})
    assert lower.location.timezone == "America/Chicago"


def test_behavior_night_messages_in_every_claimed_zone() -> None:
    msgs = [{"from": "candidate", "at": f"2025-03-0{d}T08:10:00Z", "text": "x"} for d in (3, 4, 5)]
    msgs.append({"from": "recruiter", "at": "2025-03-06T08:10:00Z", "text": "y"})
    texas = records(
        BehaviorAnalyzer().analyze(
            app(location={"country": "US", "timezone": "America/Chicago"}, messages=msgs), CTX
        ),
        "behavior",
    )[0]
    assert texas["candidate_message_count"] == 3 and texas["night_message_share"] == 1.0
    # the whole of the US: 08:10 UTC is not night in Hawaii (22:10), so not night everywhere
    us = records(
        BehaviorAnalyzer().analyze(app(location={"country": "US"}, messages=msgs), CTX), "behavior"
    )[0]
    assert us["night_message_count"] == 0


def test_devices_known_products() -> None:
    recs = records(
        DeviceAnalyzer().analyze(
            app(
                devices=[
                    {
                        "hostname": "LT-1",
                        "remote_access_tools": ["AnyDesk", "SuperRemote 2"],
                        "software": ["Chrome Remote Desktop Host", "Caffeine 1.1"],
                        "usb_devices": ["PiKVM v4 Mini", "Logitech Mouse"],
                    }
                ]
            ),
            CTX,
        ),
        "devices",
    )[0]
    assert recs["remote_access_tools"] == ["AnyDesk", "Chrome Remote Desktop", "SuperRemote 2"]
    assert recs["remote_access_count"] == 3
    assert recs["ip_kvm"] == ["PiKVM"]
    assert recs["keep_awake_tools"] == ["Caffeine"]


def test_a_failing_analyzer_becomes_unavailable_not_a_crash() -> None:
    class Broken(PhoneAnalyzer):
        def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
            raise RuntimeError("secret personal data in message")

    facts = run_analyzers(app(phones=["+1 512 555 0102"]), [Broken()], CTX)
    check = facts.checks["phones"]
    assert check.status is CheckStatus.UNAVAILABLE
    assert check.reason == "analyzer failed (RuntimeError)"


def test_only_needed_families_run() -> None:
    facts = run_analyzers(app(phones=["+1 512 555 0102"]), offline_analyzers(), CTX, {"phones"})
    assert set(facts.checks) == {"phones"}
