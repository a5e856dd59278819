"""ATS and spreadsheet CSV exports are read through header presets, chosen from the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.ingest import IngestFailure, read_bytes
from screening.ingest.csv_columns import load_columns_file, presets
from screening.model.application import RawApplication
from screening.normalize import normalize

GREENHOUSE = (
    "Candidate ID,First Name,Last Name,Company,Title,Email,Phone,Location,LinkedIn Profile,"
    "Job,Stage,Source,Recruiter,Tags,Applied On\n"
    "48213907,Ana,Souza,Nubank,Backend Engineer,ana.souza@example.com,(11) 91234-5678,"
    '"São Paulo, SP, Brasil",https://www.linkedin.com/in/ana-souza,Senior Engineer,'
    "Application Review,LinkedIn,Sam Lee,remote,2025-03-02\n"
    '48213908,Jon,Miller,,,jm@example.org,+1 512 555 0102,"Austin, TX",jonmiller,'
    "Senior Engineer,Phone Screen,Referral,Sam Lee,,2025-03-03\n"
)
LEVER = (
    "Opportunity ID,Contact ID,Name,Email,Phone,Location,Current Company,Current Title,Links,"
    "Posting,Stage,Origin,Sources,Tags,Created At,Archive Reason\n"
    '3f1c2a9e-1,c-77,Priya Raman,priya@example.com,098765 43210,"Bengaluru, India",'
    "Infosys,Engineer,https://github.com/priyar,Platform Engineer,New applicant,applied,"
    "Careers page,,2025-04-11T09:30:00Z,\n"
)
ASHBY = (
    "Candidate ID,Name,Primary Email Address,Additional Email Addresses,Primary Phone Number,"
    "Location,LinkedIn URL,GitHub URL,Job,Current Interview Stage,Application Status,Source,"
    "Application Created At\n"
    "b7e1,Łukasz Wiśniewski,lukasz@example.pl,l.w@example.com,512 345 678,"
    '"Kraków, Polska",https://linkedin.com/in/lukaszw,https://github.com/lwis,Data Engineer,'
    "Onsite,Active,Inbound,2025-05-20T12:00:00Z\n"
)
WORKABLE = (
    "Name,Email,Phone,Address,Headline,Job,Stage,Disqualified,Source,Created on,Tags,Summary,"
    "Social profiles\n"
    'Oluwaseun Adeyemi,seun@example.com,0803 123 4567,"Lagos, Nigeria",Full-stack developer,'
    "Frontend Engineer,Sourced,false,Workable,2025-06-01,,Ten years of web work.,"
    "https://github.com/seuna\n"
)
SPREADSHEET = (
    "Full Name;E-mail;Mobile;City;Country;Notes\n"
    "Hanako Sato;hanako@example.jp;090-1234-5678;Osaka;Japan;Strong interview\n"
)


def _apps(text: str) -> list[RawApplication]:
    results = read_bytes(text.encode(), "export.csv")
    assert not [r for r in results if isinstance(r, IngestFailure)], results
    return [r for r in results if isinstance(r, RawApplication)]


def _note(app: RawApplication, kind: str) -> str:
    return next(n.message for n in app.notes if str(n.kind) == kind)


def test_greenhouse_export() -> None:
    ana, jon = _apps(GREENHOUSE)
    assert _note(ana, "columns") == "columns read with the Greenhouse preset"
    assert ana.data.id == "48213907" and ana.data.name == "Ana Souza"
    assert ana.data.emails == ["ana.souza@example.com"]
    assert ana.data.links == ["https://www.linkedin.com/in/ana-souza"]
    assert ana.data.location is not None
    assert (ana.data.location.city, ana.data.location.region, ana.data.location.country) == (
        "São Paulo",
        "SP",
        "BR",
    )
    assert str(ana.data.received_at.date()) == "2025-03-02"  # type: ignore[union-attr]
    # the national number is placed through the country read from the location
    assert normalize(ana).phones[0].e164 == "+5511912345678"
    assert jon.data.links == ["https://www.linkedin.com/in/jonmiller"]
    assert jon.data.location is not None and jon.data.location.region == "TX"
    assert "ignored" not in {str(n.kind) for n in ana.notes}  # every column is known


def test_lever_export() -> None:
    (priya,) = _apps(LEVER)
    assert _note(priya, "columns") == "columns read with the Lever preset"
    assert priya.data.id == "3f1c2a9e-1" and priya.data.name == "Priya Raman"
    assert priya.data.links == ["https://github.com/priyar"]
    assert priya.data.location is not None and priya.data.location.country == "IN"
    assert normalize(priya).phones[0].e164 == "+919876543210"


def test_ashby_export() -> None:
    (lukasz,) = _apps(ASHBY)
    assert _note(lukasz, "columns") == "columns read with the Ashby preset"
    assert lukasz.data.emails == ["lukasz@example.pl", "l.w@example.com"]
    assert lukasz.data.links == ["https://linkedin.com/in/lukaszw", "https://github.com/lwis"]
    assert lukasz.data.location is not None and lukasz.data.location.country == "PL"
    assert normalize(lukasz).phones[0].e164 == "+48512345678"


def test_workable_export() -> None:
    (seun,) = _apps(WORKABLE)
    assert _note(seun, "columns") == "columns read with the Workable preset"
    assert seun.data.resume is not None and seun.data.resume.text == "Ten years of web work."
    assert seun.data.addresses[0].line1 == "Lagos, Nigeria"
    assert seun.data.links == ["https://github.com/seuna"]


def test_generic_spreadsheet() -> None:
    (hanako,) = _apps(SPREADSHEET)
    assert _note(hanako, "columns") == "columns read with the spreadsheet preset"
    assert hanako.data.name == "Hanako Sato" and hanako.data.interview_notes == ["Strong interview"]
    assert hanako.data.location is not None and hanako.data.location.country == "JP"
    assert _note(hanako, "country") == "'Japan' read as country code JP"
    assert normalize(hanako).phones[0].e164 == "+819012345678"


def test_our_own_header_needs_no_note() -> None:
    (app,) = _apps("name,emails,country\nAna Lima,ana@example.com,BR\n")
    assert app.notes == ()


def test_a_bad_row_still_fails_alone_with_its_header_name() -> None:
    text = GREENHOUSE.replace("2025-03-03", "next week")
    results = read_bytes(text.encode(), "export.csv")
    failed = [r for r in results if isinstance(r, IngestFailure)]
    assert [line for f in failed for line in f.error.lines()] == [
        "export.csv:row 3: Applied On: expected a date and time like 2025-03-02T14:05:00Z, "
        "got 'next week'"
    ]


def test_every_shipped_preset_maps_to_known_columns() -> None:
    assert set(presets()) == {"generic", "greenhouse", "lever", "ashby", "workable"}


def test_columns_file_overrides_the_presets(tmp_path: Path) -> None:
    mapping = tmp_path / "columns.yml"
    mapping.write_text("Candidate: name\nMail: emails\nRef: id\n", encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text("Ref,Candidate,Mail,Stage\nr-1,Ana Lima,ana@example.com,new\n", "utf-8")
    result = CliRunner().invoke(
        main,
        ["check", str(export), "--columns", str(mapping), "--offline", "--no-record",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"id": "r-1"' in result.output and "ana@example.com" in result.output
    assert "columns read with the columns file columns.yml" in result.output
    assert "1 column(s) map to nothing and were not read: Stage" in result.output


def test_a_bad_columns_file_names_the_entry(tmp_path: Path) -> None:
    mapping = tmp_path / "columns.yml"
    mapping.write_text("Candidate: nmae\n", encoding="utf-8")
    with pytest.raises(Exception, match="did you mean 'name'"):
        load_columns_file(mapping)


# Column headings as the vendors document them (docs/csv.md, "Where the presets come from")
LEVER_TEMPLATE = (
    "Full name,Email,Phone,Links,Tags,Sources,Origin,Stage,Lever Posting URL,Resume Filename,"
    "IsSecretNote\n"
    'Priya Raman,"priya@example.com,p.raman@example.org",+91 98765 43210,'
    '"https://github.com/priyar, https://priya.example.in",remote,Careers page,Applied,'
    "New applicant,https://jobs.lever.co/acme/1,PriyaRaman_Resume.pdf,no\n"
)
GREENHOUSE_TEMPLATE = (
    "First Name,Last Name,Company,Title,Notes,Email,Phone,Social Media,Website,Address,Source,"
    "Who Gets Credit,Job,Department,Office\n"
    "Ana,Souza,Nubank,Engineer,Met at a meetup,ana@example.com,+55 11 91234 5678,"
    "https://www.linkedin.com/in/ana-souza,https://ana.example.com,Rua A 1,Referral,Sam Lee,"
    "Backend Engineer,Engineering,São Paulo\n"
)
ASHBY_API_NAMES = (
    "Name,Primary Email Address,Email Addresses,Phone Numbers,Social Links,Location Summary,"
    "Position,Company,School,Profile URL\n"
    "Łukasz Wiśniewski,lukasz@example.pl,l.w@example.com,+48 512 345 678,"
    'https://linkedin.com/in/lukaszw,"Kraków, Polska",Data Engineer,Allegro,AGH,'
    "https://app.ashbyhq.com/candidates/b7e1\n"
)


def test_lever_template_headings_and_comma_separated_lists() -> None:
    (priya,) = _apps(LEVER_TEMPLATE)
    assert _note(priya, "columns") == "columns read with the Lever preset"
    assert priya.data.emails == ["priya@example.com", "p.raman@example.org"]
    assert priya.data.links == ["https://github.com/priyar", "https://priya.example.in"]
    assert "ignored" not in {str(n.kind) for n in priya.notes}


def test_greenhouse_template_headings() -> None:
    (ana,) = _apps(GREENHOUSE_TEMPLATE)
    assert _note(ana, "columns") == "columns read with the Greenhouse preset"
    assert ana.data.links == ["https://www.linkedin.com/in/ana-souza", "https://ana.example.com"]
    assert [a.line1 for a in ana.data.addresses] == ["Rua A 1"]
    assert "ignored" not in {str(n.kind) for n in ana.notes}


def test_ashby_api_field_names() -> None:
    (lukasz,) = _apps(ASHBY_API_NAMES)
    assert _note(lukasz, "columns") == "columns read with the Ashby preset"
    assert lukasz.data.emails == ["lukasz@example.pl", "l.w@example.com"]
    assert lukasz.data.links == ["https://linkedin.com/in/lukaszw"]  # not Ashby's own page
    assert lukasz.data.location is not None and lukasz.data.location.country == "PL"
    assert "ignored" not in {str(n.kind) for n in lukasz.notes}
