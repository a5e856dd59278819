"""The ATS webhook receiver: authenticate, deduplicate, queue; screen in the background.

An orchestrator beside ``pipeline`` and ``cli`` (it may import several stages). Parsing vendor
payloads, and each vendor's signature scheme and API calls, are ingest's job (the vendor table
in ``screening.ingest.ats``); this package receives and queues (``receivers``, ``app``),
screens in worker processes (``worker``, ``processing``), writes results back to the ATS
(``writeback``, ``vendor_api``), exposes metrics (``metrics``) and logs without personal data
(``logs``). The durable queue and result store are the interfaces in
``screening.store.jobs_api``, SQLite by default.

Needs the ``server`` extra (FastAPI, uvicorn); ``screening serve`` runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from screening.config import Settings

__all__ = ["serve"]


def serve(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    rule_dirs: Sequence[Path] = (),
    offline: bool | None = None,
) -> None:
    """Run the server until interrupted (SIGINT/SIGTERM stop it gracefully).

    Configuration and rule packs are checked here, once, so that a mistake stops the command
    with its message instead of every worker process failing in turn.
    """
    import dataclasses

    import uvicorn

    from screening.pipeline import Engine
    from screening.server import edge, logs
    from screening.server.app import create_app
    from screening.server.options import ServerOptions
    from screening.store.db import hold_server_lock

    options = ServerOptions.from_settings(settings)
    # --host/--port win over [server]; the "started" log line says where it listens
    options = dataclasses.replace(options, host=host or options.host, port=port or options.port)
    # one server per SQLite file; any number share a PostgreSQL database
    lock = None if options.store_url else hold_server_lock(options.db_path)
    Engine.build(settings, rule_dirs, offline=offline)  # bad packs stop the start, not workers
    logs.configure()
    app = create_app(settings, options, rule_dirs=rule_dirs, offline=offline)
    uvicorn.run(
        app,
        host=options.host,
        port=options.port,
        log_config=logs.uvicorn_log_config(),
        access_log=False,  # a path is request content; the app logs its own events
        server_header=False,
        timeout_keep_alive=5,
        http=edge.protocol(options.header_timeout_seconds, options.max_connections),
        limit_concurrency=options.max_connections,
        h11_max_incomplete_event_size=edge.MAX_HEADER_BYTES,
        backlog=options.max_connections,
    )
    if lock is not None:
        lock.close()


def work(
    settings: Settings,
    *,
    processes: int = 1,
    rule_dirs: Sequence[Path] = (),
    offline: bool | None = None,
) -> None:
    """Screen jobs from the shared PostgreSQL queue until SIGTERM/SIGINT (``screening worker``).

    One process screens one job at a time; ``processes`` > 1 starts that many and restarts any
    that dies. The job in hand is finished before stopping; a job whose worker was killed is
    handed out again after ``[server] lease_seconds``.
    """
    import dataclasses
    import signal
    import threading

    from screening.errors import UsageError
    from screening.pipeline import Engine
    from screening.server import logs
    from screening.server.options import ServerOptions, open_store
    from screening.server.pgworker import run_pg_worker
    from screening.server.worker import WorkerPool, WorkerSetup, reload_on_sighup, working

    options = ServerOptions.from_settings(settings)
    if not options.store_url:
        raise UsageError(
            "`screening worker` takes jobs from a shared PostgreSQL queue ([store] url = "
            "postgresql://...); with SQLite the workers run inside `screening serve` "
            "([server] workers)"
        )
    Engine.build(settings, rule_dirs, offline=offline)  # bad packs stop the start here
    logs.configure()
    if processes == 1:
        setup = WorkerSetup(settings, options, tuple(rule_dirs), offline, open_store)
        with working(setup, 0) as worker:
            reload_on_sighup(worker)
            run_pg_worker(options.store_url, worker)
        return
    pool = WorkerPool(settings, dataclasses.replace(options, workers=processes), rule_dirs, offline)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, lambda *_: pool.signal(signal.SIGHUP))  # not the default: exit
    pool.start()
    try:
        while not stop.wait(1.0):
            pool.supervise()
    finally:
        pool.stop()
