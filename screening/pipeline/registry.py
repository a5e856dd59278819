"""The analyzer registry: one factory per fact family, each building its analyzer from settings.

This is the only list of analyzers. The engine runs them in this order, which is also the order
of the checks in a report. Each key is the analyzer's family (``Analyzer.name``), and a family
is named after the main fact namespace it produces. To add an analyzer, write its module under
``screening/analyze/`` and add one entry here (see docs/architecture.md); a user who only wants
an extra family for their own rules passes it to ``Engine.build(extra_analyzers=...)`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from screening.analyze import Analyzer
from screening.analyze.attachments import AttachmentAnalyzer
from screening.analyze.behavior import BehaviorAnalyzer
from screening.analyze.common.lookupcache import LookupCache
from screening.analyze.devices import DeviceAnalyzer
from screening.analyze.dns import DnsAnalyzer, DomainAnalyzer
from screening.analyze.dns.front_companies import FRONT_COMPANY_LIST, load_front_companies
from screening.analyze.documents import DocumentAnalyzer
from screening.analyze.emails import EmailAnalyzer
from screening.analyze.history import HistoryAnalyzer
from screening.analyze.identity import IdentityAnalyzer
from screening.analyze.interview_checks import InterviewCheckAnalyzer
from screening.analyze.ips import IpIntel, IpIntelAnalyzer
from screening.analyze.language import LanguageAnalyzer
from screening.analyze.links import LinkAnalyzer
from screening.analyze.network import NetworkAnalyzer
from screening.analyze.payment import PaymentAnalyzer
from screening.analyze.phone_lines import PhoneLineAnalyzer, TwilioLineTypes
from screening.analyze.phones import PhoneAnalyzer
from screening.analyze.references import ReferenceAnalyzer
from screening.analyze.sanctions import SanctionsAnalyzer
from screening.analyze.timeline import TimelineAnalyzer
from screening.config import Settings, read_secret
from screening.errors import ConfigError
from screening.evaluate import PackSet, load_packs
from screening.resources import rules_dir
from screening.store.history import HistoryStore


@dataclass
class Setup:
    """What a factory may use: the settings and what the engine being built adds to them."""

    settings: Settings
    offline: bool
    history: HistoryStore | None = None
    rule_dirs: tuple[Path, ...] = ()  # extra rule packs (pack lists, patterns)
    packs: PackSet | None = None  # the packs as the engine read them (patterns, list files)

    @property
    def pack_dirs(self) -> tuple[Path, ...]:
        """Every rule-pack directory: shipped, configured, then extra (patterns, pack lists)."""
        return (rules_dir(), *self.settings.rules.paths, *self.rule_dirs)

    @cached_property
    def pack_set(self) -> PackSet:
        """The packs the engine read, else those of ``pack_dirs`` (read once, on first use)."""
        if self.packs is not None:
            return self.packs
        return load_packs(self.pack_dirs, disabled_patterns=self.settings.rules.disabled_patterns)


Factory = Callable[[Setup], Analyzer]


def _sanctions(setup: Setup) -> Analyzer:
    s = setup.settings
    return SanctionsAnalyzer(
        s.sanctions.files,
        s.lists.dir,
        name_threshold=s.sanctions.name_threshold,
        include_ofac=s.sanctions.ofac,
    )


def history_analyzer(settings: Settings, store: HistoryStore | None) -> HistoryAnalyzer:
    """The reuse analyzer on ``store`` (None: no store, the family is skipped)."""
    h = settings.history
    return HistoryAnalyzer(store, resume_similarity=h.resume_similarity, max_matches=h.max_matches)


def _dns(setup: Setup) -> Analyzer:
    dns = setup.settings.dns
    options = dns.options(setup.settings.network)
    return DnsAnalyzer(options, LookupCache("dns_cache", dns.cache_path), offline=setup.offline)


def _ips(setup: Setup) -> Analyzer:
    return IpIntelAnalyzer(IpIntel(setup.settings.ip.options(setup.settings.lists.choices())))


def _phone_lines(setup: Setup) -> Analyzer:
    phone = setup.settings.phone
    return PhoneLineAnalyzer(
        _line_type_provider(setup.settings),
        LookupCache("phone_line_cache", phone.cache_path),
        offline=setup.offline,
        max_lookups=phone.max_lookups,
        cache_days=phone.cache_days,
    )


def _line_type_provider(settings: Settings) -> TwilioLineTypes | None:
    """Twilio when configured; the SID and token from [phone] (``load_settings`` fills them
    from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN when the [phone] forms are not set)."""
    phone = settings.phone
    if phone.provider == "none":
        return None
    sid = phone.account_sid
    token = read_secret(phone.auth_token, phone.auth_token_file)
    if not sid or not token:
        raise ConfigError(
            "[phone] provider is twilio but credentials are missing: set TWILIO_ACCOUNT_SID and "
            "TWILIO_AUTH_TOKEN (or [phone] account_sid and SCREENING_PHONE__AUTH_TOKEN)"
        )
    timeout = settings.network.timeout_seconds
    return TwilioLineTypes(sid, token, base_url=phone.base_url, timeout=timeout)


def _language(setup: Setup) -> Analyzer:
    return LanguageAnalyzer(setup.settings.language.options(), patterns=setup.pack_set.patterns)


FACTORIES: Mapping[str, Factory] = {
    "identity": lambda _: IdentityAnalyzer(),
    "phones": lambda _: PhoneAnalyzer(),
    "emails": lambda _: EmailAnalyzer(),
    "links": lambda _: LinkAnalyzer(),
    "timeline": lambda _: TimelineAnalyzer(),
    "references": lambda _: ReferenceAnalyzer(),
    "documents": lambda _: DocumentAnalyzer(),
    "attachments": lambda setup: AttachmentAnalyzer(setup.settings.lists.dir),
    "payment": lambda _: PaymentAnalyzer(),
    "network": lambda _: NetworkAnalyzer(),
    "behavior": lambda _: BehaviorAnalyzer(),
    "interview_checks": lambda _: InterviewCheckAnalyzer(),
    "devices": lambda _: DeviceAnalyzer(),
    "sanctions": _sanctions,
    "history": lambda setup: history_analyzer(setup.settings, setup.history),
    "domains": lambda setup: DomainAnalyzer(
        max_domains=setup.settings.dns.max_domains,
        front_companies=load_front_companies(setup.pack_set.list_files(FRONT_COMPANY_LIST)),
    ),
    "dns": _dns,
    "ips": _ips,
    "phone_lines": _phone_lines,
    "language": _language,
}


def build_analyzers(
    settings: Settings,
    offline: bool,
    history: HistoryStore | None = None,
    rule_dirs: Sequence[Path] = (),
    *,
    extra: Sequence[Analyzer] = (),
    families: Collection[str] | None = None,
    packs: PackSet | None = None,
) -> list[Analyzer]:
    """Every registered analyzer (or only ``families``), then ``extra``.

    ``packs`` are the rule packs the caller read (``read_packs``: phrase patterns and pack
    lists); without them the packs of ``rule_dirs`` (after the shipped and configured ones) are
    read when a factory needs them.

    An extra analyzer whose family is registered replaces the registered one in place; one with
    a new family runs after the registered ones. Raises ``ConfigError`` for an unknown family in
    ``families`` or two extras of one family.
    """
    unknown = set(families or ()) - set(FACTORIES)
    if unknown:
        raise ConfigError(f"unknown analyzer families: {', '.join(sorted(unknown))}")
    setup = Setup(settings, offline, history, tuple(rule_dirs), packs)
    extras: dict[str, Analyzer] = {}
    for analyzer in extra:
        if analyzer.name in extras:
            raise ConfigError(f"two extra analyzers for the family {analyzer.name!r}")
        extras[analyzer.name] = analyzer
    analyzers: list[Analyzer] = []
    for family, factory in FACTORIES.items():
        if families is not None and family not in families:
            continue
        built = extras.pop(family, None) or factory(setup)
        if built.name != family:
            raise ConfigError(f"the {family!r} factory built an analyzer of {built.name!r}")
        analyzers.append(built)
    return analyzers + list(extras.values())
