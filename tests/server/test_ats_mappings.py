"""Vendor payloads -> contract v1, against payloads shaped like the vendors' documented examples."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.errors import InputError
from screening.ingest.ats import VENDORS, EventKind, read_event, to_application, to_contract
from screening.ingest.ats.vendor import Access, ApiCall
from screening.model.limits import Limits

PAYLOADS = Path(__file__).parent / "payloads"
LIMITS = Limits()


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_greenhouse_application_created_maps_every_candidate_field() -> None:
    event = read_event("greenhouse", payload("greenhouse-application-created"))
    assert event.kind is EventKind.APPLICATION
    assert event.event == "new_candidate_application"
    assert event.our_id == "greenhouse-71980812"
    assert event.candidate_ref == "60304594"
    app = to_application("greenhouse", event.record, event.our_id, LIMITS).data
    assert app.id == "greenhouse-71980812" and app.source == "greenhouse"
    assert app.name == "Jane Smith"
    assert app.emails == ["person@work.com", "person@example.com"]
    assert app.phones == ["555-555-5555"]
    assert [(a.kind, a.line1, a.line2) for a in app.addresses] == [
        ("home", "123 Test Street", "New York, NY 10001")
    ]
    assert app.links == ["mysite.com", "socialmedia.com"]
    assert [(e.institution, e.degree, e.start, e.end) for e in app.education] == [
        ("Stanford University", "Bachelor's Degree, Computer Science", "2007-09-15", "2011-05-15")
    ]
    assert (
        app.received_at is not None and app.received_at.isoformat() == "2017-10-27T14:44:43+00:00"
    )


def test_greenhouse_record_keeps_only_what_the_mapping_reads() -> None:
    event = read_event("greenhouse", payload("greenhouse-application-created"))
    text = json.dumps(event.record)
    for hiring_team_data in (
        "Betty Smith",
        "employee@test.com",
        "Preliminary Screening Call",
        "asegal+jobadmin@greenhouse.io",
        "Test Cover Letter.docx",  # of the attachments, only the resume's link is kept
    ):
        assert hiring_team_data not in text
    assert event.record["resume"] == {
        "url": "https://prod-heroku.s3.amazonaws.com/...",
        "filename": "Test Resume.docx",
    }


def test_greenhouse_employments_and_skype_numbers() -> None:
    data = payload("greenhouse-application-created")
    candidate = data["payload"]["application"]["candidate"]
    candidate["employments"] = [
        {
            "id": 1,
            "company_name": "Acme Corp",
            "title": "Engineer",
            "start_date": "2012-08-15T00:00:00.000Z",
            "end_date": None,
        }
    ]
    candidate["phone_numbers"].append({"value": "jane.s.live", "type": "skype"})
    event = read_event("greenhouse", data)
    app = to_application("greenhouse", event.record, event.our_id, LIMITS).data
    assert [(e.employer, e.title, e.start, e.end) for e in app.employment] == [
        ("Acme Corp", "Engineer", "2012-08-15", None)
    ]
    assert app.phones == ["555-555-5555"]


@pytest.mark.parametrize(
    ("vendor", "body"),
    [
        ("greenhouse", {"action": "new_prospect_application", "payload": {}}),
        ("greenhouse", {"action": "ping", "payload": {"web_hook_id": 1}}),
        ("greenhouse", {"action": "candidate_stage_change", "payload": {}}),
        ("ashby", {"action": "ping", "data": {}}),
        ("ashby", {"webhookActionId": "x", "action": "candidateHire", "data": {}}),
        ("workable", {"event_type": "candidate_moved", "data": {"id": "1"}}),
        ("lever", {"event": "candidateStageChange", "data": {"opportunityId": "o1"}}),
        ("lever", {"event": "applicationCreated", "data": {}}),  # connection test: no ids
        ("lever", {"event": "applicationCreated"}),
    ],
)
def test_other_events_are_ignored(vendor: str, body: dict[str, object]) -> None:
    assert read_event(vendor, body).kind is EventKind.IGNORED


def test_the_prospect_example_is_ignored() -> None:
    event = read_event("greenhouse", payload("greenhouse-prospect-created"))
    assert event.kind is EventKind.IGNORED and event.event == "new_prospect_application"


def test_ashby_application_submit() -> None:
    event = read_event("ashby", payload("ashby-application-submit"))
    assert event.our_id == "ashby-d2b0f3a4-6c1e-4b8f-9a2d-3e4f5a6b7c8d"
    assert event.candidate_ref == "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
    assert event.delivery_id == "75395d87-4044-4dc4-bc29-0cec185e5f06"
    app = to_application("ashby", event.record, event.our_id, LIMITS).data
    assert (app.name, app.emails, app.phones) == (
        "Jane Smith",
        ["jane.smith@example.com"],
        ["+1 555 555 5555"],
    )
    assert "Senior Backend Engineer" not in json.dumps(event.record)  # the job is not kept


def test_ashby_secondary_addresses_and_social_links_when_present() -> None:
    data = payload("ashby-application-submit")
    candidate = data["data"]["application"]["candidate"]
    candidate["emailAddresses"] = [
        {"value": "JANE.SMITH@example.com", "type": "Personal", "isPrimary": True},
        {"value": "jsmith@example.org", "type": "Work", "isPrimary": False},
    ]
    candidate["socialLinks"] = [{"type": "GitHub", "url": "https://github.com/jsmith-example"}]
    event = read_event("ashby", data)
    app = to_application("ashby", event.record, event.our_id, LIMITS).data
    assert app.emails == ["jane.smith@example.com", "jsmith@example.org"]
    assert app.links == ["https://github.com/jsmith-example"]


def test_workable_candidate_created() -> None:
    event = read_event("workable", payload("workable-candidate-created"))
    assert event.our_id == "workable-108d1748" and event.candidate_ref == "108d1748"
    assert event.delivery_id == "108d1748:candidate_created:2015-07-01T00:00:05.000Z"
    app = to_application("workable", event.record, event.our_id, LIMITS).data
    assert app.name == "Cindy Sawyers"
    assert app.emails == ["cindy.sawyers@example.com"]
    assert app.phones == ["(785)991-6256"]
    assert app.addresses[0].line1 == "332 Clemmie Roads, Colorado, USA"
    assert app.resume is not None and app.resume.text is not None
    assert app.resume.text.startswith("Operations Manager\n\nA focussed")
    record = json.dumps(event.record)
    assert "candidate-mailbox@example.com" not in record and "groove-tech" not in record


def test_workable_full_candidate_details() -> None:
    data = payload("workable-candidate-created")
    data["data"].update(
        {
            "location": {
                "location_str": "Austin, Texas, United States",
                "country": "United States",
                "country_code": "US",
                "region": "Texas",
                "city": "Austin",
            },
            "social_profiles": [
                {
                    "type": "github",
                    "name": "GitHub",
                    "username": "csawyers",
                    "url": "https://github.com/csawyers",
                }
            ],
            "experience_entries": [
                {
                    "title": "Operations Manager",
                    "company": "Acme Corp",
                    "start_date": "2019-01-01",
                    "end_date": None,
                    "current": True,
                    "summary": "Ran the office.",
                },
            ],
            "education_entries": [
                {
                    "degree": "BSc",
                    "school": "State University",
                    "field_of_study": "Economics",
                    "start_date": "2008-09-01",
                    "end_date": "2012-06-01",
                },
            ],
            "skills": [{"name": "Scheduling"}, {"name": "scheduling"}, {"name": "Budgets"}],
            "cover_letter": "I would like to apply.",
        }
    )
    event = read_event("workable", data)
    app = to_application("workable", event.record, event.our_id, LIMITS).data
    assert app.location is not None
    assert (app.location.country, app.location.region, app.location.city) == (
        "US",
        "Texas",
        "Austin",
    )
    assert app.links == ["https://github.com/csawyers"]
    role = app.employment[0]
    assert (role.employer, role.start, role.end, role.description) == (
        "Acme Corp",
        "2019-01-01",
        "present",
        "Ran the office.",
    )
    assert app.education[0].degree == "BSc, Economics"
    assert app.skills == ["Scheduling", "Budgets"]
    assert app.cover_letter is not None and app.cover_letter.text == "I would like to apply."


def test_lever_webhook_names_the_opportunity_and_the_api_answer_is_mapped() -> None:
    event = read_event("lever", payload("lever-application-created"))
    assert event.our_id == "lever-e0a4b3e4-0d45-4b7c-9a8e-2f1f6c7d8e90"
    assert event.candidate_ref == "250d8f03-738a-4bba-a671-8a3d73477145"
    assert event.record == {"opportunityId": "250d8f03-738a-4bba-a671-8a3d73477145"}
    assert event.delivery_id == "5f6e0c9a2b7d4e1f8a3c6b9d0e2f4a1c:1711561844000"
    opportunity = payload("lever-api-opportunity")["data"]
    app = to_application("lever", opportunity, event.our_id, LIMITS).data
    assert app.name == "Shane Smith"
    assert app.emails == ["shane.smith@example.com"]
    assert app.phones == ["+1 555 010 4477"]
    assert app.links == ["https://github.com/shane-smith-dev"]
    assert app.received_at is not None and app.received_at.year == 2024


@pytest.mark.parametrize(
    ("vendor", "change", "where"),
    [
        (
            "greenhouse",
            {"payload": {"application": {"candidate": {"id": 1}}}},
            "payload.application.id",
        ),
        ("greenhouse", {"payload": {}}, "payload.application"),
        (
            "greenhouse",
            {"payload": {"application": {"id": "12/../x", "candidate": {"id": 1}}}},
            "payload.application.id",
        ),
        ("ashby", {"data": {"application": {"id": "a1"}}}, "data.application.candidate"),
        ("ashby", {"webhookActionId": None}, "webhookActionId"),
        ("workable", {"data": {"name": "No Id"}}, "data.id"),
        ("workable", {"data": []}, "data"),
        ("lever", {"data": {"opportunityId": "has space"}}, "data.opportunityId"),
    ],
)
def test_a_broken_envelope_names_the_field(
    vendor: str, change: dict[str, object], where: str
) -> None:
    names = {
        "greenhouse": "greenhouse-application-created",
        "ashby": "ashby-application-submit",
        "workable": "workable-candidate-created",
        "lever": "lever-application-created",
    }
    body = {**payload(names[vendor]), **change}
    with pytest.raises(InputError) as info:
        read_event(vendor, body)
    assert [p.field for p in info.value.problems] == [where]


def test_wrongly_typed_vendor_fields_are_named_by_their_vendor_path() -> None:
    data = payload("greenhouse-application-created")
    candidate = data["payload"]["application"]["candidate"]
    candidate["email_addresses"] = "person@example.com"
    candidate["phone_numbers"] = [{"value": {"nested": 1}}]
    event = read_event("greenhouse", data)
    with pytest.raises(InputError) as info:
        to_contract("greenhouse", event.record, event.our_id)
    assert [p.field for p in info.value.problems] == [
        "payload.application.candidate.email_addresses",
        "payload.application.candidate.phone_numbers[0].value",
    ]


def test_contract_problems_are_named_by_contract_path() -> None:
    data = payload("greenhouse-application-created")
    data["payload"]["application"]["candidate"]["educations"][0]["end_date"] = "13/45/2011"
    event = read_event("greenhouse", data)
    with pytest.raises(InputError) as info:
        to_application("greenhouse", event.record, event.our_id, LIMITS)
    assert [p.field for p in info.value.problems] == ["education[0].end"]


def test_a_candidate_without_a_name_cannot_be_screened() -> None:
    data = payload("ashby-application-submit")
    del data["data"]["application"]["candidate"]["name"]
    event = read_event("ashby", data)
    with pytest.raises(InputError) as info:
        to_application("ashby", event.record, event.our_id, LIMITS)
    assert [p.field for p in info.value.problems] == ["name"]


def test_limits_apply_to_mapped_applications() -> None:
    data = payload("workable-candidate-created")
    data["data"]["summary"] = "x" * (LIMITS.max_text_chars + 10)
    event = read_event("workable", data)
    with pytest.raises(InputError, match=r"limits\.max_text_chars"):
        to_application("workable", event.record, event.our_id, LIMITS)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)
KEYS = [
    "first_name",
    "last_name",
    "email_addresses",
    "phone_numbers",
    "addresses",
    "employments",
    "educations",
    "name",
    "emails",
    "phones",
    "links",
    "createdAt",
    "primaryEmailAddress",
    "socialLinks",
    "location",
    "experience_entries",
    "skills",
]


@settings(max_examples=200, deadline=None)
@given(
    vendor=st.sampled_from(list(VENDORS)),
    fields=st.dictionaries(st.sampled_from(KEYS), JSON, max_size=8),
    extra=JSON,
)
def test_hostile_records_only_ever_raise_input_errors(
    vendor: str, fields: dict[str, object], extra: object
) -> None:
    record: dict[str, object] = {**fields, "candidate": copy.deepcopy(fields), "x": extra}
    with contextlib.suppress(InputError):
        to_application(vendor, record, f"{vendor}-1", LIMITS)


@settings(max_examples=200, deadline=None)
@given(vendor=st.sampled_from(list(VENDORS)), body=JSON)
def test_hostile_envelopes_only_ever_raise_input_errors(vendor: str, body: object) -> None:
    envelope = body if isinstance(body, dict) else {"data": body, "payload": body}
    with contextlib.suppress(InputError):
        read_event(vendor, envelope)


@pytest.mark.parametrize(
    ("name", "ids", "candidate"),
    [
        ("greenhouse-delete-application", ("46194062",), ""),
        ("greenhouse-delete-candidate", ("46196263", "46196258"), "37031511"),
        ("greenhouse-candidate-anonymized", (), "37031511"),
    ],
)
def test_greenhouse_deletions_name_what_to_erase(
    name: str, ids: tuple[str, ...], candidate: str
) -> None:
    event = read_event("greenhouse", payload(name))
    assert event.kind is EventKind.ERASE
    assert event.erase_ids == ids and event.candidate_ref == candidate
    assert event.record == {}  # nothing about the person is kept


@pytest.mark.parametrize(
    ("vendor", "envelope", "ids", "candidate"),
    [
        ("ashby", {"action": "candidateDelete", "data": {"candidate": {"id": "c-1"}}}, (), "c-1"),
        ("lever", {"event": "candidateDeleted", "data": {"opportunityId": "o-1"}}, (), "o-1"),
        ("lever", {"event": "candidateDeleted", "data": {"candidateId": "o-2"}}, (), "o-2"),
        ("workable", {"event_type": "candidate_deleted", "data": {"id": "w1"}}, ("w1",), ""),
    ],
)
def test_other_vendors_deletions_name_what_to_erase(
    vendor: str, envelope: dict[str, Any], ids: tuple[str, ...], candidate: str
) -> None:
    event = read_event(vendor, envelope)
    assert event.kind is EventKind.ERASE
    assert (event.erase_ids, event.candidate_ref) == (ids, candidate)


def test_a_deletion_with_a_hostile_id_is_a_malformed_payload() -> None:
    data = payload("greenhouse-delete-candidate")
    data["payload"]["person"]["deleted_application_ids"] = ["../../etc/passwd"]
    with pytest.raises(InputError, match=r"deleted_application_ids\[0\]"):
        read_event("greenhouse", data)


SR_HEADERS = {"event-name": "application.created", "event-id": "123"}


def test_smartrecruiters_event_is_in_the_headers_and_the_candidate_is_fetched() -> None:
    event = read_event(
        "smartrecruiters", payload("smartrecruiters-application-created"), SR_HEADERS
    )
    assert event.kind is EventKind.APPLICATION
    assert event.our_id == "smartrecruiters-cid.jid" and event.candidate_ref == "cid"
    assert read_event("smartrecruiters", {"id": "x"}, {"event-name": "job.created"}).kind is (
        EventKind.IGNORED
    )
    app = to_application(
        "smartrecruiters", payload("smartrecruiters-api-candidate"), event.our_id, LIMITS
    ).data
    assert app.name == "Jane Smith" and app.emails == ["jane.smith@example.com"]
    assert app.phones == ["+1 555 555 5555"]
    assert app.links == ["https://www.linkedin.com/in/jane-smith-example", "janesmith.example.com"]
    assert [(e.employer, e.start, e.end) for e in app.employment] == [
        ("Example Corp", "2019-02", "present")
    ]
    assert app.education[0].degree == "Bachelor, Computer Science"


def test_teamtailor_application_is_fetched_with_its_candidate() -> None:
    event = read_event("teamtailor", payload("teamtailor-job-application-create"))
    assert (event.kind, event.our_id) == (EventKind.APPLICATION, "teamtailor-40412345")
    assert event.delivery_id == "job_application.create:40412345"
    answer = payload("teamtailor-api-job-application")
    record = {
        "candidate_ref": "7654321",
        "created_at": answer["data"]["attributes"]["created-at"],
        "candidate": answer["included"][0]["attributes"],
    }
    app = to_application("teamtailor", record, event.our_id, LIMITS).data
    assert app.name == "Jane Smith" and app.phones == ["+15555555555"]
    assert app.cover_letter is not None and "Python" in (app.cover_letter.text or "")

    class Answer:  # the API's answer (HTTP itself is covered by the server tests)
        def __init__(self, answer: object) -> None:
            self.answer = answer

        def send(self, call: ApiCall) -> bytes:
            return json.dumps(self.answer).encode()

        def json(self, call: ApiCall) -> object:
            return self.answer

    snake = copy.deepcopy(answer)
    snake["included"][0]["attributes"] = {"first_name": "Ana", "last_name": "Example"}
    fetch = VENDORS["teamtailor"].fetch
    assert fetch is not None
    fetched = fetch(Answer(snake), Access("teamtailor", api_url="https://t"), {"candidate": "1"})
    assert fetched["candidate_ref"] == "7654321"
    assert to_contract("teamtailor", fetched, "teamtailor-1")["name"] == "Ana Example"


@pytest.mark.parametrize(
    ("event_name", "ids", "candidate"),
    [("job_application.destroy", ("40412345",), ""), ("candidate.destroy", (), "40412345")],
)
def test_teamtailor_destroy_events_erase(
    event_name: str, ids: tuple[str, ...], candidate: str
) -> None:
    data = payload("teamtailor-job-application-create")
    data["payload"]["event_name"] = event_name
    event = read_event("teamtailor", data)
    assert (event.kind, event.erase_ids, event.candidate_ref) == (EventKind.ERASE, ids, candidate)


def test_recruitee_candidate_created_and_deleted() -> None:
    data = payload("recruitee-candidate-created")
    event = read_event("recruitee", data)
    assert (event.our_id, event.delivery_id) == ("recruitee-98765432", "1234567")
    app = to_application(
        "recruitee", payload("recruitee-api-candidate")["candidate"], event.our_id, LIMITS
    ).data
    assert app.name == "Jane Smith" and app.links == [
        "https://www.linkedin.com/in/jane-smith-example"
    ]
    data["event_type"] = "candidate_deleted"
    assert read_event("recruitee", data).candidate_ref == "98765432"
    data["event_type"] = "candidate_moved"
    assert read_event("recruitee", data).kind is EventKind.IGNORED


def test_setup_requests_are_recognised_and_nothing_else_is() -> None:
    sr = VENDORS["smartrecruiters"].handshake
    recruitee = VENDORS["recruitee"].handshake
    assert sr is not None and recruitee is not None
    assert sr({"x-hook-secret": "abc123"}, b"") == {"X-Hook-Secret": "abc123"}
    assert sr({"x-hook-secret": "bad value\r\nX-Injected: 1"}, b"") is None
    assert sr({}, b"{}") is None
    assert recruitee({}, b'{"test":true}') == {} and recruitee({}, b'{"test": true}') == {}
    assert recruitee({}, b'{"test":true,"payload":{}}') is None
    assert recruitee({}, b"not json") is None
