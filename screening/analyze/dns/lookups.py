"""DNS questions and answers on the dnspython asyncio resolver, with time limits and a health check.

Every lookup an application needs is known up front (MX, A, AAAA, TXT and ``_dmarc`` TXT per
domain, blocklist names), so they all run at once, each with its own timeout, and the whole set
with a per-application budget. A question either gets an *answer* (records, no data, or
NXDOMAIN; cacheable with a TTL) or a *failure* (timeout, SERVFAIL, budget spent; never cached),
and only answers become facts: a failure becomes a missing fact with its reason.

Negative answers are only as good as the resolver. ``check_health`` asks for canary names that
must exist (a resolver that says NXDOMAIN for them is broken or sinkholed) and for a random name
that must not (a resolver that answers it rewrites NXDOMAIN); either makes DNS facts unavailable.
dnspython and asyncio are imported on first use, so building an engine does not pay for them.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

    import dns.message

    from screening.analyze.ports import DnsResolver

MIN_TTL = 30.0
MAX_TTL = 86_400.0
MAX_NEGATIVE_TTL = 3_600.0
DEFAULT_NEGATIVE_TTL = 300.0
MAX_VALUES = 20
MAX_TEXT = 512
MAX_IN_FLIGHT = 128  # questions in flight per process: bursts beyond this are queued


@dataclass(frozen=True, slots=True)
class Query:
    """One question: a name and a record type (MX, A, AAAA, TXT)."""

    name: str
    rdtype: str

    @property
    def key(self) -> str:
        """The cache key."""
        return f"{self.rdtype} {self.name}"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the DNS said: ``ok`` with values, ``nodata`` (name exists) or ``nxdomain``."""

    status: str
    values: tuple[str, ...] = ()
    ttl: float = DEFAULT_NEGATIVE_TTL

    def to_json(self) -> list[object]:
        """The cached form."""
        return [self.status, list(self.values)]

    @classmethod
    def from_json(cls, data: object) -> Answer | None:
        """An answer from its cached form (None when the entry is not one)."""
        if (
            isinstance(data, list)
            and len(data) == 2
            and data[0] in ("ok", "nodata", "nxdomain")
            and isinstance(data[1], list)
        ):
            return cls(str(data[0]), tuple(str(v) for v in data[1]))
        return None


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a question got no usable answer."""

    reason: str


Outcome = Answer | Failure


def _clamp(ttl: float, high: float = MAX_TTL) -> float:
    return max(MIN_TTL, min(float(ttl), high))


def _negative_ttl(response: dns.message.Message | None) -> float:
    """RFC 2308: the SOA's minimum (capped by the SOA record's own TTL), else a default."""
    if response is None:
        return DEFAULT_NEGATIVE_TTL
    import dns.rdatatype

    for rrset in response.authority:
        if rrset.rdtype == dns.rdatatype.SOA and len(rrset):
            minimum = getattr(rrset[0], "minimum", DEFAULT_NEGATIVE_TTL)
            return _clamp(min(rrset.ttl, minimum), MAX_NEGATIVE_TTL)
    return DEFAULT_NEGATIVE_TTL


def _text(rdata: object, rdtype: str) -> str:
    if rdtype == "MX":
        exchange = rdata.exchange.to_text(omit_final_dot=True) or "."  # type: ignore[attr-defined]
        return f"{rdata.preference} {exchange}"  # type: ignore[attr-defined]
    if rdtype == "TXT":
        joined = b"".join(rdata.strings)  # type: ignore[attr-defined]
        return joined.decode("utf-8", errors="replace")[:MAX_TEXT]
    return str(rdata)[:MAX_TEXT]


class DnspythonResolver:
    """The dnspython asyncio resolver on the given servers: no search list, no SERVFAIL retry.

    It falls back to TCP by itself when an answer comes back truncated.
    """

    def __init__(self, nameservers: Sequence[str], port: int, timeout: float) -> None:
        import dns.asyncresolver
        import dns.nameserver

        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ns, port) for ns in nameservers]
        resolver.timeout = max(timeout / 2, 0.25)  # one retry within the lifetime (lost UDP)
        resolver.lifetime = timeout
        resolver.retry_servfail = False
        resolver.use_search_by_default = False
        self._resolver = resolver

    async def ask(self, query: Query, timeout: float) -> Outcome:
        """One question with its own time limit."""
        import dns.exception
        import dns.name
        import dns.resolver

        try:
            name = dns.name.from_text(query.name)
        except dns.exception.DNSException:
            return Failure("not a name DNS can carry")
        try:
            answer = await self._resolver.resolve(
                name, query.rdtype, lifetime=timeout, raise_on_no_answer=False, search=False
            )
        except dns.resolver.NXDOMAIN as exc:
            responses = getattr(exc, "kwargs", {}).get("responses") or {}
            response = next(iter(responses.values()), None) if isinstance(responses, dict) else None
            return Answer("nxdomain", (), _negative_ttl(response))
        except dns.resolver.LifetimeTimeout:
            return Failure(f"timed out after {timeout:g} s")
        except dns.resolver.NoNameservers:
            return Failure("the resolver could not answer (SERVFAIL or refused)")
        except dns.exception.DNSException as exc:
            return Failure(f"DNS error ({type(exc).__name__})")
        except OSError as exc:
            return Failure(f"network error ({exc.strerror or type(exc).__name__})")
        if answer.rrset is None:
            return Answer("nodata", (), _negative_ttl(answer.response))
        values = tuple(_text(r, query.rdtype) for r in list(answer.rrset)[:MAX_VALUES])
        return Answer("ok", values, _clamp(answer.rrset.ttl))


async def ask_all(
    resolver: DnsResolver,
    queries: Iterable[Query],
    timeout: float,
    deadline: float,
    gate: asyncio.Semaphore | None = None,
) -> dict[Query, Outcome]:
    """Every question at once, at most ``gate`` in flight; those unfinished at ``deadline`` fail.

    The gate is shared by all applications on one loop, so a burst of screenings queues its
    questions instead of flooding the resolver (which would drop them and fail health checks).
    """
    import asyncio

    gate = gate or asyncio.Semaphore(MAX_IN_FLIGHT)

    async def one(query: Query) -> Outcome:
        async with gate:
            return await resolver.ask(query, timeout)

    tasks = {asyncio.ensure_future(one(q)): q for q in dict.fromkeys(queries)}
    if not tasks:
        return {}
    remaining = max(deadline - time.monotonic(), 0.0)
    done, pending = await asyncio.wait(tasks, timeout=remaining)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    out: dict[Query, Outcome] = {}
    for task, query in tasks.items():
        if task in done and not task.cancelled() and task.exception() is None:
            out[query] = task.result()
        else:
            out[query] = Failure("the application's DNS time budget ran out")
    return out


async def check_health(
    resolver: DnsResolver, canaries: Sequence[str], timeout: float
) -> tuple[str | None, bool]:
    """(None, _) when negative answers can be trusted, else (why not, whether it will last).

    A resolver that denies canaries or invents answers is misconfigured and stays so for a
    while; one that does not answer may be briefly overloaded.
    """
    if not canaries:
        return None, True
    import asyncio

    probe = Query(f"nx-{secrets.token_hex(6)}.{canaries[0]}", "A")
    checks = [Query(c, "A") for c in canaries]
    results = await asyncio.gather(*(resolver.ask(q, timeout) for q in (*checks, probe)))
    found = results[:-1]
    if any(isinstance(r, Answer) and r.status == "nxdomain" for r in found):
        return "resolver answers NXDOMAIN for canary names: DNS facts unavailable", True
    if not any(isinstance(r, Answer) for r in found):
        reasons = "; ".join(sorted({r.reason for r in found if isinstance(r, Failure)}))
        return f"resolver does not answer canary names ({reasons}): DNS facts unavailable", False
    rewritten = results[-1]
    if isinstance(rewritten, Answer) and rewritten.status == "ok":
        return (
            "resolver answers for names that do not exist (NXDOMAIN rewriting): "
            "DNS facts unavailable"
        ), True
    return None, True
