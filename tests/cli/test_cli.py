"""The command line as a user runs it: check, batch, rules, facts, eval, config."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BENIGN = ROOT / "tests" / "corpus" / "benign"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray screening.toml
    keep = {"SCREENING_STORE__PATH", "SCREENING_LISTS__DIR"}  # set per test by conftest
    for name in list(__import__("os").environ):
        if name.startswith("SCREENING_") and name not in keep:
            monkeypatch.delenv(name)
    # the results asserted here must not depend on the machine's resolver
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    return CliRunner()


def test_check_prints_a_markdown_report(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(EXAMPLES / "impostor-many-signals.yml")])
    assert result.exit_code == 0, result.output
    assert "Signals for review" in result.output
    assert "Equipment to Be Shipped to Another Country" in result.output


def test_check_json_follows_the_report_contract(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["check", "--format", "json", str(EXAMPLES / "impostor-many-signals.yml")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "screening/report@1"
    assert report["band"] in ("high", "critical")
    ids = {f["id"] for f in report["findings"]}
    assert {
        "identity.reference-shares-candidate-contact",
        "payment.account-holder-another-person",
        "infrastructure.browser-clock-vs-claimed-timezone",
        "identity.resume-names-another-person",
    } <= ids
    # the score can be recomputed from the weights in the report
    risk, mitigation = 1.0, 1.0
    for f in report["findings"]:
        if f["weight"] > 0:
            risk *= 1 - f["weight"]
        else:
            mitigation *= 1 + f["weight"]
    assert report["score"] == pytest.approx(100 * (1 - risk) * mitigation, abs=0.1)


def test_genuine_example_is_low(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["check", "--format", "json", str(EXAMPLES / "genuine-backend-engineer.yml")]
    )
    report = json.loads(result.stdout)
    assert report["band"] == "low", report["findings"]
    checks = {c["analyzer"]: c["status"] for c in report["checks"]}
    assert checks["documents"] == "ok"  # the DOCX resume was read


def test_check_writes_html_from_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        main, ["check", str(EXAMPLES / "ambiguous-relocating-contractor.yml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    HTMLParser().feed(text)


def test_check_bad_input_names_the_field(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: Ana\nemial: [a@example.com]\nemployment:\n  - {start: last year}\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert (
        "bad.yml: emial (line 2, column 8): unknown field (did you mean 'emails'?)" in result.stderr
    )
    assert "employment[0].start" in result.stderr


def test_check_missing_file_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert runner.invoke(main, ["check"]).exit_code == 2
    assert runner.invoke(main, ["check", "--format", "pdf", "x.yml"]).exit_code == 2


def test_batch_folder_keeps_going_and_ranks(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src, ignore=shutil.ignore_patterns("reports"))
    (src / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    (src / "notes.txt").write_text("", encoding="utf-8")  # an empty document cannot be read
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(src), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output  # something failed, the rest was screened
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))
    assert next(r["id"] for r in rows) == "example-impostor"
    assert len(rows) == 3  # the two resume documents belong to their applications
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    failed = (out / "failed.txt").read_text(encoding="utf-8")
    assert "broken.yml" in failed and "notes.txt" in failed
    reports = sorted(p.suffix for p in (out / "reports").iterdir())
    assert reports == [".html"] * 3 + [".json"] * 3
    assert (out / "summary.html").read_text(encoding="utf-8").count("reports/") >= 3


def test_batch_csv_export(runner: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "id,name,emails,phones,country,timezone\n"
        "c1,Ana Souza,ana@example.com,+351 912 345 678,PT,Europe/Lisbon\n"
        "c2,,nobody@example.com,,US,\n"
        "c3,Jon Miller,jm@mailinator.com;jon@example.com,+1 512 555 0102,US,America/Chicago\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(export), "-o", str(out), "--format", "json"])
    assert result.exit_code == 1
    ids = [
        r["id"]
        for r in csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines())
    ]
    assert sorted(ids) == ["c1", "c3"]
    assert "export.csv:row 3" in (out / "failed.txt").read_text(encoding="utf-8")


def test_rules_list_lint_test(runner: CliRunner) -> None:
    listed = runner.invoke(main, ["rules", "list"])
    assert listed.exit_code == 0
    assert "identity.reference-shares-candidate-contact" in listed.output
    lint = runner.invoke(main, ["rules", "lint"])
    assert lint.exit_code == 0, lint.output
    tested = runner.invoke(main, ["rules", "test"])
    assert tested.exit_code == 0, tested.output
    assert " 0 failed" in tested.stderr


def test_user_pack_disables_and_reweights(runner: CliRunner, tmp_path: Path) -> None:
    pack = tmp_path / "acme"
    pack.mkdir()
    (pack / "pack.yml").write_text(
        "id: acme\ntitle: ACME policy\nversion: 1.0.0\noverrides:\n"
        "  disable: [payment.crypto-salary]\n"
        "  weights: {identity.reference-shares-candidate-contact: 0.9}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        main,
        [
            "check",
            "--format",
            "json",
            "--rules",
            str(pack),
            str(EXAMPLES / "impostor-many-signals.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    findings = {f["id"]: f for f in json.loads(result.stdout)["findings"]}
    assert "payment.crypto-salary" not in findings
    assert findings["identity.reference-shares-candidate-contact"]["weight"] == 0.9
    listed = runner.invoke(main, ["rules", "list", str(pack)])
    assert listed.exit_code == 0


def test_facts_list(runner: CliRunner) -> None:
    result = runner.invoke(main, ["facts", "list", "--format", "json"])
    facts = {f["path"]: f for f in json.loads(result.output)}
    assert facts["phones.line_type"]["type"] == "str"
    assert facts["identity.citizenship"]["sensitive"] is True
    text = runner.invoke(main, ["facts", "list"]).output
    assert "[sensitive: never scored]" in text


def test_eval_on_a_labelled_folder(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "labelled"
    folder.mkdir()
    shutil.copy(EXAMPLES / "impostor-many-signals.yml", folder / "imp.yml")
    shutil.copy(EXAMPLES / "impostor-many-signals-resume.pdf", folder)
    for name in ("us-texas", "vn-hcmc", "kr-seoul-hangul"):
        shutil.copy(BENIGN / f"{name}.yml", folder / f"{name}.yml")
    (folder / "labels.csv").write_text(
        "file,label\nimp.yml,impostor\nus-texas.yml,genuine\nvn-hcmc.yml,genuine\n"
        "kr-seoul-hangul.yml,genuine\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["eval", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recall"] == 1.0 and data["false_positive_rate"] == 0.0
    assert data["rules"]["identity.reference-shares-candidate-contact"] == {
        "impostor": 1,
        "genuine": 0,
    }
    assert [c["file"] for c in data["cases"]] == [
        "imp.yml",
        "us-texas.yml",
        "vn-hcmc.yml",
        "kr-seoul-hangul.yml",
    ]
    text = runner.invoke(main, ["eval", str(folder)]).output
    assert "recall: 100.0%" in text and "false-positive rate: 0.0%" in text


def test_eval_bad_labels(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text(
        "file,label\nx.yml,suspicious\n../y.yml,genuine\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert "row 2.label: expected impostor or genuine, got 'suspicious'" in result.stderr
    assert "row 3.file: must name a file inside the folder" in result.stderr


def test_config_show_masks_secrets(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENING_SERVER__API_TOKENS", "tok-123")
    monkeypatch.setenv("SCREENING_BANDS__HIGH", "60")
    result = runner.invoke(main, ["config", "show"])
    assert result.exit_code == 0
    assert "tok-123" not in result.output and "********" in result.output
    assert '"high": 60.0' in result.output


@pytest.mark.slow
def test_the_installed_command_screens_an_example_offline() -> None:
    exe = Path(sys.executable).with_name("screening")
    example = str(EXAMPLES / "impostor-many-signals.yml")
    result = subprocess.run(
        [str(exe), "check", example, "--format", "md", "--offline"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Signals for review" in result.stdout


def test_configured_limits_reach_the_reader(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "many.yml"
    app.write_text(
        "name: Ana Souza\nemails: [a@example.com, b@example.com, c@example.com]\n", encoding="utf-8"
    )
    monkeypatch.setenv("SCREENING_LIMITS__MAX_LIST_ITEMS", "2")
    result = runner.invoke(main, ["check", str(app)])
    assert result.exit_code == 1
    assert "emails" in result.stderr and "limits.max_list_items" in result.stderr


def test_check_several_files_into_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    twin.mkdir()
    for folder in (tmp_path, twin):  # two files with the same application id
        (folder / "same.yml").write_text("id: same\nname: Ana Souza\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "check",
            "--format",
            "json",
            "-o",
            str(out),
            str(tmp_path / "same.yml"),
            str(twin / "same.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 and all(n.startswith("same-") and n.endswith(".json") for n in written)
