"""Configuration: one ``screening.toml``, environment overrides, secrets never in the file.

Each section that sets up an analyzer takes its defaults from the analyzer's own options
(``DnsOptions``, ``IpOptions``, ``LanguageOptions`` and the analyzers' ``DEFAULT_*``), as
``[limits]`` takes them from ``Limits``, and builds those options by keyword (``options()``): a
default is written once, next to the code that uses it.

Discovery: ``--config FILE``, else ``$SCREENING_CONFIG``, else ``./screening.toml``, else built-in
defaults that work offline. Every key can be set from the environment as
``SCREENING_<SECTION>__<KEY>`` (``SCREENING_SERVER__GREENHOUSE__SECRET`` for nested tables).
Secrets (history secret, API tokens, webhook secrets) are accepted only from the environment or
from a ``*_file`` path, and ``masked()`` hides them for ``screening config show``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from screening.analyze.dns import DnsOptions
from screening.analyze.history.history_analyzer import (
    DEFAULT_MAX_MATCHES,
    DEFAULT_RESUME_SIMILARITY,
)
from screening.analyze.ips import IpOptions
from screening.analyze.language import LanguageOptions
from screening.analyze.phone_lines import DEFAULT_BASE_URL
from screening.analyze.phone_lines.phone_lines_analyzer import (
    DEFAULT_CACHE_DAYS,
    DEFAULT_MAX_LOOKUPS,
)
from screening.analyze.sanctions.index import DEFAULT_NAME_THRESHOLD
from screening.errors import ConfigError, did_you_mean
from screening.lists import ListChoices
from screening.model.limits import Limits
from screening.model.screening import Band

ENV_PREFIX = "SCREENING_"
CONFIG_ENV = "SCREENING_CONFIG"
DEFAULT_FILE = "screening.toml"

DEFAULT_NEXT_STEPS = {
    "low": "No extra checks beyond your standard hiring process.",
    "medium": "Review the findings and confirm the flagged details with the candidate, e.g. "
    "call the phone number given and ask about the points raised.",
    "high": "Verify identity on live video with a government ID, and verify past employment "
    "directly with the employers (not through contacts the candidate supplied) before any offer.",
    "critical": "Pause the process and escalate to security or compliance; verify identity in "
    "person or through a notarised check before any further step.",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesConfig(_Section):
    """Extra rule-pack directories, weight overrides, disabled rule ids and disabled patterns."""

    paths: list[Path] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    disabled: list[str] = Field(default_factory=list)
    # phrase patterns to turn off: a signal ("urgency-pressure") or one pattern ("<signal>.<id>")
    disabled_patterns: list[str] = Field(default_factory=list)

    @field_validator("weights")
    @classmethod
    def _range(cls, v: dict[str, float]) -> dict[str, float]:
        for rule_id, w in v.items():
            if not -1.0 <= w <= 1.0:
                raise ValueError(f"weight of {rule_id} must be between -1 and 1, got {w}")
        return v


class BandsConfig(_Section):
    """Score thresholds (lower bounds) of the bands and the next step recommended for each."""

    medium: float = 25.0
    high: float = 50.0
    critical: float = 75.0
    next_steps: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_NEXT_STEPS))
    # share of rules that must be checkable before a low score may recommend no extra checks
    min_coverage: float = Field(default=0.4, ge=0, le=1)

    @field_validator("next_steps")
    @classmethod
    def _bands(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = set(v) - {b.value for b in Band}
        if unknown:
            raise ValueError(
                f"unknown band(s) {sorted(unknown)}; bands are low, medium, high, critical"
            )
        return {**DEFAULT_NEXT_STEPS, **v}


_LIMITS = Limits()


class LimitsConfig(_Section):
    """Input limits (see ``screening.model.limits.Limits``)."""

    max_file_bytes: int = Field(default=_LIMITS.max_file_bytes, gt=0)
    max_list_items: int = Field(default=_LIMITS.max_list_items, gt=0)
    max_text_chars: int = Field(default=_LIMITS.max_text_chars, gt=0)
    max_depth: int = Field(default=_LIMITS.max_depth, gt=0)
    max_nodes: int = Field(default=_LIMITS.max_nodes, gt=0)
    max_csv_rows: int = Field(default=_LIMITS.max_csv_rows, gt=0)
    max_document_pages: int = Field(default=_LIMITS.max_document_pages, gt=0)
    max_document_chars: int = Field(default=_LIMITS.max_document_chars, gt=0)
    max_archive_bytes: int = Field(default=_LIMITS.max_archive_bytes, gt=0)
    document_timeout_seconds: float = Field(default=_LIMITS.document_timeout_seconds, gt=0)
    screening_seconds: float = Field(default=_LIMITS.screening_seconds, gt=0, le=3600)

    def to_limits(self) -> Limits:
        """The runtime limits."""
        return Limits(**self.model_dump())


_DNS = DnsOptions()
_IP = IpOptions()
_LANGUAGE = LanguageOptions()


class NetworkConfig(_Section):
    """Whether network lookups may run at all, and their time limits."""

    offline: bool = False
    timeout_seconds: float = Field(default=_DNS.timeout, gt=0)
    budget_seconds: float = Field(default=_DNS.budget, gt=0)


def _addresses(values: list[str], what: str, network: bool = False) -> list[str]:
    import ipaddress

    for value in values:
        try:
            ipaddress.ip_network(value, strict=False) if network else ipaddress.ip_address(value)
        except ValueError:
            raise ValueError(f"{value!r} is not {what}") from None
    return values


class DnsConfig(_Section):
    """The DNS analyzer: resolvers (empty: the system's), canaries, limits, cache, blocklists."""

    nameservers: list[str] = Field(default_factory=lambda: list(_DNS.nameservers))
    port: int = Field(default=_DNS.port, gt=0, lt=65536)
    cache_path: Path | None = None
    canaries: list[str] = Field(default_factory=lambda: list(_DNS.canaries), min_length=1)
    max_domains: int = Field(default=_DNS.max_domains, gt=0, le=1000)
    domain_blocklists: list[str] = Field(default_factory=lambda: list(_DNS.domain_blocklists))
    ip_blocklists: list[str] = Field(default_factory=lambda: list(_DNS.ip_blocklists))

    @field_validator("nameservers")
    @classmethod
    def _nameservers(cls, v: list[str]) -> list[str]:
        return _addresses(v, "an IP address")

    def options(self, network: NetworkConfig) -> DnsOptions:
        """The DNS analyzer's options, with the time limits of ``[network]``."""
        return DnsOptions(
            nameservers=tuple(self.nameservers),
            port=self.port,
            timeout=network.timeout_seconds,
            budget=network.budget_seconds,
            canaries=tuple(self.canaries),
            max_domains=self.max_domains,
            domain_blocklists=tuple(self.domain_blocklists),
            ip_blocklists=tuple(self.ip_blocklists),
        )


class IpConfig(_Section):
    """IP databases (MaxMind format) and networks trusted by the organisation (own VPN egress)."""

    country_db: Path | None = None
    city_db: Path | None = None
    asn_db: Path | None = None
    anonymous_db: Path | None = None
    trusted_networks: list[str] = Field(default_factory=list)

    @field_validator("trusted_networks")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        return _addresses(v, "an IP network (CIDR)", network=True)

    def options(self, lists: ListChoices) -> IpOptions:
        """The IP analyzer's options; network lists as ``[lists]`` chooses them."""
        return IpOptions(
            country_db=self.country_db,
            city_db=self.city_db,
            asn_db=self.asn_db,
            anonymous_db=self.anonymous_db,
            trusted_networks=tuple(self.trusted_networks),
            lists=lists,
        )


class PhoneConfig(_Section):
    """Online phone line-type lookups (off by default); the token comes from the environment."""

    provider: Literal["none", "twilio"] = "none"
    account_sid: str | None = None  # or TWILIO_ACCOUNT_SID (read by load_settings)
    auth_token: SecretStr | None = None  # SCREENING_PHONE__AUTH_TOKEN or TWILIO_AUTH_TOKEN
    auth_token_file: Path | None = None
    base_url: str = DEFAULT_BASE_URL
    cache_path: Path | None = None
    cache_days: float = Field(default=DEFAULT_CACHE_DAYS, gt=0)
    max_lookups: int = Field(default=DEFAULT_MAX_LOOKUPS, ge=0, le=50)
    # where a national number (no "+") is read when the application names no country; None: such
    # a number is kept unplaced, with an input note saying so
    default_region: str | None = None

    @field_validator("default_region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        import phonenumbers

        if v is None:
            return None
        code = v.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'US', got {v!r}")
        return code


class ListsConfig(_Section):
    """Reference lists: where updated copies go, mirrors, lists switched off or replaced by the
    organisation's own files, and freshness limits (all keyed by list name as
    ``screening lists show`` prints it)."""

    dir: Path | None = None
    timeout_seconds: float = Field(default=60.0, gt=0)
    urls: dict[str, str] = Field(default_factory=dict)  # "<list>/<file>" -> mirror URL
    disabled: list[str] = Field(default_factory=list)  # e.g. ["astrill-vpn"]
    files: dict[str, list[Path]] = Field(default_factory=dict)  # list -> your own files
    max_age_days: dict[str, float] = Field(default_factory=dict)  # list -> freshness limit

    @field_validator("max_age_days")
    @classmethod
    def _ages(cls, v: dict[str, float]) -> dict[str, float]:
        for name, days in v.items():
            if days <= 0:
                raise ValueError(f"{name}: a freshness limit must be more than 0 days")
        return v

    def choices(self) -> ListChoices:
        """The choices as the list loaders take them."""
        return ListChoices(
            dir=self.dir,
            disabled=frozenset(self.disabled),
            files={name: tuple(paths) for name, paths in self.files.items()},
            max_age_days=dict(self.max_age_days),
        )


class StoreConfig(_Section):
    """Where history and jobs are kept: a SQLite path, or a database URL."""

    path: Path | None = None
    url: str | None = None
    # days a finished job's report (and a failed job's payload) is kept; None: until deleted
    retention_days: float | None = Field(default=None, gt=0)

    def sqlite_path(self) -> Path:
        """The SQLite file: ``path``, a ``sqlite:///`` URL, or the default under the data dir."""
        if self.url:
            if not self.url.startswith("sqlite:///"):
                raise ConfigError(
                    f"[store] url {self.url.split('://', 1)[0]}://...: expected sqlite:///FILE "
                    "or postgresql://USER@HOST:PORT/DATABASE"
                )
            return Path(self.url.removeprefix("sqlite:///"))
        return self.path or default_store_path()


class HistoryConfig(_Section):
    """Reuse detection: keyed hashing (secret from the environment or a file) and thresholds."""

    secret: SecretStr | None = None
    secret_file: Path | None = None
    record: bool = True  # check and batch record every screened application
    # near-duplicate resume text; earlier applications listed per identifier
    resume_similarity: float = Field(default=DEFAULT_RESUME_SIMILARITY, gt=0, le=1)
    max_matches: int = Field(default=DEFAULT_MAX_MATCHES, gt=0, le=1000)
    # days an application's keyed hashes are kept for reuse detection; None: until erased
    retention_days: float | None = Field(default=None, gt=0)


class SanctionsConfig(_Section):
    """Sanctions screening: extra list files and the fuzzy name-match threshold."""

    files: list[Path] = Field(default_factory=list)  # sdn.xml, sdn.csv or FtM JSON lines
    name_threshold: float = Field(default=DEFAULT_NAME_THRESHOLD, ge=70, le=100)
    ofac: bool = True  # screen the OFAC SDN list in use (updated copy or shipped snapshot)


class VendorConfig(_Section):
    """One applicant-tracking system's webhook settings."""

    secret: SecretStr | None = None
    secret_file: Path | None = None
    # during a rotation both the new secret and the previous one are accepted
    previous_secret: SecretStr | None = None
    previous_secret_file: Path | None = None
    # how old a signed timestamp may be (default: the vendor's retry schedule; see ats-vendors.md)
    replay_window_seconds: float | None = Field(default=None, gt=0)
    writeback: bool = False
    api_key: SecretStr | None = None
    api_key_file: Path | None = None
    api_url: str | None = None  # the vendor's API base URL (default: its public API)
    user_id: str | None = None  # who write-back notes are posted as (On-Behalf-Of, member ...)
    api_version: str | None = None  # an API version header the vendor requires (Teamtailor)
    # OAuth client credentials (Greenhouse Harvest v3): the client id; api_key is the secret
    client_id: str | None = None
    auth_url: str | None = None  # the OAuth token endpoint (default: the vendor's)
    # fetch the application's resume through the vendor's API (docs/ats-vendors.md, "Resumes")
    resumes: bool = True
    # further https hosts the vendor's file links may point at (resumes), beyond documented ones
    file_hosts: list[str] = Field(default_factory=list)
    # notes: private to the hiring team where the vendor's API allows it, and only from a band
    note_visibility: Literal["private", "public"] = "private"
    note_min_band: Band = Band.MEDIUM


class ServerConfig(_Section):
    """The webhook receiver, its durable job queue, workers and write-back."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, gt=0, lt=65536)
    api_tokens: SecretStr | None = None
    api_tokens_file: Path | None = None
    tokens_file: Path | None = None  # named, scoped, hashed tokens (`screening tokens create`)
    public_url: str | None = None  # base of report links in write-back notes
    # key of the signed, expiring report links in notes (default: derived from api_tokens)
    link_secret: SecretStr | None = None
    link_secret_file: Path | None = None
    link_days: float = Field(default=30.0, gt=0, le=366)  # how long a note's link opens
    max_body_bytes: int = Field(default=1_000_000, gt=0)
    body_timeout_seconds: float = Field(default=10.0, gt=0)
    header_timeout_seconds: float = Field(default=10.0, gt=0)  # request line and headers
    max_connections: int = Field(default=256, gt=0)  # beyond it: 503 and close
    queue_size: int = Field(default=10_000, gt=0)
    workers: int = Field(default=1, ge=0)
    max_attempts: int = Field(default=5, gt=0)
    retry_base_seconds: float = Field(default=5.0, gt=0)
    retry_max_seconds: float = Field(default=3600.0, gt=0)
    lease_seconds: float = Field(default=300.0, gt=0)
    http_timeout_seconds: float = Field(default=10.0, gt=0)
    # a resume fetched from a vendor must arrive within this time (size: limits.max_file_bytes)
    resume_timeout_seconds: float = Field(default=30.0, gt=0)
    writeback_attempts: int = Field(default=4, gt=0)
    writeback_backoff_seconds: float = Field(default=1.0, ge=0)
    slack_webhook_url: SecretStr | None = None
    slack_webhook_url_file: Path | None = None
    slack_bands: list[Band] = Field(default_factory=lambda: [Band.HIGH, Band.CRITICAL])
    failure_note: bool = False  # post "could not screen" on a job given up (write-back vendors)
    # one table per ATS, written ``[server.<vendor>]``; the names are checked against the vendor
    # table when the server starts (``screening.server.options``), so config knows no vendor
    vendors: dict[str, VendorConfig] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _vendor_tables(cls, data: Any) -> Any:
        """``[server.<vendor>]`` tables (and ``SCREENING_SERVER__<VENDOR>__*``) into ``vendors``."""
        if not isinstance(data, Mapping):
            return data
        out = dict(data)
        vendors = dict(out.pop("vendors", None) or {})
        tables = [k for k, v in out.items() if k not in cls.model_fields and isinstance(v, Mapping)]
        for key in tables:
            vendors[key] = out.pop(key)
        out["vendors"] = vendors
        return out


class UiConfig(_Section):
    """The reviewer console under ``/ui/`` of ``screening serve``: sessions and sign-in."""

    enabled: bool = True
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    # Secure cookies need HTTPS (browsers also accept them on http://localhost); switch off
    # only for a plain-HTTP test setup
    cookie_secure: bool = True
    login_attempts: int = Field(default=5, gt=0, le=1000)  # failed sign-ins per window
    login_window_seconds: float = Field(default=300.0, gt=0)
    # single sign-on: the header a trusted reverse proxy (oauth2-proxy ...) sets to the
    # signed-in person's name, accepted only from ``trusted_proxies``
    trusted_user_header: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{1,64}$")
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    admins: list[str] = Field(default_factory=list)  # proxy-signed-in people with admin role


class LanguageConfig(_Section):
    """The language analyzer: spaCy pipeline, text size bounds, extra known-template files."""

    # "blank" (rule-based, no download) or an installed trained pipeline such as en_core_web_sm
    pipeline: str = Field(default=_LANGUAGE.pipeline, pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
    # how much of each text, and of all texts together, the analyzer reads (the rest is cut, with
    # a note); [limits] max_text_chars is different: a longer input field refuses the file
    analyzed_chars_per_text: int = Field(default=_LANGUAGE.analyzed_chars_per_text, gt=0)
    analyzed_chars_total: int = Field(default=_LANGUAGE.analyzed_chars_total, gt=0)
    templates: list[Path] = Field(default_factory=list)

    def options(self) -> LanguageOptions:
        """The language analyzer's options (its patterns come from the pack loader)."""
        return LanguageOptions(
            pipeline=self.pipeline,
            analyzed_chars_per_text=self.analyzed_chars_per_text,
            analyzed_chars_total=self.analyzed_chars_total,
            template_files=tuple(self.templates),
        )


class Settings(_Section):
    """The whole effective configuration."""

    rules: RulesConfig = Field(default_factory=RulesConfig)
    bands: BandsConfig = Field(default_factory=BandsConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    dns: DnsConfig = Field(default_factory=DnsConfig)
    ip: IpConfig = Field(default_factory=IpConfig)
    phone: PhoneConfig = Field(default_factory=PhoneConfig)
    lists: ListsConfig = Field(default_factory=ListsConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    history: HistoryConfig = Field(default_factory=HistoryConfig)
    sanctions: SanctionsConfig = Field(default_factory=SanctionsConfig)
    language: LanguageConfig = Field(default_factory=LanguageConfig)
    server: ServerConfig = Field(default_factory=ServerConfig)
    ui: UiConfig = Field(default_factory=UiConfig)


# keys holding secrets: refused in the file, accepted from the environment
SECRET_KEYS = frozenset(
    {
        "secret",
        "previous_secret",
        "api_tokens",
        "api_key",
        "slack_webhook_url",
        "auth_token",
        "link_secret",
    }
)


def _secret_in_file(data: Mapping[str, Any], path: str = "") -> list[str]:
    found = []
    for key, value in data.items():
        here = f"{path}.{key}" if path else key
        if isinstance(value, Mapping):
            found.extend(_secret_in_file(value, here))
        elif key in SECRET_KEYS:
            found.append(here)
    return found


def _model_for(path: list[str]) -> type[BaseModel] | None:
    model: type[BaseModel] = Settings
    for part in path:
        field = model.model_fields.get(part)
        if field is None and model is ServerConfig:
            model = VendorConfig  # [server.<vendor>]: any name, checked at server start
            continue
        if field is None:
            return None
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return None
    return model


def _closest(name: str, path: list[str]) -> str:
    model = _model_for(path)
    if model is None:
        return ""
    return did_you_mean(name, model.model_fields)


def _env_value(raw: str, path: list[str]) -> object:
    """Parse an environment value by the target field's type."""
    model = _model_for(path[:-1])
    field = model.model_fields.get(path[-1]) if model else None
    ann = str(field.annotation) if field else ""
    if ann.startswith("list"):
        return [p.strip() for p in raw.split(",") if p.strip()]
    if ann.startswith("dict"):
        out: dict[str, str] = {}
        for part in raw.split(","):
            if part.strip():
                key, sep, val = part.partition("=")
                if not sep:
                    raise ConfigError(
                        f"{'__'.join(path).upper()}: expected key=value pairs, got {part!r}"
                    )
                out[key.strip()] = val.strip()
        return out
    if field is not None and field.annotation is bool:
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(
            f"{ENV_PREFIX}{'__'.join(path).upper()}: expected true or false, got {raw!r}"
        )
    return raw


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """``SCREENING_<SECTION>__<KEY>`` variables as a nested mapping; unknown names are errors."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == CONFIG_ENV:
            continue
        path = [p.lower() for p in name[len(ENV_PREFIX) :].split("__")]
        if len(path) < 2 or not all(path):
            raise ConfigError(
                f"{name}: environment overrides are named {ENV_PREFIX}<SECTION>__<KEY>"
            )
        for depth in range(len(path)):
            model = _model_for(path[:depth])
            vendor_table = model is ServerConfig and depth < len(path) - 1
            if model is None or (path[depth] not in model.model_fields and not vendor_table):
                raise ConfigError(
                    f"{name}: unknown setting '{'.'.join(path[: depth + 1])}'"
                    f"{_closest(path[depth], path[:depth])}"
                )
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _env_value(raw, path)
    return out


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


# variables a vendor documents for its own credentials, used when the [section] form is not set
VENDOR_ENV = {
    "TWILIO_ACCOUNT_SID": ("phone", "account_sid"),
    "TWILIO_AUTH_TOKEN": ("phone", "auth_token"),
}


def _vendor_env(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    for name, (section, key) in VENDOR_ENV.items():
        value = environ.get(name)
        table = data.get(section)
        if value and (table is None or (isinstance(table, Mapping) and key not in table)):
            data = _merge(data, {section: {key: value}})
    return data


def find_config_file(explicit: Path | None, environ: Mapping[str, str]) -> Path | None:
    """The file to read: --config, $SCREENING_CONFIG, ./screening.toml, or none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"--config {explicit}: no such file")
        return explicit
    if environ.get(CONFIG_ENV):
        path = Path(environ[CONFIG_ENV])
        if not path.is_file():
            raise ConfigError(f"{CONFIG_ENV}={path}: no such file")
        return path
    local = Path(DEFAULT_FILE)
    return local if local.is_file() else None


def load_settings(
    explicit: Path | None = None, environ: Mapping[str, str] | None = None
) -> tuple[Settings, Path | None]:
    """The effective settings and the file they came from (None: defaults and environment)."""
    environ = os.environ if environ is None else environ
    path = find_config_file(explicit, environ)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from None
        secrets = _secret_in_file(data)
        if secrets:
            key = secrets[0]
            env = ENV_PREFIX + key.replace(".", "__").upper()
            raise ConfigError(
                f"{path}: '{key}' is a secret and may not be written in the file; set {env} "
                f"or point '{key}_file' at a file holding it"
            )
        base_dir = path.resolve().parent
        for i, extra in enumerate(data.get("rules", {}).get("paths", []) or []):
            if isinstance(extra, str) and not Path(extra).is_absolute():
                data["rules"]["paths"][i] = str(base_dir / extra)
    data = _merge(data, env_overrides(environ))
    data = _vendor_env(data, environ)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            loc = [str(p) for p in err["loc"]]
            where = ".".join(loc)
            if err["type"] == "extra_forbidden":
                lines.append(f"unknown setting '{where}'{_closest(loc[-1], loc[:-1])}")
            else:
                lines.append(f"'{where}': {err['msg']}")
        origin = str(path) if path else "environment"
        raise ConfigError(f"{origin}: " + "; ".join(lines)) from None
    return settings, path


def read_secret(value: SecretStr | None, file: Path | None) -> str | None:
    """A secret from its environment value or its file (stripped); None when neither is set."""
    if value is not None:
        return value.get_secret_value()
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read secret file {file}: {exc.strerror}") from None
    return None


def masked(settings: Settings) -> dict[str, Any]:
    """The settings as plain data with every secret replaced by '********' or '(not set)'."""

    def walk(model: BaseModel) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                out[name] = walk(value)
            elif isinstance(value, dict) and all(isinstance(v, BaseModel) for v in value.values()):
                out[name] = {key: walk(v) for key, v in value.items()}
            elif name in SECRET_KEYS:
                out[name] = "********" if value is not None else "(not set)"
            elif isinstance(value, Path):
                out[name] = str(value)
            elif isinstance(value, list):
                out[name] = [str(v) if isinstance(v, Path) else v for v in value]
            else:
                out[name] = value
        return out

    return walk(settings)


def default_store_path() -> Path:
    """The embedded SQLite file under the user's data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("screening", appauthor=False)) / "screening.sqlite3"
