"""The commands around the history: check and batch record into the configured store, eval uses
a fresh one, and ``screening history stats|forget|export``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from screening.cli import main
from screening.store.jobs import SqliteJobs, delivery_hash
from screening.store.jobs_api import NewJob
from screening.store.secret import secret_path

PERSONA: dict[str, Any] = {
    "name": "Robert Hayes",
    "emails": ["rhayes.dev@example.com"],
    "phones": ["+1 512 555 0147"],
    "location": {"country": "US", "city": "Austin"},
    "payment": {"method": "crypto", "wallets": ["0x" + "5a" * 20]},
}


@pytest.fixture()
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store" / "history.sqlite3"
    monkeypatch.setenv("SCREENING_STORE__PATH", str(path))
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    monkeypatch.delenv("SCREENING_HISTORY__SECRET", raising=False)
    return path


def write(folder: Path, app_id: str, **changes: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{app_id}.yml"
    path.write_text(yaml.safe_dump({"id": app_id, **PERSONA, **changes}), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def check_json(path: Path, *extra: str) -> dict[str, Any]:
    result = run("check", "--format", "json", *extra, str(path))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def finding_ids(report: dict[str, Any]) -> set[str]:
    return {f["id"] for f in report["findings"]}


def test_check_records_and_the_next_persona_is_linked(store_path: Path, tmp_path: Path) -> None:
    first = check_json(write(tmp_path / "apps", "gh-1"))
    assert "identity.contact-shared-across-applicants" not in finding_ids(first)
    assert store_path.exists() and secret_path(store_path).exists()
    second = check_json(write(tmp_path / "apps", "gh-2", name="Daniel Brooks"))
    assert {
        "identity.contact-shared-across-applicants",
        "identity.payment-shared-across-applicants",
    } <= finding_ids(second)
    assert any(s["name"].startswith("history store (history.sqlite3") for s in second["sources"])


def test_no_record_compares_without_recording(store_path: Path, tmp_path: Path) -> None:
    check_json(write(tmp_path / "apps", "gh-1"), "--no-record")
    exported = run("history", "export")
    assert exported.exit_code == 0
    assert exported.output.splitlines() == ["application_id,recorded_at,received_at,score,band"]


def test_stats_forget_and_export(store_path: Path, tmp_path: Path) -> None:
    check_json(write(tmp_path / "apps", "gh-1"))
    check_json(write(tmp_path / "apps", "evil", id="=cmd|' /C calc'!A0", name="Daniel Brooks"))
    stats = run("history", "stats")
    assert stats.exit_code == 0, stats.output
    assert "applications: 2" in stats.output
    assert "phone 2" in stats.output and "wallet 2" in stats.output
    assert f"generated on first use in {secret_path(store_path)} (mode 0600)" in stats.output
    key = secret_path(store_path).read_text().strip()
    assert key not in stats.output
    as_json = json.loads(run("history", "stats", "--format", "json").output)
    assert as_json["applications"] == 2 and key not in json.dumps(as_json)

    exported = run("history", "export")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert list(rows[0]) == ["application_id", "recorded_at", "received_at", "score", "band"]
    assert [r["application_id"] for r in rows] == ["gh-1", "'=cmd|' /C calc'!A0"]
    lines = run("history", "export", "--format", "jsonl").output.splitlines()
    assert [json.loads(line)["application_id"] for line in lines] == [
        "gh-1",
        "=cmd|' /C calc'!A0",
    ]

    forgotten = run("history", "forget", "gh-1")
    assert forgotten.exit_code == 0 and "Erased gh-1" in forgotten.output
    assert b"gh-1" not in store_path.read_bytes()
    assert "applications: 1" in run("history", "stats").output
    missing = run("history", "forget", "gh-1")
    assert missing.exit_code == 1 and "no application 'gh-1'" in missing.output


def test_forgetting_a_webhook_job_alone_compacts_the_file(store_path: Path, tmp_path: Path) -> None:
    check_json(write(tmp_path / "apps", "gh-1"))  # the history exists, without this applicant
    jobs = SqliteJobs(store_path)
    new = NewJob(
        id="greenhouse-77",
        vendor="greenhouse",
        delivery_key=delivery_hash("greenhouse", "event-77"),
        payload={"candidate": {"first_name": "Zora", "last_name": "Quillfeather"}},
    )
    jobs.enqueue(new, limit=10)
    jobs.close()
    result = run("history", "forget", "greenhouse-77")
    assert result.exit_code == 0, result.output
    assert "and the webhook job with its reports" in result.output
    wal = Path(f"{store_path}-wal")
    raw = store_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"greenhouse-77" not in raw and b"Quillfeather" not in raw
    assert [
        r["application_id"] for r in csv.DictReader(io.StringIO(run("history", "export").output))
    ] == ["gh-1"]


def test_a_forgotten_applicant_is_not_recorded_again_and_a_new_id_is(
    store_path: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "apps", "gh-9")
    check_json(path)
    assert run("history", "forget", "gh-9").exit_code == 0
    again = check_json(path)  # the same application screened again: reported, not recorded
    assert any("erased on request" in note for note in again["notes"])
    exported = csv.DictReader(io.StringIO(run("history", "export").output))
    assert [r["application_id"] for r in exported] == []
    check_json(write(tmp_path / "new", "gh-10"))  # submitted again under a new id
    exported = csv.DictReader(io.StringIO(run("history", "export").output))
    assert [r["application_id"] for r in exported] == ["gh-10"]
    assert b"gh-9" not in store_path.read_bytes()


def test_history_commands_before_first_use_create_nothing(store_path: Path) -> None:
    result = run("history", "stats")
    assert result.exit_code == 0 and "No history yet" in result.output
    assert run("history", "forget", "x").exit_code == 1
    assert not store_path.exists()


def test_check_refuses_a_corrupt_store_and_leaves_it(store_path: Path, tmp_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"garbage" * 500)
    result = run("check", str(write(tmp_path / "apps", "gh-1")))
    assert result.exit_code == 1
    assert "not a usable SQLite database" in result.output
    assert store_path.read_bytes() == b"garbage" * 500


def test_batch_workers_record_concurrently(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    for i in range(12):
        write(
            folder,
            f"b-{i:02d}",
            name=f"Person Number{i}",
            phones=[f"+1 512 555 01{i:02d}"],
            emails=[f"p{i}@example.com"],
            payment={"method": "bank"},
        )
    result = run("batch", str(folder), "-o", str(tmp_path / "out"), "--jobs", "3")
    assert result.exit_code == 0, result.output
    exported = run("history", "export").output
    assert sorted(r["application_id"] for r in csv.DictReader(io.StringIO(exported))) == [
        f"b-{i:02d}" for i in range(12)
    ]


def test_eval_uses_a_fresh_store_in_labels_order(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "labelled"
    write(folder, "persona-b", name="Daniel Brooks")
    write(folder, "persona-a")
    write(
        folder,
        "honest",
        name="Ann Lee",
        emails=["ann.lee@example.org"],
        phones=["+1 512 555 0190"],
        payment={"method": "bank"},
    )
    (folder / "labels.csv").write_text(
        "file,label\npersona-a.yml,impostor\npersona-b.yml,impostor\nhonest.yml,genuine\n"
    )
    result = run("eval", str(folder), "--format", "json")
    assert result.exit_code == 0, result.output
    cases = {c["file"]: c for c in json.loads(result.output)["cases"]}
    assert "identity.contact-shared-across-applicants" not in cases["persona-a.yml"]["findings"]
    assert "identity.contact-shared-across-applicants" in cases["persona-b.yml"]["findings"]
    assert not store_path.exists()  # the configured store takes no part
    again = json.loads(run("eval", str(folder), "--format", "json").output)
    assert {c["file"]: c["findings"] for c in again["cases"]} == {
        f: c["findings"] for f, c in cases.items()
    }
