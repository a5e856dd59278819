"""A finding points at the data behind it: evidence -> "What was read", in every format."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from screening.config import Settings
from screening.ingest import from_mapping
from screening.model.facts import FactSet, FamilyResult
from screening.model.findings import Evidence
from screening.model.screening import Screening
from screening.normalize import normalize
from screening.pipeline import Engine
from screening.report import render
from screening.report.read_links import ReadLinks, ReadRef
from screening.report.read_view import MAX_LISTED

HOSTILE = '"><img src=x onerror=alert(1)> Acme'


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), offline=True)


@pytest.fixture(scope="module")
def screening(engine: Engine) -> Screening:
    raw = from_mapping(
        {
            "id": "links-1",
            "name": "Ana Souza",
            "emails": ["ana.souza@example.com", "throwaway123@mailinator.com"],
            "location": {"country": "PT", "city": "Porto"},
            "employment": [
                {"employer": HOSTILE, "title": "Dev", "start": "2015-01", "end": "2017-06"},
                {"employer": "Beta Lda", "title": "Dev", "start": "2017-07", "end": "2019-12"},
                {"employer": "Gamma SA", "title": "Lead", "start": "2021-03", "end": "2020-01"},
            ],
        },
        "test",
    )
    return engine.screen(raw)


def _finding(doc: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in doc["findings"] if f["id"] == rule)


def test_json_findings_name_the_read_items_behind_them(screening: Screening) -> None:
    doc = json.loads(render(screening, "json"))
    disposable = _finding(doc, "infrastructure.disposable-email-domain")
    assert disposable["read_refs"] == ["emails[1]"]
    assert doc["read"]["emails"][1] == "throwaway123@mailinator.com"
    dates = _finding(doc, "identity.impossible-dates")
    (count,) = [e for e in dates["evidence"] if e["path"] == "timeline.impossible_date_count"]
    assert count["read_refs"] == ["employment[2]"]  # the role that ends before it starts
    # the employers the rule lists as context link to their rows, but the finding is about one
    assert dates["read_refs"] == ["employment[2]"]
    assert doc["read"]["employment"][2]["employer"] == "Gamma SA"
    for finding in doc["findings"]:
        for key in finding["read_refs"]:
            part, _, index = key.partition("[")
            assert part in doc["read"]
            if index:
                assert int(index.rstrip("]")) < len(doc["read"][part])


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "a" and str(values.get("href", "")).startswith("#"):
            self.hrefs.append(str(values["href"])[1:])


def test_html_links_resolve_both_ways_and_carry_no_candidate_text(screening: Screening) -> None:
    html = render(screening, "html")
    anchors = _Anchors()
    anchors.feed(html)
    assert len(anchors.ids) == len(set(anchors.ids))  # ids are unique
    assert set(anchors.hrefs) <= set(anchors.ids)  # every in-page link lands somewhere
    read_ids = [i for i in anchors.ids if i.startswith("read-")]
    assert all(re.fullmatch(r"read-[a-z-]+(-[0-9]+)?", i) for i in read_ids)
    assert {"read-emails-1", "read-employment-2"} <= set(anchors.hrefs)
    doc = json.loads(render(screening, "json"))
    number = 1 + [f["id"] for f in doc["findings"]].index("infrastructure.disposable-email-domain")
    item = re.search(r'<li id="read-emails-1">(.*?)</li>', html)
    assert item is not None and f'href="#finding-{number}"' in item.group(1)
    assert "cited by" not in re.search(r'<li id="read-emails-0">(.*?)</li>', html).group(1)  # type: ignore[union-attr]
    assert "<img src=x" not in html
    dates = 1 + [f["id"] for f in doc["findings"]].index("identity.impossible-dates")
    cited = re.findall(rf'<tr id="(read-employment-\d)">[^\n]*href="#finding-{dates}"', html)
    assert cited == ["read-employment-2"]


def test_markdown_refers_to_the_read_items(screening: Screening) -> None:
    md = render(screening, "md")
    assert "mailinator.com (see What was read › Emails 2)" in md
    assert "impossible\\_date\\_count: 1 (see What was read › Employment 3)" in md
    assert re.search(r"\| 3 \| Gamma SA \| Lead \| 2021-03 \| 2020-01 \|  \| .*finding \d", md)


def _links(app_fields: dict[str, Any], facts: FactSet | None = None) -> ReadLinks:
    app = normalize(from_mapping({"id": "x", "name": "Ana Souza", **app_fields}, "test"))
    return ReadLinks(app, facts if facts is not None else FactSet())


def test_records_that_do_not_follow_the_list_link_to_the_whole_part() -> None:
    facts = FactSet()
    facts.add("emails", FamilyResult(records={"emails": [{"address": "a@example.com"}]}))
    links = _links({"emails": ["a@example.com", "b@example.com"]}, facts)
    assert links.refs(Evidence("emails.address", "a@example.com")) == (ReadRef("emails"),)


def test_derived_facts_link_by_value_and_unknown_ones_nowhere() -> None:
    links = _links(
        {
            "emails": ["robert.hayes1988@example.com"],
            "links": ["https://www.linkedin.com/in/robert-hayes-3f9a"],
        }
    )
    assert links.refs(Evidence("names.value", "robert.hayes1988")) == (ReadRef("emails", 0),)
    assert links.refs(Evidence("domains.domain", "EXAMPLE.com")) == (ReadRef("emails", 0),)
    assert links.refs(Evidence("names.source", "linkedin")) == (ReadRef("links"),)
    assert links.refs(Evidence("identity.claimed_country", "US")) == (ReadRef("location"),)
    assert links.refs(Evidence("behavior.night_message_share", 0.75)) == ()
    assert links.refs(Evidence("history.other_names", ["US"])) == ()  # too short to identify


def test_items_beyond_the_listed_ones_link_to_their_row(engine: Engine) -> None:
    emails = [f"ana{i}@example.com" for i in range(MAX_LISTED + 4)] + ["x9@mailinator.com"]
    screening = engine.screen(from_mapping({"id": "m", "name": "Ana Souza", "emails": emails}, "t"))
    doc = json.loads(render(screening, "json"))
    disposable = _finding(doc, "infrastructure.disposable-email-domain")
    assert disposable["read_refs"] == [f"emails[{MAX_LISTED + 4}]"]  # JSON keeps the exact item
    html = render(screening, "html")
    assert f'id="read-emails-{MAX_LISTED}"' not in html
    assert f'<a href="#read-emails">Emails {MAX_LISTED + 5}</a>' in html
