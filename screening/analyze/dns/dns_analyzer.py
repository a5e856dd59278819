"""DNS facts for the application's domains: existence, mail exchangers, SPF, DMARC, blocklists.

A candidate's email domain that cannot receive mail, or an employer whose domain does not exist,
is a cheap and telling inconsistency, but only if the answer is true: a broken or sinkholed
resolver would make every domain look fake. So the family is ``unavailable`` when the resolver
fails its health check, a question that times out becomes a missing fact (with the domain and
reason) rather than a "no", and offline mode skips the family. Answers are cached in process and,
when ``[dns] cache_path`` is set, on disk across runs.
"""

from __future__ import annotations

import ipaddress
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import TYPE_CHECKING, ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.lookupcache import LookupCache
from screening.analyze.dns.domain_names import ROLES, DomainName, collect_domains
from screening.analyze.dns.domains import DEFAULT_MAX_DOMAINS
from screening.analyze.dns.lookups import (
    MAX_IN_FLIGHT,
    Answer,
    DnspythonResolver,
    Failure,
    Outcome,
    Query,
    ask_all,
    check_health,
)
from screening.analyze.dns.loop import BackgroundLoop
from screening.analyze.ips.ranges import is_public, parse_address
from screening.analyze.ports import DnsResolver
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

if TYPE_CHECKING:
    import asyncio

DEFAULT_CANARIES = ("example.com", "iana.org")
HEALTH_TTL = 300.0
UNHEALTHY_TTL = 60.0  # a sinkholed or rewriting resolver
SILENT_TTL = 5.0  # a resolver that did not answer may only be busy
MAX_BLOCKLIST_IPS = 20
_DMARC_POLICIES = ("none", "quarantine", "reject")


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsOptions:
    """How the DNS analyzer asks (``[dns]`` and ``[network]``; the defaults live only here)."""

    nameservers: tuple[str, ...] = ()  # resolvers to ask; empty: the system's
    port: int = 53
    timeout: float = 2.0  # seconds for one question ([network] timeout_seconds)
    budget: float = 10.0  # seconds for one application's questions ([network] budget_seconds)
    canaries: tuple[str, ...] = DEFAULT_CANARIES  # names that must resolve: a resolver check
    max_domains: int = DEFAULT_MAX_DOMAINS  # domains looked up per application
    domain_blocklists: tuple[str, ...] = ()  # DNSBL zones for domains, e.g. dbl.spamhaus.org
    ip_blocklists: tuple[str, ...] = ()  # DNSBL zones for addresses, e.g. zen.spamhaus.org


@dataclass(frozen=True, slots=True)
class _Plan:
    """The questions for one domain; addresses are asked only where they decide something."""

    mx: Query
    a: Query
    aaaa: Query
    txt: Query
    dmarc: Query | None
    blocklists: tuple[tuple[str, Query | None], ...]
    website: bool  # an employer or personal website: whether it has an address matters

    def needed(self, outcomes: dict[Query, Outcome]) -> list[Query]:
        """The questions to ask given the answers so far (a second round asks addresses)."""
        out = [self.mx, self.txt]
        if self.dmarc:
            out.append(self.dmarc)
        out += [q for _, q in self.blocklists if q]
        mx, a = outcomes.get(self.mx), outcomes.get(self.a)
        no_mx = isinstance(mx, Answer) and mx.status == "nodata"  # implicit MX: the address
        if self.website or no_mx:
            out.append(self.a)
        if no_mx or (self.website and isinstance(a, Answer) and a.status == "nodata"):
            out.append(self.aaaa)
        return out


def _under(name: str, zone: str) -> Query | None:
    full = f"{name}.{zone}"
    return Query(full, "A") if len(full) <= 253 else None


def _plan(name: DomainName, zones: Sequence[str]) -> _Plan:
    domain = name.domain
    dmarc = f"_dmarc.{domain}"
    return _Plan(
        mx=Query(domain, "MX"),
        a=Query(domain, "A"),
        aaaa=Query(domain, "AAAA"),
        txt=Query(domain, "TXT"),
        dmarc=Query(dmarc, "TXT") if len(dmarc) <= 253 else None,
        blocklists=tuple((zone, _under(domain, zone)) for zone in zones),
        website=bool({"employer", "website"} & set(name.roles)),
    )


def _reversed_ip(ip: str) -> str:
    pointer = ipaddress.ip_address(ip).reverse_pointer
    return pointer.removesuffix(".in-addr.arpa").removesuffix(".ip6.arpa")


class _Facts:
    """Builds records and missing-fact reasons from the outcomes of one run."""

    def __init__(self, outcomes: dict[Query, Outcome]) -> None:
        self.outcomes = outcomes
        self.failures: dict[str, list[str]] = {}

    def _fail(self, path: str, what: str, subject: str, failure: Failure) -> None:
        self.failures.setdefault(path, []).append(f"{what} for {subject}: {failure.reason}")

    def get(self, query: Query | None) -> Outcome | None:
        return self.outcomes.get(query) if query else None

    def domain(self, name: DomainName, plan: _Plan) -> Record:
        mx, a, aaaa, txt = (self.get(q) for q in (plan.mx, plan.a, plan.aaaa, plan.txt))
        dmarc = self.get(plan.dmarc) if plan.dmarc else Answer("nxdomain")
        d = name.domain
        answers = [o for o in (mx, a, aaaa, txt) if isinstance(o, Answer)]
        exists: bool | None = None
        if any(o.status != "nxdomain" for o in answers):
            exists = True
        elif answers:
            exists = False
        else:
            self._fail("dns.exists", "every lookup", d, _first_failure(mx, a, aaaa, txt))
        rec: Record = {"domain": d, "roles": list(name.roles), "exists": exists}
        rec.update(self._mail(d, mx, a, aaaa, exists))
        if isinstance(txt, Answer):
            rec["spf"] = any(v.lower().startswith("v=spf1") for v in txt.values)
        elif isinstance(txt, Failure):
            self._fail("dns.spf", "TXT lookup", d, txt)
        if isinstance(dmarc, Answer):
            policy = _dmarc_policy(dmarc.values)
            rec["dmarc"] = policy is not None
            rec["dmarc_policy"] = policy or None
        elif isinstance(dmarc, Failure):
            self._fail("dns.dmarc", "DMARC lookup", d, dmarc)
            self._fail("dns.dmarc_policy", "DMARC lookup", d, dmarc)
        rec.update(self._listed("dns", d, plan.blocklists))
        return rec

    def _mail(
        self,
        d: str,
        mx: Outcome | None,
        a: Outcome | None,
        aaaa: Outcome | None,
        exists: bool | None,
    ) -> Record:
        rec: Record = {}
        if isinstance(mx, Answer):
            exchanges = [v.split(" ", 1)[1] if " " in v else v for v in mx.values]
            rec["has_mx"] = bool(exchanges)
            rec["null_mx"] = "." in exchanges
            rec["mx_hosts"] = [x for x in exchanges if x != "."][:5]
        elif isinstance(mx, Failure):
            for key in ("has_mx", "null_mx", "mx_hosts"):
                self._fail(f"dns.{key}", "MX lookup", d, mx)
        addresses = [o for o in (a, aaaa) if isinstance(o, Answer)]
        if any(o.status == "ok" for o in addresses):
            rec["has_address"] = True
        elif len(addresses) == 2 or exists is False:
            rec["has_address"] = False
        elif a is not None or aaaa is not None:  # asked, but not every answer came
            self._fail("dns.has_address", "address lookup", d, _first_failure(a, aaaa))
        rec["accepts_mail"] = _accepts_mail(rec, exists)
        if rec["accepts_mail"] is None:
            self._fail("dns.accepts_mail", "mail lookups", d, _first_failure(mx, a, aaaa))
        return rec

    def _listed(
        self, namespace: str, subject: str, zones: tuple[tuple[str, Query | None], ...]
    ) -> Record:
        if not zones:
            return {}
        listed: list[str] = []
        unknown = False
        for zone, query in zones:
            outcome = self.get(query) if query else Failure("name too long for the zone")
            verdict = _blocklist_verdict(zone, outcome)
            if isinstance(verdict, Failure):
                unknown = True
                self._fail(f"{namespace}.blocklisted", f"blocklist {zone}", subject, verdict)
                self._fail(f"{namespace}.blocklists", f"blocklist {zone}", subject, verdict)
            elif verdict:
                listed.append(zone)
        if unknown and not listed:
            return {}
        return {"blocklisted": bool(listed), "blocklists": listed}

    def ip(self, ip: str, zones: tuple[tuple[str, Query | None], ...]) -> Record:
        return {"ip": ip, **self._listed("ip_dnsbl", ip, zones)}

    def missing(self) -> dict[str, str]:
        out = {}
        for path, reasons in self.failures.items():
            shown = "; ".join(reasons[:3])
            more = f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else ""
            out[path] = shown + more
        return out


def _first_failure(*outcomes: Outcome | None) -> Failure:
    for o in outcomes:
        if isinstance(o, Failure):
            return o
    return Failure("got no usable answer")


def _accepts_mail(rec: Record, exists: bool | None) -> bool | None:
    if exists is False or rec.get("null_mx") is True:
        return False
    if rec.get("has_mx") is True:
        return True
    if rec.get("has_mx") is False and "has_address" in rec:
        return bool(rec["has_address"])  # RFC 5321 5.1: no MX means the address is the exchanger
    return None


def _dmarc_policy(values: Sequence[str]) -> str | None:
    """The ``p=`` tag of the first DMARC record ('' when a record has no valid policy)."""
    for value in values:
        tags = [t.strip() for t in value.split(";")]
        if not tags or tags[0].replace(" ", "").lower() != "v=dmarc1":
            continue
        for tag in tags[1:]:
            key, _, val = tag.partition("=")
            if key.strip().lower() == "p" and val.strip().lower() in _DMARC_POLICIES:
                return val.strip().lower()
        return ""
    return None


def _blocklist_verdict(zone: str, outcome: Outcome | None) -> bool | Failure:
    """Listed (True), not listed (False), or why the zone's answer cannot be used."""
    if outcome is None:
        return Failure("was not asked")
    if isinstance(outcome, Failure):
        return outcome
    if outcome.status != "ok":
        return False
    codes = [v for v in outcome.values if v.startswith("127.")]
    if any(v.startswith("127.255.255.") for v in codes) or len(codes) != len(outcome.values):
        # 127.255.255.x: the operator refuses the query (e.g. through a public resolver)
        return Failure(f"returned an error code ({', '.join(outcome.values[:2])})")
    return bool(codes)


class DnsAnalyzer:
    """Existence, MX/null MX, SPF, DMARC and opt-in blocklists per domain; blocklists per IP."""

    name: ClassVar[str] = "dns"
    description: ClassVar[str] = "DNS lookups for the application's domains (network)"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("dns", "One record per domain looked up", "dns", True),
        NamespaceSpec("dns_summary", "What the DNS lookups covered", "dns", False),
        NamespaceSpec("ip_dnsbl", "One record per public IP checked on blocklists", "dns", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = (
        declare(
            "dns",
            "dns",
            [
                ("domain", "str", "The domain (ASCII form)"),
                ("roles", "list[str]", "Where the domain appears", {"values": ROLES}),
                ("exists", "bool", "The domain exists in DNS (false: NXDOMAIN)"),
                ("has_mx", "bool", "The domain publishes MX records"),
                ("null_mx", "bool", "The domain publishes a null MX (RFC 7505: accepts no mail)"),
                ("mx_hosts", "list[str]", "Its mail exchangers (up to five)"),
                ("has_address", "bool", "The domain has an A or AAAA record"),
                (
                    "accepts_mail",
                    "bool",
                    "Mail to the domain can be delivered: it exists, has no null MX, and has an "
                    "MX or (RFC 5321 implicit MX) an address",
                ),
                ("spf", "bool", "The domain publishes an SPF record"),
                ("dmarc", "bool", "A DMARC record is published at _dmarc.<domain>"),
                (
                    "dmarc_policy",
                    "str",
                    "The DMARC policy (p= tag)",
                    {"values": _DMARC_POLICIES},
                ),
                ("blocklisted", "bool", "Listed on a configured domain blocklist"),
                ("blocklists", "list[str]", "The configured blocklist zones that list it"),
            ],
        )
        + declare(
            "dns",
            "dns_summary",
            [
                ("domains", "int", "Domains looked up"),
                ("truncated", "bool", "The application had more domains than are looked up"),
                ("questions", "int", "DNS questions needed for the application"),
                ("cached", "int", "Questions answered from the cache"),
                ("failed", "int", "Questions that got no usable answer (timeout, SERVFAIL)"),
            ],
        )
        + declare(
            "dns",
            "ip_dnsbl",
            [
                ("ip", "ip", "The public IP address checked"),
                ("blocklisted", "bool", "Listed on a configured IP blocklist"),
                ("blocklists", "list[str]", "The configured blocklist zones that list it"),
            ],
        )
    )

    def __init__(
        self,
        options: DnsOptions | None = None,
        cache: LookupCache | None = None,
        *,
        resolver: DnsResolver | None = None,
        offline: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options or DnsOptions()
        self.cache = cache
        self.resolver = resolver
        self.offline = offline
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._health: tuple[float, str | None, float] | None = None
        self._loop = BackgroundLoop()
        weakref.finalize(self, self._loop.close)
        # touched only on the lookup loop: one health check at a time, one gate per loop
        self._checking: asyncio.Future[tuple[str | None, bool]] | None = None
        self._gate: asyncio.Semaphore | None = None
        self._gate_loop: asyncio.AbstractEventLoop | None = None
        self._system: tuple[str, ...] | None = None

    def close(self) -> None:
        """Stop the lookup thread (it starts again if the analyzer is used later)."""
        self._loop.close()

    def sources(self) -> list[Source]:
        """The resolver, the cache and any blocklist zones (answers are live, not dated).

        Empty in offline mode: no question is asked, so no answer can have come from them.
        """
        if self.offline:
            return []
        if self.resolver is not None:
            where = type(self.resolver).__name__
        elif self.options.nameservers:
            where = ", ".join(f"{ns}:{self.options.port}" for ns in self.options.nameservers)
        else:
            where = "system resolver"

        cache = self.cache.describe() if self.cache else "no cache"
        out = [Source(f"DNS lookups (dnspython {version('dnspython')}, {where})", f"live; {cache}")]
        zones = self.options.domain_blocklists + self.options.ip_blocklists
        out += [Source(f"DNS blocklist {zone}", "live") for zone in dict.fromkeys(zones)]
        return out

    def _nameservers(self) -> tuple[str, ...] | None:
        if self.options.nameservers:
            return self.options.nameservers
        if self._system is None:
            import dns.resolver

            try:
                found = dns.resolver.Resolver(configure=True).nameservers
            except dns.resolver.NoResolverConfiguration:
                found = []
            self._system = tuple(str(ns) for ns in found if isinstance(ns, str))
        return self._system or None

    def _known_health(self) -> tuple[bool, str | None]:
        """(known, reason): whether a recent health check can be reused, and its verdict."""
        with self._lock:
            if self._health is None:
                return False, None
            at, reason, ttl = self._health
            if self._monotonic() - at > ttl:
                return False, None
            return True, reason

    def _remember_health(self, reason: str | None, lasting: bool) -> None:
        ttl = HEALTH_TTL if reason is None else UNHEALTHY_TTL if lasting else SILENT_TTL
        with self._lock:
            self._health = (self._monotonic(), reason, ttl)

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Look up every domain (and, with IP blocklists, every public IP) at once."""
        if self.offline or ctx.offline:
            return FamilyResult.skipped("offline mode")
        started = time.monotonic()
        found = collect_domains(app, self.options.max_domains)
        names = found.valid()
        ips = self._blocklist_ips(app)
        if not names and not ips:
            return FamilyResult.skipped("no domains or IP addresses to look up")
        plans = {n.domain: _plan(n, self.options.domain_blocklists) for n in names}
        ip_zones = {
            ip: tuple((z, _under(_reversed_ip(ip), z)) for z in self.options.ip_blocklists)
            for ip in ips
        }
        ip_queries = [q for zones in ip_zones.values() for _, q in zones if q]
        outcomes: dict[Query, Outcome] = {}
        cached = 0
        health_known = False
        for _ in range(2):  # the second round asks addresses of domains without MX
            wanted = [q for p in plans.values() for q in p.needed(outcomes)] + ip_queries
            queries = [q for q in dict.fromkeys(wanted) if q not in outcomes]
            if not queries:
                break
            hits = self._cached(queries)
            outcomes.update(hits)
            cached += len(hits)
            misses = [q for q in queries if q not in hits]
            if misses:
                reason = self._lookup(misses, outcomes, started, health_known)
                if reason:
                    return FamilyResult.unavailable(reason)
                health_known = True
        queries = list(outcomes)
        facts = _Facts(outcomes)
        records = [facts.domain(n, plans[n.domain]) for n in names]
        ip_records = [facts.ip(ip, zones) for ip, zones in ip_zones.items()]
        missing = facts.missing()
        if names and not self.options.domain_blocklists:
            for key in ("blocklisted", "blocklists"):
                missing[f"dns.{key}"] = "no domain blocklists configured ([dns] domain_blocklists)"
        if not self.options.ip_blocklists and app.network:
            for key in ("blocklisted", "blocklists"):
                missing[f"ip_dnsbl.{key}"] = "no IP blocklists configured ([dns] ip_blocklists)"
        failed = sum(isinstance(o, Failure) for o in outcomes.values())
        summary: Record = {
            "domains": len(names),
            "truncated": found.truncated,
            "questions": len(queries),
            "cached": cached,
            "failed": failed,
        }
        result = FamilyResult(
            records={"dns": records, "dns_summary": [summary], "ip_dnsbl": ip_records},
            missing=missing,
        )
        notes = []
        if found.truncated:
            notes.append(
                f"looked up {len(found.names)} of {found.total} domains (limit [dns] max_domains)"
            )
        if failed:
            notes.append(f"{failed} of {len(queries)} DNS questions got no usable answer")
        result.reason = "; ".join(notes)
        return result

    def _shared_gate(self) -> asyncio.Semaphore:
        import asyncio

        loop = asyncio.get_running_loop()
        if self._gate is None or self._gate_loop is not loop:
            self._gate, self._gate_loop = asyncio.Semaphore(MAX_IN_FLIGHT), loop
        return self._gate

    async def _shared_check(self, resolver: DnsResolver) -> tuple[str | None, bool]:
        """The health verdict; screenings that start together share one check."""
        import asyncio

        task = self._checking
        if task is None or task.done() or task.get_loop() is not asyncio.get_running_loop():
            options = self.options
            task = asyncio.ensure_future(check_health(resolver, options.canaries, options.timeout))
            self._checking = task
        return await asyncio.shield(task)

    def _blocklist_ips(self, app: Application) -> list[str]:
        if not self.options.ip_blocklists:
            return []
        out: list[str] = []
        for event in app.network:
            parsed = parse_address(event.ip.strip().strip("[]")[:64])
            if parsed is None:
                continue
            version, value, ip = parsed
            if is_public(version, value) and ip not in out:
                out.append(ip)
            if len(out) >= MAX_BLOCKLIST_IPS:
                break
        return out

    def _cached(self, queries: list[Query]) -> dict[Query, Outcome]:
        if self.cache is None:
            return {}
        by_key = {q.key: q for q in queries}
        out: dict[Query, Outcome] = {}
        for key, data in self.cache.get_many(by_key).items():
            answer = Answer.from_json(data)
            if answer is not None:
                out[by_key[key]] = answer
        return out

    def _lookup(
        self,
        misses: list[Query],
        outcomes: dict[Query, Outcome],
        started: float,
        checked: bool = False,
    ) -> str | None:
        """Ask the resolver (health-checking it when no recent verdict is known)."""
        known, reason = (True, None) if checked else self._known_health()
        if known and reason:
            return reason
        options = self.options
        resolver = self.resolver
        if resolver is None:
            nameservers = self._nameservers()
            if nameservers is None:
                return "no DNS resolver configured (set [dns] nameservers)"
            resolver = DnspythonResolver(nameservers, options.port, options.timeout)
        deadline = started + options.budget

        async def run() -> tuple[dict[Query, Outcome], tuple[str | None, bool]]:
            import asyncio

            lookups = asyncio.ensure_future(
                ask_all(resolver, misses, options.timeout, deadline, self._shared_gate())
            )
            health = (None, True) if known else await self._shared_check(resolver)
            return await lookups, health

        fresh, (health, lasting) = self._loop.run(run)
        if not known:
            self._remember_health(health, lasting)
        if health:
            return health
        outcomes.update(fresh)
        if self.cache is not None:
            self.cache.put_many(
                {q.key: (o.to_json(), o.ttl) for q, o in fresh.items() if isinstance(o, Answer)}
            )
        return None
