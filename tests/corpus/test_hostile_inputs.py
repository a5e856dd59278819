"""The hostile corpus through ``check``, ``batch`` and the server: exit 0 or 1, clear messages,
no traceback, within the time budget, memory under the cap, never a 500."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.model.limits import Limits

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from make_corpus import generate
from serverkit import SECRETS, TOKEN, Server, base_config, secrets_env

SCREENING = Path(sys.executable).parent / "screening"
BUDGET = Limits().screening_seconds
MEMORY_CAP_BYTES = 300 * 1024 * 1024
INTERNALS = ("Traceback", "set_int_max_str_digits", "object at 0x", 'File "')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    return generate(tmp_path_factory.mktemp("hostile"))


# a small parent process runs the command and reports its children's peak memory (measured in
# the test process itself, it would include the pages a forked child shares with pytest)
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(r.returncode)"
)


def measured(args: list[str]) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``args``; the result (its last stderr line removed) and its peak memory in bytes."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, timeout=300
    )
    *lines, peak = done.stderr.splitlines()
    done.stderr = "\n".join(lines)
    return done, int(peak) * 1024


def clear(text: str) -> None:
    for internal in INTERNALS:
        assert internal not in text


def test_every_file_through_check_in_process(corpus: tuple[list[Path], list[Path]]) -> None:
    files, _ = corpus
    assert len(files) >= 30
    runner = CliRunner()
    for path in files:
        started = time.monotonic()
        result = runner.invoke(
            main, ["check", str(path), "--offline", "--no-record", "--format", "json"]
        )
        elapsed = time.monotonic() - started
        assert result.exit_code in (0, 1), (path.name, result.output[-500:])
        assert result.exception is None or isinstance(result.exception, SystemExit), path.name
        clear(result.output)
        if result.exit_code == 1:
            assert "error: " in result.output, path.name
        # engine build included; the screening itself is bounded by the budget
        assert elapsed < 2 * BUDGET, (path.name, elapsed)


@pytest.mark.slow
def test_the_corpus_through_check_and_batch_as_commands(
    corpus: tuple[list[Path], list[Path]], tmp_path: Path
) -> None:
    files, _ = corpus
    checked, check_peak = measured(
        [str(SCREENING), "check", *map(str, files), "--offline", "--no-record", "-o",
         str(tmp_path / "reports/")]
    )  # fmt: skip
    assert checked.returncode == 1
    clear(checked.stderr)
    for line in checked.stderr.splitlines():  # a report written, or one error line
        assert line.startswith("error: ") or ": score " in line, line[:200]
    batch, batch_peak = measured(
        [str(SCREENING), "batch", str(files[0].parent), "-o", str(tmp_path / "batch"),
         "--offline", "--no-record", "-j", "2"]
    )  # fmt: skip
    assert batch.returncode == 1, batch.stderr[-2000:]
    clear(batch.stderr)
    failed = (tmp_path / "batch" / "failed.txt").read_text(encoding="utf-8")
    clear(failed)
    assert "csv-unterminated-quote.csv:row 3" not in failed  # swallowed rows are read as rows
    assert check_peak < MEMORY_CAP_BYTES and batch_peak < MEMORY_CAP_BYTES


@pytest.mark.slow
def test_the_corpus_through_the_server_never_gets_a_500(
    corpus: tuple[list[Path], list[Path]], tmp_path: Path
) -> None:
    from screening.testing import signed_delivery

    files, bodies = corpus
    env = {**secrets_env(), "SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001"}
    server = Server(tmp_path, base_config(tmp_path / "jobs.sqlite3", workers=1), env).start()
    try:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for path in bodies:
            endpoint = path.name.split("--")[0]
            url = "/applications" if endpoint == "applications" else f"/webhooks/{endpoint}"
            raw = path.read_bytes()
            answer = server.client.post(url, content=raw, headers=auth)
            assert answer.status_code < 500, (path.name, answer.text[:300])
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            if endpoint != "applications" and isinstance(data, dict):
                body, signed = signed_delivery(endpoint, SECRETS[endpoint], data)
                answer = server.client.post(url, content=body, headers=signed)
                assert answer.status_code < 500, (path.name, answer.text[:300])
        for path in files:
            if path.suffix == ".json":
                answer = server.client.post(
                    "/applications", content=path.read_bytes(), headers=auth
                )
                assert answer.status_code < 500, (path.name, answer.text[:300])
        assert server.client.get("/healthz").status_code == 200
        time.sleep(1.0)
        for line in server.logs().splitlines():
            record = json.loads(line)
            assert len(line) <= 2000 and "IIIIIIII" not in line
            assert record.get("level") != "error" or record.get("logger") != "screening.server"
    finally:
        server.stop()
