"""The malicious-package list (shipped seed + ``lists update`` from OSV) and user YARA rules."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from screening.errors import ConfigError
from screening.ingest.triage.packages import MALICIOUS_PACKAGES, lookup, package_source
from screening.ingest.triage.submission import compile_yara, triage_submission
from screening.lists import update
from screening.model.limits import Limits


def test_the_seed_lists_the_fake_recruiter_packages() -> None:
    assert lookup("npm", ["react-plaid-sdk", "react"]) == [("react-plaid-sdk", "MAL-2025-5285")]
    # PyPI names compare the way pip does (case, '-', '_' and '.')
    assert [osv for _, osv in lookup("PyPI", ["GraphDict"])] == ["MAL-2025-6515"]
    assert lookup("PyPI", ["requests"]) == []


def _osv_zip(records: list[dict[str, object]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return out.getvalue()


def test_lists_update_reads_osv_malicious_records(tmp_path: Path) -> None:
    npm = _osv_zip(
        [
            {"id": "MAL-2099-1", "affected": [{"package": {"ecosystem": "npm", "name": "evil-x"}}]},
            {"id": "GHSA-xxxx", "affected": [{"package": {"ecosystem": "npm", "name": "lodash"}}]},
        ]
    )
    pypi = _osv_zip(
        [{"id": "MAL-2099-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "Evil_Y"}}]}]
    )
    served = {"npm": npm, "PyPI": pypi}

    def fetch(url: str, timeout: float, max_bytes: int) -> bytes:
        return served[url.rsplit("/", 2)[-2]]

    [result] = update([MALICIOUS_PACKAGES.name], lists_dir=tmp_path, fetch=fetch)
    assert result.ok, result.message
    assert result.message == "2 entries"  # only MAL- records; the advisory is not malware
    assert lookup("npm", ["evil-x", "lodash"], tmp_path) == [("evil-x", "MAL-2099-1")]
    assert lookup("PyPI", ["evil-y"], tmp_path) == [("evil-y", "MAL-2099-2")]
    assert lookup("npm", ["react-plaid-sdk"], tmp_path)  # the seed still counts
    assert "OpenSSF" in package_source(tmp_path).name


def test_a_broken_download_keeps_the_previous_list(tmp_path: Path) -> None:
    [result] = update(
        [MALICIOUS_PACKAGES.name], lists_dir=tmp_path, fetch=lambda url, t, m: b"not a zip"
    )
    assert not result.ok
    assert "not a ZIP" in result.message
    assert not (tmp_path / MALICIOUS_PACKAGES.name / "osv-malicious-npm.csv").exists()


def test_user_yara_rules_match_submission_files(tmp_path: Path) -> None:
    pytest.importorskip("yara")
    rules = tmp_path / "mine.yar"
    rules.write_text('rule beaver_tail_marker { strings: $a = "keytar" condition: $a }\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "index.js").write_text("const k = require('keytar');\n")
    (repo / "other.js").write_text("console.log('hello');\n")
    triage = triage_submission(repo, Limits(), compile_yara([rules]))
    assert triage.of("yara") == ["index.js: rule beaver_tail_marker"]


def test_unusable_yara_rules_are_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("yara")
    rules = tmp_path / "broken.yar"
    rules.write_text("rule { nope")
    with pytest.raises(ConfigError, match="cannot compile the YARA rules"):
        compile_yara([rules])
