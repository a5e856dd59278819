"""Domain names offline: roles, validity, punycode and look-alike characters, hostile input."""

from __future__ import annotations

import os
import string
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netsupport import app, records

from screening.analyze.base import AnalysisContext
from screening.analyze.common.lookalike import lookalike_of
from screening.analyze.dns import DomainAnalyzer
from screening.analyze.dns.domain_names import MAX_NAME_CHARS, examine
from screening.model.facts import CheckStatus

CTX = AnalysisContext()


def by_domain(result: object) -> dict[str, dict[str, object]]:
    return {str(r["domain"]): r for r in records(result, "domains")}  # type: ignore[arg-type]


def test_cyrillic_letters_imitating_a_brand_are_reported() -> None:
    result = DomainAnalyzer().analyze(app(emails=["jordan@g\u043e\u043egle.com"]), CTX)
    (rec,) = records(result, "domains")
    assert str(rec["domain"]).startswith("xn--") and rec["punycode"] is True
    assert rec["unicode"] == "g\u043e\u043egle.com"
    assert rec["mixed_script"] is True
    assert rec["confusables"] == ["\u043e looks like o (U+043E)"]
    assert rec["skeleton"] == "google.com" and rec["imitates"] == "google.com"


def test_one_confusables_table_serves_homoglyphs_and_brand_lookalikes() -> None:
    # ASCII look-alikes make a brand look-alike, but are not homoglyphs of the domains family
    plain = examine("g00gle.com")
    assert plain.confusables == () and plain.skeleton is None and plain.imitates is None
    assert lookalike_of("g00gle.com") == "google.com"
    assert lookalike_of("rnicrosoft.com") == "microsoft.com"
    # a Cyrillic о and a digit zero: the homoglyph is reported, the name still reads as google
    both = examine("g0\u043egle.com")
    assert both.confusables == ("\u043e looks like o (U+043E)",)
    assert both.skeleton == "g0ogle.com" and both.imitates == "google.com"
    assert lookalike_of("g0\u043egle.com") is None  # Unicode look-alikes are counted once, here


@pytest.mark.slow
def test_a_lookalike_names_the_brands_main_domain_in_every_process() -> None:
    code = (
        "from screening.analyze.common.lookalike import lookalike_of;"
        " print(lookalike_of('amaz0n.com'))"
    )
    for seed in ("0", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "amazon.com"  # not aws.amazon.com, whatever the hash seed


def test_a_domain_in_one_script_is_not_mixed() -> None:
    result = DomainAnalyzer().analyze(
        app(links=["https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/"]), CTX
    )
    (rec,) = records(result, "domains")
    assert rec["mixed_script"] is False and rec["imitates"] is None
    assert rec["roles"] == ["website"]


def test_latin_with_japanese_is_not_mixed_script() -> None:
    assert examine("sony-\u30bd\u30cb\u30fc.jp").mixed_script is False


def test_roles_of_one_domain_are_merged() -> None:
    result = DomainAnalyzer().analyze(
        app(
            emails=["jordan@acme.example"],
            employment=[{"employer": "Acme", "website": "https://www.acme.example"}],
            references=[{"name": "Sam Lee", "email": "sam@acme.example"}],
        ),
        CTX,
    )
    assert by_domain(result)["acme.example"]["roles"] == ["email", "employer", "reference"]


def test_bad_names_are_reported_not_raised() -> None:
    long_host = "a" * 5000 + ".example.com"
    result = DomainAnalyzer().analyze(
        app(
            links=[f"https://{long_host}/", "http://192.0.2.7/portfolio", "https://localhost/"],
            employment=[{"employer": "X", "website": "https://" + "b" * 70 + ".example.com"}],
        ),
        CTX,
    )
    reasons = sorted(str(r["invalid_reason"]) for r in records(result, "domains"))
    assert reasons == [
        "a single label, not a domain name",
        "an IP address, not a domain name",
        "has a label longer than 63 characters",
        "longer than 253 characters",
    ]
    assert all(len(str(r["domain"])) <= 81 for r in records(result, "domains"))


def test_thousands_of_domains_are_capped_and_the_cut_reported() -> None:
    emails = [f"user{i}@d{i}.example.org" for i in range(2000)]
    result = DomainAnalyzer(max_domains=50).analyze(app(emails=emails), CTX)
    summary = records(result, "domain_summary")[0]
    assert summary == {"total": 2000, "examined": 50, "truncated": True}
    assert len(records(result, "domains")) == 50
    assert "50 of 2000 domains" in result.reason


def test_no_domains_is_skipped() -> None:
    assert DomainAnalyzer().analyze(app(), CTX).status is CheckStatus.SKIPPED


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "\u043e\u0430\u03bf\u00e9\u4e2d\u200b", max_size=400))
def test_any_text_gives_a_bounded_answer(text: str) -> None:
    name = examine(text)
    assert len(name.domain) <= MAX_NAME_CHARS or not name.valid
    assert len(name.domain) <= 1024
    if name.valid:
        assert name.domain.isascii() and "." in name.domain
        assert all(0 < len(label) <= 63 for label in name.domain.split("."))
    else:
        assert name.invalid_reason
