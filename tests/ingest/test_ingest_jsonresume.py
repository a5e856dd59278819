"""JSON Resume: a realistic full resume mapped onto the contract, and errors in its own terms."""

from __future__ import annotations

import json
from pathlib import Path

from ingest_samples import lines, one_app, one_failure

from screening.errors import LimitError
from screening.ingest import read_bytes, read_path
from screening.model.limits import Limits

FULL = Path(__file__).parent / "data" / "jsonresume_full.json"


def test_full_resume_maps_onto_the_contract() -> None:
    raw = one_app(read_path(FULL))
    app = raw.data
    assert raw.format == "jsonresume"
    assert app.id == "jsonresume_full"
    assert app.name == "Priya Natarajan"
    assert app.emails == ["priya.natarajan@example.com"]
    assert app.phones == ["+1 555 010 4477"]
    assert app.links == [
        "https://priya.example.org",
        "https://www.linkedin.com/in/priya-natarajan",  # built from network + username
        "https://github.com/pnatarajan",
    ]  # the Mastodon profile has no url and no known pattern: dropped
    assert app.location is not None
    assert (app.location.country, app.location.city, app.location.region) == (
        "US", "San Francisco", "California",
    )  # fmt: skip
    [home] = app.addresses
    assert (home.kind, home.line1, home.line2, home.postal_code, home.city, home.country) == (
        "home", "2712 Broadway St", "Apt 4B", "94115", "San Francisco", "US",
    )  # fmt: skip
    first, second = app.employment
    assert (first.employer, first.title, first.start, first.end, first.website, first.location) == (
        "Northwind Traders", "Senior Backend Engineer", "2019-03", "2024-01-15",
        "https://northwind.example.com", "San Francisco, CA",
    )  # fmt: skip
    assert first.description == (
        "Led the payments platform team.\n"
        "- Cut settlement latency by 40%\n"
        "- Mentored four engineers"
    )
    assert (second.employer, second.start, second.end, second.description) == (
        "Contoso Ltd", "2015", "2019-02", None,
    )  # fmt: skip
    [study] = app.education
    assert (study.institution, study.degree, study.start, study.end) == (
        "University of Example", "Bachelor Computer Science", "2011-09", "2015-06",
    )  # fmt: skip
    # names then keywords, duplicates ('go' after 'Go') removed
    assert app.skills == ["Backend", "Go", "PostgreSQL", "Kafka", "Cloud", "Kubernetes"]
    tomas, mei = app.references
    assert (tomas.name, tomas.email, tomas.phone) == (
        "Tomás Ortega", "tomas.ortega@example.com", "+14155550134",  # region from countryCode
    )  # fmt: skip
    assert (mei.name, mei.email, mei.phone) == ("Mei Chen", None, None)
    [resume] = raw.documents
    assert resume.text == (
        "Senior Backend Engineer\n"
        "Backend engineer with ten years of distributed systems experience."
    )


def test_yaml_json_resume_is_recognised_by_basics() -> None:
    text = b"basics:\n  name: Ana Lima\n  email: ana@example.com\nwork: []\n"
    raw = one_app(read_bytes(text, "ana.yaml"))
    assert (raw.format, raw.data.name, raw.data.emails) == (
        "jsonresume",
        "Ana Lima",
        ["ana@example.com"],
    )


def test_unknown_keys_and_sections_are_ignored() -> None:
    doc = {
        "basics": {"name": "Ana Lima", "pronouns": "she/her", "location": {"planet": "Earth"}},
        "work": [{"name": "Acme", "team": "Core", "x-rating": 5}],
        "hobbies": ["chess"],
    }
    raw = one_app(read_bytes(json.dumps(doc).encode(), "ana.json"))
    assert raw.data.employment[0].employer == "Acme"


def test_untidy_types_are_read_with_a_note_at_the_json_resume_path() -> None:
    text = (
        b"basics:\n"
        b"  name: Ana Lima\n"
        b"  email: {home: a@example.com}\n"
        b"  profiles: {network: GitHub, username: ana}\n"
        b"  location: {countryCode: USA}\n"
        b"work:\n"
        b"  - name: Acme\n"
        b"    startDate: 2019-01\n"
        b"  - name: Beta\n"
        b"    startDate: last year\n"
        b"    highlights: Shipped things\n"
        b"skills: [Python]\n"
    )
    raw = one_app(read_bytes(text, "ana.yml"))
    assert raw.data.emails == ["a@example.com"]
    assert raw.data.links == ["https://github.com/ana"]
    assert raw.data.location is not None and raw.data.location.country == "US"
    assert raw.data.employment[1].start is None
    assert raw.data.employment[1].description == "- Shipped things"
    assert raw.data.skills == ["Python"]
    notes = {(n.field, str(n.kind)) for n in raw.notes}
    assert notes == {
        ("basics.email", "shape"),
        ("basics.profiles", "shape"),
        ("basics.location.countryCode", "country"),
        ("work[0].endDate", "ongoing"),
        ("work[1].startDate", "dropped"),
        ("work[1].highlights", "shape"),
    }


def test_missing_name_is_basics_name() -> None:
    assert lines(read_bytes(b'{"basics": {"email": "a@example.com"}}', "r.json")) == [
        "r.json: basics.name (line 1, column 12): required field is missing"
    ]


def test_limits_apply_to_the_resume_as_written() -> None:
    doc = {"basics": {"name": "Ana Lima"}, "work": [{"name": f"Co {i}"} for i in range(120)]}
    failure = one_failure(read_bytes(json.dumps(doc).encode(), "r.json"))
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        "r.json: work (line 1, column 42): 120 items, the limit is 100 (limits.max_list_items)"
    ]


def test_derived_skills_are_capped_not_refused() -> None:
    skills = [
        {"name": f"Area {i}", "keywords": [f"tool-{i}-{k}" for k in range(5)]} for i in range(5)
    ]
    doc = {"basics": {"name": "Ana Lima"}, "skills": skills}
    raw = one_app(read_bytes(json.dumps(doc).encode(), "r.json", Limits(max_list_items=10)))
    assert raw.data.skills[:7] == ["Area 0", *(f"tool-0-{k}" for k in range(5)), "Area 1"]
    assert len(raw.data.skills) == 10


def test_experience_under_another_tools_name_is_read_as_work_with_a_note() -> None:
    doc = {
        "basics": {"name": "Ana Lima"},
        "experience": [
            {"company": "Acme", "title": "Engineer", "dates": "Jan 2022 - Mar 2024"},
            {"company": "Beta", "roles": [
                {"title": "Lead", "start": "Jun 2020", "end": "Present"},
                {"title": "Dev", "from": "2018", "to": "2020-05", "points": ["Shipped"]},
            ]},
            {"company": "Gamma", "role": "Intern", "date": "July 2016", "stack": ["Go"]},
        ],
    }  # fmt: skip
    raw = one_app(read_bytes(json.dumps(doc).encode(), "ana.json"))
    jobs = [(j.employer, j.title, j.start, j.end) for j in raw.data.employment]
    assert jobs == [
        ("Acme", "Engineer", "2022-01", "2024-03"),
        ("Beta", "Lead", "2020-06", "present"),
        ("Beta", "Dev", "2018", "2020-05"),
        ("Gamma", "Intern", "2016-07", "2016-07"),  # one date: a role of that month, not current
    ]
    assert raw.data.employment[2].description == "- Shipped"
    (read,) = [n for n in raw.notes if n.field == "experience" and str(n.kind) == "shape"]
    assert read.message.startswith("4 entries read as JSON Resume 'work'")
    assert "'company' as name" in read.message and "'dates' as start and end" in read.message
    assert "each of 'roles'" in read.message
    (ignored,) = [n for n in raw.notes if str(n.kind) == "ignored"]
    assert "experience.stack" in ignored.message and "experience," not in ignored.message


def test_reactive_resume_sections_are_read_and_hidden_entries_are_not() -> None:
    items = [
        {"visible": True, "company": "Acme", "position": "Dev", "date": "2019-2021",
         "url": {"label": "", "href": "https://acme.example.com"}},
        {"visible": False, "company": "Hidden Co", "position": "Dev", "date": "2015"},
    ]  # fmt: skip
    doc = {
        "basics": {"name": "Ana Lima"},
        "sections": {
            "experience": {"name": "Experience", "items": items},
            "education": {"items": [{"institution": "Uni", "studyType": "BSc", "date": "2014"}]},
            "skills": {"items": [{"name": "Python", "keywords": ["Django"]}]},
            "profiles": {"items": [{"network": "GitHub", "username": "ana", "url": {"href": ""}}]},
            "awards": {"items": [{"title": "Prize"}]},
        },
        "metadata": {"template": "x"},
    }
    raw = one_app(read_bytes(json.dumps(doc).encode(), "ana.json"))
    assert [(j.employer, j.start, j.end) for j in raw.data.employment] == [("Acme", "2019", "2021")]
    assert raw.data.employment[0].website == "https://acme.example.com"
    assert [(s.institution, s.degree) for s in raw.data.education] == [("Uni", "BSc")]
    assert raw.data.skills == ["Python", "Django"]
    assert raw.data.links == ["https://github.com/ana"]
    fields = {(n.field, str(n.kind)) for n in raw.notes}
    assert ("sections.experience.items", "dropped") in fields  # the hidden entry
    assert {f"sections.{s}.items" for s in ("experience", "education", "skills", "profiles")} <= {
        f for f, kind in fields if kind == "shape"
    }
    (ignored,) = [n for n in raw.notes if str(n.kind) == "ignored"]
    assert "metadata" in ignored.message and "sections" not in ignored.message


def test_other_sections_of_unclear_shape_stay_unread() -> None:
    doc = {
        "basics": {"name": "Ana Lima"},
        "work": [{"name": "Acme", "startDate": "2020"}],
        "experience": [{"name": "Ignored because work is given"}],
        "employment": [{"clients": ["X"], "Projects": []}],
        "sections": ["profile", "work"],
    }
    raw = one_app(read_bytes(json.dumps(doc).encode(), "ana.json"))
    assert [j.employer for j in raw.data.employment] == ["Acme"]
    (ignored,) = [n for n in raw.notes if str(n.kind) == "ignored"]
    assert "experience, employment, sections" in ignored.message


def test_limits_apply_to_sections_read_under_other_names() -> None:
    doc = {
        "basics": {"name": "Ana Lima"},
        "experience": [{"company": f"Co {i}"} for i in range(120)],
    }
    failure = one_failure(read_bytes(json.dumps(doc).encode(), "r.json"))
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        "r.json: experience (line 1, column 48): 120 items, the limit is 100"
        " (limits.max_list_items)"
    ]
