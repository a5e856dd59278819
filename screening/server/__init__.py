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
    import uvicorn

    from screening.pipeline import Engine
    from screening.server import edge, logs
    from screening.server.app import create_app
    from screening.server.options import ServerOptions
    from screening.store.db import hold_server_lock

    options = ServerOptions.from_settings(settings)
    lock = hold_server_lock(options.db_path)  # one server per SQLite file
    Engine.build(settings, rule_dirs, offline=offline)  # bad packs stop the start, not workers
    logs.configure()
    app = create_app(settings, options, rule_dirs=rule_dirs, offline=offline)
    uvicorn.run(
        app,
        host=host or options.host,
        port=port or options.port,
        log_config=logs.uvicorn_log_config(),
        access_log=False,  # a path is request content; the app logs its own events
        server_header=False,
        timeout_keep_alive=5,
        http=edge.protocol(options.header_timeout_seconds, options.max_connections),
        limit_concurrency=options.max_connections,
        h11_max_incomplete_event_size=edge.MAX_HEADER_BYTES,
        backlog=options.max_connections,
    )
    lock.close()
