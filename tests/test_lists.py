"""``screening lists update`` against a real HTTP server on loopback: checksums, validation,
atomic replacement, provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import FileServer

from screening.cli import main
from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve, update


def validate(data: bytes) -> tuple[int, str]:
    lines = data.decode().splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.startswith("entry"):
            raise ListError(f"test list, line {n}: not an entry")
    return len(lines), "2026-11-01"


def spec(base: str, checksum: bool = True) -> ListSpec:
    return register(
        ListSpec(
            name="test-list",
            title="Test list",
            files=(
                ListFile("a.txt", f"{base}/a.txt", f"{base}/a.txt.sha256" if checksum else None),
            ),
            validate=validate,
        )
    )


GOOD = b"entry 1\nentry 2\n"


def test_update_downloads_checks_and_replaces_atomically(
    file_server: FileServer, tmp_path: Path
) -> None:
    file_server.files = {"/a.txt": GOOD, "/a.txt.sha256": hashlib.sha256(GOOD).hexdigest().encode()}
    spec(file_server.url)
    (result,) = update(["test-list"], lists_dir=tmp_path)
    assert result.ok, result.message
    assert resolve("test-list", "a.txt", tmp_path) == tmp_path / "test-list" / "a.txt"
    assert (tmp_path / "test-list" / "a.txt").read_bytes() == GOOD
    i = info("test-list", tmp_path)
    assert (i.entries, i.date, i.shipped) == (2, "2026-11-01", False)
    assert file_server.url in i.source


def test_checksum_mismatch_keeps_the_old_copy(file_server: FileServer, tmp_path: Path) -> None:
    file_server.files = {"/a.txt": GOOD, "/a.txt.sha256": hashlib.sha256(GOOD).hexdigest().encode()}
    spec(file_server.url)
    assert update(["test-list"], lists_dir=tmp_path)[0].ok
    file_server.files = {"/a.txt": b"entry 3\n", "/a.txt.sha256": b"0" * 64}
    (result,) = update(["test-list"], lists_dir=tmp_path)
    assert not result.ok and "does not match the published" in result.message
    assert (tmp_path / "test-list" / "a.txt").read_bytes() == GOOD
    assert not [p for p in (tmp_path / "test-list").iterdir() if p.name.startswith(".a.txt")]


def test_invalid_content_is_refused_naming_the_line(
    file_server: FileServer, tmp_path: Path
) -> None:
    file_server.files = {"/a.txt": b"entry 1\n<html>oops</html>\n"}
    spec(file_server.url, checksum=False)
    (result,) = update(["test-list"], lists_dir=tmp_path)
    assert not result.ok and "line 2: not an entry" in result.message
    assert resolve("test-list", "a.txt", tmp_path) is None


def test_unreachable_source_and_unknown_list(tmp_path: Path) -> None:
    spec("http://127.0.0.1:9", checksum=False)
    (result,) = update(["test-list"], lists_dir=tmp_path, timeout=2)
    assert not result.ok and "download failed" in result.message
    (unknown,) = update(["no-such-list"], lists_dir=tmp_path)
    assert not unknown.ok and "unknown list" in unknown.message


def test_cli_updates_disposable_domains_from_a_mirror(
    file_server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    domains = "\n".join(f"throwaway{i}.example" for i in range(150)).encode()
    file_server.files = {"/disposable.conf": domains}
    monkeypatch.setenv("SCREENING_LISTS__DIR", str(tmp_path))
    monkeypatch.setenv(
        "SCREENING_LISTS__URLS",
        f"disposable-email-domains/disposable_email_blocklist.conf={file_server.url}/disposable.conf",
    )
    result = CliRunner().invoke(main, ["lists", "update", "disposable-email-domains"])
    assert result.exit_code == 0, result.output
    assert "disposable-email-domains: updated: 150 entries" in result.output
    shown = CliRunner().invoke(main, ["lists", "show"])
    assert "Disposable email domains — updated" in shown.output
