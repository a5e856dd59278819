"""A short PDF with only a web link is a lure; one whose only links are contact links is not."""

from screening.ingest.triage import lure

THIN = "Ana Lima\nBackend engineer\nLisbon\n"


def test_a_thin_page_that_links_to_a_web_page_is_a_lure() -> None:
    (found,) = lure(THIN, ["https://docs-viewer.example/open?id=1"], "resume.pdf")
    assert found.kind == "lure_page"
    assert "docs-viewer.example" in found.detail


def test_contact_links_on_a_thin_resume_are_not_a_lure() -> None:
    links = ["mailto:ana@example.org", "tel:+351210000000", "MAILTO:ana@example.org", "#top"]
    assert lure(THIN, links, "resume.pdf") == []


def test_a_web_link_beside_contact_links_still_counts() -> None:
    links = ["mailto:ana@example.org", "https://drive.example/file/d/1/view"]
    (found,) = lure(THIN, links, "resume.pdf")
    assert "drive.example" in found.detail


def test_protected_document_wording_is_a_lure_without_links() -> None:
    (found,) = lure("This document is protected. Click here to view.", [], "cv.pdf")
    assert "protected" in found.detail
