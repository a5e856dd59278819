"""Several receivers and workers on one real PostgreSQL database, killed with SIGKILL while they
work: every acknowledged application is screened exactly once, a killed worker's job is screened
by another after the lease, and reuse is found whichever worker screened the earlier
application."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from serverkit import SCREENING, Server, secrets_env

from screening.store.jobs_pg import PostgresJobs

pytestmark = pytest.mark.slow

HISTORY_SECRET = "cluster-history-secret-0123456789abcdef"
LEASE = 3.0


def cluster_config(url: str) -> str:
    return "\n".join(
        [
            "[store]",
            f'url = "{url}"',
            "[network]",
            "offline = true",
            "[server]",
            "workers = 0",
            f"lease_seconds = {LEASE}",
            "retry_base_seconds = 0.1",
            "max_attempts = 3",
            "",
        ]
    )


def env() -> dict[str, str]:
    return {
        **{k: v for k, v in secrets_env().items() if "LEVER" not in k},
        "SCREENING_HISTORY__SECRET": HISTORY_SECRET,
    }


class WorkerProcess:
    """``screening worker`` in a subprocess with its JSON log in a file."""

    def __init__(self, tmp: Path, config: Path, name: str, environ: dict[str, str]) -> None:
        self.log = tmp / f"{name}.log"
        with self.log.open("ab") as handle:
            self.proc = subprocess.Popen(
                [str(SCREENING), "worker", "--config", str(config)],
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=environ,
                cwd=tmp,
            )

    def events(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out

    def busy_with(self) -> str | None:
        """The job of its last attempt when no outcome followed it yet."""
        mine = [e for e in self.events() if e.get("event") in ("attempt", "done", "retry")]
        return mine[-1]["id"] if mine and mine[-1]["event"] == "attempt" else None


def receivers(tmp: Path, url: str) -> list[Server]:
    """Two ``screening serve`` receivers (no workers of their own) on the database."""
    started = []
    for name in ("r1", "r2"):
        (tmp / name).mkdir()
        started.append(Server(tmp / name, cluster_config(url), env()).start("--workers", "0"))
    return started


def stop_all(workers: list[WorkerProcess], servers: list[Server]) -> None:
    for w in workers:
        if w.proc.poll() is None:
            w.proc.terminate()
            w.proc.wait(20)
    for r in servers:
        r.stop()


def post(server: Server, app: dict[str, Any]) -> None:
    answer = server.client.post(
        "/applications", content=json.dumps(app).encode(), headers=server.auth()
    )
    assert answer.status_code == 202 and answer.json()["status"] == "queued", answer.text


def test_receivers_and_workers_killed_mid_job_lose_and_repeat_nothing(
    tmp_path: Path, pg_url: str
) -> None:
    servers = receivers(tmp_path, pg_url)
    workers = [
        WorkerProcess(tmp_path, servers[0].config, f"w{n}", dict(servers[0].env)) for n in range(3)
    ]
    ids = [f"native-c{n}" for n in range(40)]
    try:
        for n in range(20):
            post(servers[n % 2], {"id": f"c{n}", "name": f"Cluster Example{n}"})
        # kill a worker while it holds a job, and a receiver after its deliveries were answered
        # (whichever worker is first seen mid-job: on a loaded machine one worker may still be
        # building its engine while the others take every job)
        deadline = time.monotonic() + 60
        victim_job, victim_worker = None, workers[0]
        while victim_job is None and time.monotonic() < deadline:
            for worker in workers:
                victim_job = worker.busy_with()
                if victim_job is not None:
                    victim_worker = worker
                    break
            else:
                time.sleep(0.01)
        assert victim_job is not None, "no worker was ever seen holding a job"
        victim_worker.proc.send_signal(signal.SIGKILL)
        servers[0].stop(signal.SIGKILL)
        for n in range(20, 40):
            post(servers[1], {"id": f"c{n}", "name": f"Cluster Example{n}"})
        store = PostgresJobs(pg_url)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if store.stats().counts.get(_done(), 0) == len(ids):
                    break
                time.sleep(0.2)
            records = {i: store.get(i) for i in ids}
        finally:
            store.close()
        assert all(r is not None and r.status.value == "done" for r in records.values())
        done = Counter(e["id"] for w in workers for e in w.events() if e.get("event") == "done")
        assert set(done) == set(ids) and set(done.values()) == {1}  # each screened once
        assert not any(e.get("event") == "lease-lost" for w in workers for e in w.events())
        # the killed worker's job was handed to another after the lease: a second attempt
        assert victim_job not in {e["id"] for e in victim_worker.events() if e["event"] == "done"}
        victim = records[victim_job]
        assert victim is not None and victim.attempts == 2
    finally:
        stop_all(workers, servers)


def _done() -> Any:
    from screening.store.jobs_api import JobStatus

    return JobStatus.DONE


def test_reuse_is_found_whichever_worker_screened_the_earlier_application(
    tmp_path: Path, pg_url: str
) -> None:
    servers = receivers(tmp_path, pg_url)
    workers = [
        WorkerProcess(tmp_path, servers[0].config, f"w{n}", dict(servers[0].env)) for n in range(2)
    ]
    contact = {"emails": ["rhayes.dev@example.com"], "phones": ["+1 512 555 0147"]}
    try:
        post(servers[0], {"id": "first", "name": "Robert Hayes", **contact})
        servers[0].wait_status("native-first", "done", timeout=60)
        post(servers[1], {"id": "second", "name": "Daniel Brooks", **contact})
        report = servers[1].wait_status("native-second", "done", timeout=60)
        assert "identity.contact-shared-across-applicants" in {f["id"] for f in report["findings"]}
        ready = servers[1].client.get("/readyz").json()  # workers seen by their heartbeats
        assert ready["status"] == "ready" and ready["workers"] >= 1
    finally:
        stop_all(workers, servers)
