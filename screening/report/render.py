"""Stage 6 of 6 (report): ``Screening`` -> HTML, Markdown or JSON text.

The last stage of the flow. Every format renders the same ``ReportView`` (view.py); JSON is
built from it in json_report.py, HTML and Markdown through the Jinja templates in ``templates/``.

One Jinja ``Environment`` per templates directory, created on first use and kept for the life
of the process, with ``auto_reload`` off: each template is compiled once, which is what keeps a
render within a few milliseconds. HTML templates are autoescaped (candidate text is hostile);
Markdown templates escape candidate text with the ``md`` filter (markdown.py). ``StrictUndefined``
turns a misspelt view field into an error instead of a silently blank report.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from screening import resources
from screening.errors import UsageError
from screening.model.screening import Screening
from screening.report.json_report import view_to_json_dict
from screening.report.markdown import md_escape
from screening.report.view import ReportView, build_view

Format = Literal["html", "md", "md-summary", "json"]
FORMATS: tuple[Format, ...] = ("html", "md", "md-summary", "json")

_TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2", "md-summary": "report-summary.md.j2"}


def render(screening: Screening, fmt: Format, *, templates: Path | None = None) -> str:
    """One screening as a report in ``fmt``; ``templates`` replaces the shipped template folder."""
    return render_formats(screening, (fmt,), templates=templates)[fmt]


def render_formats(
    screening: Screening, formats: Sequence[Format], *, templates: Path | None = None
) -> dict[Format, str]:
    """The screening in several formats, building the view-model once for all of them."""
    view = build_view(screening)
    return {fmt: render_view(view, fmt, templates=templates) for fmt in formats}


def render_view(view: ReportView, fmt: Format, *, templates: Path | None = None) -> str:
    """An already built view-model in ``fmt`` (callers that also need the JSON data build the
    view once and render from it)."""
    if fmt == "json":
        return json.dumps(view_to_json_dict(view), indent=2, ensure_ascii=False) + "\n"
    name = _TEMPLATES.get(fmt)
    if name is None:
        raise UsageError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    return template(name, templates).render(view=view)


def template(name: str, templates: Path | None = None) -> Template:
    """A compiled template from ``templates`` (default: the shipped folder), compiled once."""
    directory = templates if templates is not None else resources.templates_dir()
    return _environment(str(directory)).get_template(name)


@functools.cache
def _environment(directory: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2"),
            disabled_extensions=("md.j2",),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["md"] = md_escape
    return env
