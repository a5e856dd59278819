"""``screening batch`` reads only applications: never its own output, never a document twice."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main

APP = "name: {name}\nemails: [{mail}]\nlocation: {{country: PT}}\n"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    return CliRunner()


def _rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_output_inside_the_input_is_never_read_back(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "ana.yml").write_text(APP.format(name="Ana Souza", mail="ana@example.com"), "utf-8")
    (src / "ben.yml").write_text(APP.format(name="Ben Costa", mail="ben@example.com"), "utf-8")
    out = src / "out"
    for _ in range(2):  # the second run sees the first run's reports, summary.csv, failed.txt
        result = runner.invoke(main, ["batch", str(src), "-o", str(out), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert sorted(r["name"] for r in _rows(out)) == ["Ana Souza", "Ben Costa"]
        assert (out / "failed.txt").read_text(encoding="utf-8") == ""
    # an earlier run written elsewhere and then moved under the input is skipped too
    moved = src / "last-week"
    out.rename(moved)
    result = runner.invoke(main, ["batch", str(src), "-o", str(tmp_path / "o2")])
    assert result.exit_code == 0, result.output
    assert len(_rows(tmp_path / "o2")) == 2


def test_summary_links_every_row_to_its_report(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.yml").write_text(APP.format(name=f"Ana Souza{i}", mail="a@example.com"))
    out = tmp_path / "out"
    assert runner.invoke(main, ["batch", str(src), "-o", str(out)]).exit_code == 0
    parser = _Links()
    parser.feed((out / "summary.html").read_text(encoding="utf-8"))
    reports = sorted(r["report"] for r in _rows(out))
    assert sorted(parser.hrefs) == reports and len(reports) == 3
    assert all((out / href).is_file() for href in parser.hrefs)


def test_a_resume_referenced_by_a_csv_row_is_not_screened_again(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "ana.txt").write_text("Ana Souza\nana@example.com\nDeveloper since 2015\n", "utf-8")
    (src / "other.txt").write_text("Ben Costa\nben@example.com\nTester since 2012\n", "utf-8")
    (src / "export.csv").write_text(
        "name,emails,resume_path\nAna Souza,ana@example.com,ana.txt\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(src), "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sorted(r["name"] for r in _rows(out)) == ["Ana Souza", "Ben Costa"]
