"""The server's effective options: ``[server]`` settings with secrets read and checked once.

Why a separate, resolved object: secrets come from the environment or ``*_file`` paths, and a
half-configured integration (write-back switched on without an API key, Lever without the key
its thin webhooks need) should stop ``screening serve`` at start with one clear line, not fail
on the first candidate hours later. The result is plain, picklable data handed to every worker
process. Secrets live only here and are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from screening.config import Settings, VendorConfig, default_store_path, read_secret
from screening.errors import ConfigError, did_you_mean
from screening.ingest.ats import VENDORS, Vendor
from screening.ingest.ats.vendor import Access
from screening.model.limits import Limits
from screening.safeload import LoadLimits
from screening.server.tokens import ApiToken, plain_tokens, read_tokens_file
from screening.store.backend import is_postgres, open_job_store
from screening.store.jobs_api import JobStore

VendorOptions = Access  # one vendor's receiver and write-back settings, secrets resolved


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """Everything the app and the workers need from the configuration."""

    host: str
    port: int
    db_path: Path  # the SQLite file, unless store_url names a PostgreSQL database
    store_url: str | None
    api_tokens: tuple[ApiToken, ...]  # names, scopes and hashes; never the tokens
    tokens_file: Path | None
    public_url: str | None
    link_key: bytes | None  # signs report links in notes (None: notes carry no link)
    link_seconds: float
    max_body_bytes: int
    body_timeout_seconds: float
    header_timeout_seconds: float
    max_connections: int
    queue_size: int
    workers: int
    max_attempts: int
    retry_base_seconds: float
    retry_max_seconds: float
    lease_seconds: float
    http_timeout_seconds: float
    resume_timeout_seconds: float
    writeback_attempts: int
    writeback_backoff_seconds: float
    slack_webhook_url: str | None
    slack_bands: frozenset[str]
    failure_note: bool
    vendors: Mapping[str, VendorOptions]
    limits: Limits

    @property
    def load_limits(self) -> LoadLimits:
        """The JSON parser's bounds (``[limits]``) for request bodies and vendor answers."""
        return LoadLimits(max_depth=self.limits.max_depth, max_nodes=self.limits.max_nodes)

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerOptions:
        """Resolve secrets and check that every enabled integration has what it needs."""
        server = settings.server
        url = settings.store.url if is_postgres(settings.store.url) else None
        tokens = read_secret(server.api_tokens, server.api_tokens_file) or ""
        for name in server.vendors:
            if name not in VENDORS:
                raise ConfigError(
                    f"[server.{name}]: no such ATS{did_you_mean(name, VENDORS)}; "
                    f"supported: {', '.join(VENDORS)}"
                )
        vendors = {
            name: _vendor(vendor, server.vendors.get(name) or VendorConfig())
            for name, vendor in VENDORS.items()
        }
        slack = read_secret(server.slack_webhook_url, server.slack_webhook_url_file)
        if slack is not None:
            _check_url(slack, "[server] slack_webhook_url")
        if server.public_url is not None:
            _check_url(server.public_url, "[server] public_url")
        resolved: dict[str, Any] = {
            # with PostgreSQL nothing is kept in this file (the reviewers' store, the audit
            # trail, jobs and history are all in the database)
            "db_path": (settings.store.path or default_store_path())
            if url
            else settings.store.sqlite_path(),
            "store_url": url,
            "api_tokens": plain_tokens([t.strip() for t in tokens.split(",") if t.strip()])
            + (read_tokens_file(server.tokens_file) if server.tokens_file else ()),
            "public_url": server.public_url.rstrip("/") if server.public_url else None,
            "link_key": _link_key(read_secret(server.link_secret, server.link_secret_file), tokens),
            "link_seconds": server.link_days * 86400,
            "slack_webhook_url": slack,
            "slack_bands": frozenset(band.value for band in server.slack_bands),
            "vendors": vendors,
            "limits": settings.limits.to_limits(),
        }
        # every other option is the [server] setting of the same name, as it is
        plain = {f.name: getattr(server, f.name) for f in fields(cls) if f.name not in resolved}
        return cls(**plain, **resolved)


def _link_key(secret: str | None, tokens: str) -> bytes | None:
    """The key of signed report links: ``link_secret``, else one derived from the API tokens
    (rotating them then also retires old links), else none."""
    material = secret or tokens.strip()
    if not material:
        return None
    label = b"screening report links" if secret else b"screening report links from api_tokens"
    return hmac.new(material.encode("utf-8"), label, hashlib.sha256).digest()


def open_store(options: ServerOptions) -> JobStore:
    """The job queue and result store of ``[store]``: PostgreSQL for a ``postgresql://`` URL,
    else the embedded SQLite file (the default ``store_factory``).

    A deployment with its own ``JobQueue``/``ResultStore`` passes its factory to ``create_app``;
    it must be a module-level function, since worker processes receive it by reference.
    """
    return open_job_store(options.db_path, options.store_url)


StoreFactory = Callable[[ServerOptions], JobStore]


def _vendor(vendor: Vendor, config: VendorConfig) -> VendorOptions:
    name = vendor.name
    where = f"[server.{name}]"
    env = f"SCREENING_SERVER__{name.upper()}__"
    secret = read_secret(config.secret, config.secret_file)
    previous = read_secret(config.previous_secret, config.previous_secret_file)
    if previous and not secret:
        raise ConfigError(f"{where}: previous_secret is set but secret is not")
    options = VendorOptions(
        name=name,
        secrets=tuple(s for s in (secret, previous) if s),
        replay_window_seconds=config.replay_window_seconds or vendor.replay_window_seconds,
        writeback=config.writeback,
        api_key=read_secret(config.api_key, config.api_key_file),
        api_url=(config.api_url or vendor.api_url or "").rstrip("/") or None,
        user_id=config.user_id,
        api_version=config.api_version or vendor.api_version,
        note_private=config.note_visibility == "private",
        note_min_band=config.note_min_band.value,
        client_id=config.client_id,
        auth_url=config.auth_url or vendor.auth_url,
        file_hosts=vendor.file_hosts + tuple(h.strip().lower() for h in config.file_hosts),
        resumes=config.resumes,
    )
    fetches = vendor.fetch is not None and options.secret is not None
    needs_api = options.writeback or fetches
    if needs_api and not options.api_key:
        why = "write-back needs an API key"
        if not options.writeback:
            why = (
                f"{vendor.title}'s webhooks carry ids only; fetching the application needs an "
                "API key"
            )
        raise ConfigError(f"{where}: {why}; set {env}API_KEY or api_key_file")
    if options.writeback and vendor.auth_url and not options.client_id:
        raise ConfigError(
            f"{where}: {vendor.title}'s API takes OAuth client credentials; set client_id "
            f"(the client secret goes in {env}API_KEY or api_key_file)"
        )
    if needs_api and not options.api_url:
        raise ConfigError(f"{where}: set api_url (the API base of your {vendor.title} account)")
    for url, key in ((options.api_url, "api_url"), (options.auth_url, "auth_url")):
        if url:
            _check_url(url, f"{where} {key}")
    if options.writeback and vendor.note is None:
        raise ConfigError(f"{where}: {vendor.title} offers no API for notes; remove writeback")
    if options.writeback and vendor.note_user and not options.user_id:
        raise ConfigError(f"{where}: write-back needs user_id, {vendor.note_user}")
    return options


def _check_url(url: str, where: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"{where}: expected an http(s) URL")
