"""``check -o``: the format follows the suffix or --format; a contradiction is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main

APP = Path(__file__).resolve().parents[2] / "examples" / "genuine-backend-engineer.yml"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    return CliRunner()


def _check(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["check", str(APP), "--no-record", *args])
    return result.exit_code, result.output


def test_a_suffix_that_contradicts_the_format_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    code, out = _check(runner, "-o", str(tmp_path / "r.html"), "--format", "json")
    assert code == 2 and "-o names a .html file but --format is json" in out
    assert not (tmp_path / "r.html").exists()


def test_an_unknown_suffix_needs_a_format(runner: CliRunner, tmp_path: Path) -> None:
    code, out = _check(runner, "-o", str(tmp_path / "r.txt"))
    assert code == 2 and "cannot tell the report format" in out
    code, _ = _check(runner, "-o", str(tmp_path / "r.txt"), "--format", "json")
    assert code == 0 and (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("{")


def test_the_suffix_or_a_matching_format_decides(runner: CliRunner, tmp_path: Path) -> None:
    assert _check(runner, "-o", str(tmp_path / "r.json"))[0] == 0
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("{")
    assert _check(runner, "-o", str(tmp_path / "s.md"), "--format", "md-summary")[0] == 0
    assert "## What was read" not in (tmp_path / "s.md").read_text(encoding="utf-8")


def test_a_folder_gets_a_named_report(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert _check(runner, "-o", str(folder))[0] == 0
    assert [p.suffix for p in folder.iterdir()] == [".html"]
