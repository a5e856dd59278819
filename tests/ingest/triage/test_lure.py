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


def test_a_thin_resume_that_links_to_a_portfolio_is_not_a_lure() -> None:
    """A short one-page resume (name, contacts, projects, skills) whose links go to the
    candidate's own sites: dozens of words, so not "almost nothing but a link"."""
    resume = (
        "Ana Lima Web Developer Porto, Portugal ana@example.org +351 912 345 678 "
        "ana-lima.example.dev Projects Shop clone website Chat app Skills HTML CSS JavaScript "
        "React Node.js MongoDB Firebase Languages English Portuguese Interests Astronomy Hiking "
        "References A frontend engineer at Example Lda"
    )
    assert lure(resume, ["https://ana-lima.example.dev/"], "resume.pdf") == []


def test_a_lure_sentence_with_a_link_is_still_a_lure() -> None:
    text = "My resume is hosted online, please open it here: https://cv-share.example/r/81"
    (found,) = lure(text, ["https://cv-share.example/r/81"], "resume.pdf")
    assert "words" in found.detail


def test_protected_document_wording_is_a_lure_without_links() -> None:
    (found,) = lure("This document is protected. Click here to view.", [], "cv.pdf")
    assert "protected" in found.detail
