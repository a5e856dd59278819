"""The reviewer console puts the threat findings of a report first, as the report formats do."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from screening.model.findings import Category
from screening.report.json_report import to_json_dict
from screening.report.render import template
from screening.server.ui.console import _plain, _what_was_read, anchor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest" / "triage"))


def _report(tmp_path: Path) -> dict[str, object]:
    import hostile

    from screening.ingest import read_path
    from screening.model.application import RawApplication
    from screening.pipeline import Engine

    (tmp_path / "resume.docx").write_bytes(hostile.macro_document())
    app = tmp_path / "application.yml"
    app.write_text("name: Jonathan Miller\nresume: {path: resume.docx}\n", encoding="utf-8")
    from screening.config import LimitsConfig, Settings

    # a generous budget: the first screening of a process may load the language model
    settings = Settings(limits=LimitsConfig(screening_seconds=300))
    engine = Engine.build(settings, offline=True)
    [raw] = read_path(app, engine.limits)
    assert isinstance(raw, RawApplication)
    screening = engine.screen(raw)
    assert any(f.rule.category is Category.THREAT for f in screening.findings)
    return to_json_dict(screening)


def test_the_application_page_warns_before_the_decision_form(tmp_path: Path) -> None:
    report = _report(tmp_path)
    viewer = SimpleNamespace(
        name="bob", csrf="t", admin=False, role=SimpleNamespace(value="reviewer")
    )
    html = template("ui/application.html.j2").render(
        viewer=viewer,
        anchor=anchor,
        plain=_plain,
        app_id="a-1",
        report=report,
        record=SimpleNamespace(vendor="native", accepted_at=None),
        received=lambda moment: "",
        resolutions={},
        resolution_labels={},
        decisions=[],
        decision_labels={},
        audit=[],
        what_was_read=_what_was_read(report),
    )
    assert html.index("Warning: active content in the applicant") < html.index('id="decision"')
    assert "word/vbaProject.bin: VBA project" in html
