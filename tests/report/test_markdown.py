"""Markdown note for an ATS: candidate text cannot add formatting, links or lines."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from report_fixtures import Spec

from screening.model.findings import Category, Severity
from screening.model.screening import Screening
from screening.report import render
from screening.report.markdown import md_escape

Make = Callable[..., Screening]

# CommonMark plus the GFM table and strikethrough extensions (markdown-it-py ships with rich).
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
INERT = re.compile(r"^<p>(.*)</p>\n$", re.S)
MARKUP_TAGS = re.compile(r"<(?!/?p>)[a-z]", re.I)

ATTACKS = [
    "*bold* and _em_ and __strong__",
    "[verified](https://evil.example)",
    "Jane](https://evil.example) [x",
    "![pixel](https://evil.example/p.png)",
    "<b>html</b> <script>alert(1)</script>",
    "`code` and ``more``",
    "line one\nline two\r\n# heading\n- item",
    "| a | b |\n|---|---|",
    "~~gone~~",
    "https://evil.example and www.evil.example",
    "&lt;entity&gt; &#42;",
    "# heading",
    "1. first",
    "- item",
    "> quote",
    "---",
    "\\*escaped\\*",
]


def rendered_text(source: str) -> str:
    """The HTML a Markdown renderer makes of one escaped value, unwrapped from its paragraph."""
    html = MD.render(source)
    match = INERT.match(html)
    assert match, html
    return match.group(1)


@pytest.mark.parametrize("attack", ATTACKS)
def test_escaped_text_renders_as_plain_text(attack: str) -> None:
    escaped = md_escape(attack)
    assert "\n" not in escaped and "\r" not in escaped
    inner = rendered_text(escaped)
    assert not MARKUP_TAGS.search(inner), inner
    assert "href" not in inner
    expected = " ".join(attack.split("\n")).replace("\r", " ")
    expected = re.sub(r" {2,}", " ", expected)
    unescaped = (
        inner.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )
    assert re.sub(r" {2,}", " ", unescaped) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane *Doe*", "Jane \\*Doe\\*"),
        ("a_b", "a\\_b"),
        ("[x](y)", "\\[x\\]\\(y\\)"),
        ("<i>", "\\<i\\>"),
        ("`x`", "\\`x\\`"),
        ("a\nb", "a b"),
        ("1. x", "1\\. x"),
        ("72.5", "72.5"),
        ("+1 555 0100", "+1 555 0100"),
        ("- x", "\\- x"),
        ("https://x.example", "https:\\/\\/x.example"),
        ("www.x.example", "www\\.x.example"),
        ("plain words", "plain words"),
    ],
)
def test_md_escape_examples(value: str, expected: str) -> None:
    assert md_escape(value) == expected


@given(st.text(max_size=200))
def test_md_escape_is_one_line_and_reversible(text: str) -> None:
    escaped = md_escape(text)
    assert not re.search(r"[\n\r\x0b\x0c\x85\u2028\u2029]", escaped)
    # Only backslashes were added: removing each backslash escape gives the input back, with
    # every run of line breaks and control characters turned into one space.
    flattened = re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]+", " ", text)
    assert re.sub(r"\\(.)", r"\1", escaped) == flattened


@given(st.text(alphabet=st.sampled_from("*_[]()<>`!#-+=|~&:/.w 1\nab"), max_size=40))
def test_md_escape_never_renders_markup(text: str) -> None:
    inner = MD.render(md_escape(text))
    assert not re.search(r"<(?!/?p>)[a-z]", inner.strip(), re.I), inner


def test_note_escapes_candidate_text(make_screening: Make) -> None:
    name = "Jane](https://evil.example) *Doe*\n# Approved"
    spec = Spec(
        "identity.name-mismatch",
        "Name differs between resume and form",
        Category.IDENTITY,
        Severity.MEDIUM,
        0.3,
        (("identity.name", name),),
        f"The resume names {name}.",
    )
    note = render(make_screening(name=name, specs=[spec]), "md-summary")
    assert "Jane\\]\\(https:\\/\\/evil.example\\) \\*Doe\\* \\# Approved" in note
    html = MD.render(note)
    assert "<a " not in html and "<h1>" not in html
    assert html.count("<em>") == 1  # only the closing line the template itself emphasises
    assert "<strong>Name differs between resume and form</strong>" in html


def test_note_contents(screening: Screening) -> None:
    note = render(screening, "md-summary")
    assert "Score **74.3 / 100**, band **high**." in note
    assert "Recommended next step: Verify identity on live video with a document." in note
    assert "Top findings (5 of 8):" in note
    assert note.count("\n- **") == 5
    assert (
        "(+24.4 points, high): The application IP belongs to a VPN provider \\(Astrill\\)." in note
    )
    assert "Rules not evaluated: 1. Analyzers unavailable: 1, skipped: 1." in note
    assert note.rstrip().endswith("_Signals for review; a person decides._")
