"""The example reports in examples/reports/ are what the code renders today (no drift)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "examples" / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_reports_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = regenerate()
    rendered = module.render_all()
    assert len(rendered) == 3 * len(list((ROOT / "examples").glob("*.yml")))
    assert module.drifted() == [], "run: python examples/regenerate.py"


def test_the_check_names_a_report_that_drifted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    module = regenerate()
    monkeypatch.setattr(module, "REPORTS", tmp_path)  # an empty folder: every report is missing
    assert module.main(["--check"]) == 1
    assert len(module.drifted()) == 3 * len(list((ROOT / "examples").glob("*.yml")))
