"""Rendering machinery: one Environment per templates folder, strict, escaped, compiled once."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

import screening.report as report
from screening import resources
from screening.errors import UsageError
from screening.model.screening import Screening
from screening.report import render
from screening.report.render import template

SHIPPED = ("report.html.j2", "report.md.j2", "summary.html.j2")


def test_public_api() -> None:
    assert sorted(report.__all__) == sorted(
        [
            "build_view",
            "render",
            "render_formats",
            "render_view",
            "view_to_json_dict",
            "to_json_dict",
            "render_summary_html",
            "summary_csv",
            "SummaryRow",
            "ReportView",
        ]
    )
    for name in report.__all__:
        assert getattr(report, name) is not None


@pytest.mark.parametrize("name", SHIPPED)
def test_templates_are_compiled_once(name: str) -> None:
    assert template(name) is template(name)
    assert template(name).environment is template("report.html.j2").environment


def test_one_environment_per_templates_folder(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text("<p>{{ view.application.name }}</p>\n")
    custom = template("report.html.j2", tmp_path)
    assert custom.environment is not template("report.html.j2").environment
    assert custom.environment is template("report.html.j2", tmp_path).environment


def test_html_is_autoescaped_and_markdown_is_not(tmp_path: Path, screening: Screening) -> None:
    (tmp_path / "report.html.j2").write_text("{{ view.application.name }}\n")
    (tmp_path / "report.md.j2").write_text(
        "{{ view.application.name }}|{{ view.application.name|md }}\n"
    )
    screening.application = type(screening.application)("a-1", "<b>*x*</b>")
    assert render(screening, "html", templates=tmp_path) == "&lt;b&gt;*x*&lt;/b&gt;\n"
    assert render(screening, "md", templates=tmp_path) == "<b>*x*</b>|\\<b\\>\\*x\\*\\</b\\>\n"


def test_misspelt_field_is_an_error_not_a_blank(tmp_path: Path, screening: Screening) -> None:
    (tmp_path / "report.html.j2").write_text("{{ view.aplication.name }}\n")
    with pytest.raises(UndefinedError):
        render(screening, "html", templates=tmp_path)


def test_unknown_format_is_a_usage_error(screening: Screening) -> None:
    with pytest.raises(UsageError, match="unknown report format 'pdf'"):
        render(screening, "pdf")  # type: ignore[arg-type]


def test_shipped_templates_have_no_verdict_words() -> None:
    folder = resources.templates_dir()
    for name in SHIPPED:
        text = (folder / name).read_text(encoding="utf-8").lower()
        for word in ("fraud", "reject", "fake"):
            assert word not in text, (name, word)


def test_render_formats_builds_each_format_like_render(screening: Screening) -> None:
    both = report.render_formats(screening, ("html", "json"))
    assert both["html"] == report.render(screening, "html")
    assert both["json"] == report.render(screening, "json")
