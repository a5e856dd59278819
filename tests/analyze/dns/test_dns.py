"""The DNS analyzer against a real DNS server on loopback, queried by the real dnspython resolver.

What a reviewer relies on: a domain is only called non-existent or mail-less when a healthy
resolver said so; timeouts and server failures become missing facts with the domain and the
reason; a sinkholed or silent resolver makes the whole family unavailable; lookups run at once
within a budget; answers are cached in process and on disk.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from dnszone import ZoneServer, free_port, good_zone
from netsupport import app, by_domain, options, records

from screening.analyze.base import AnalysisContext
from screening.analyze.common.lookupcache import LookupCache
from screening.analyze.dns import DnsAnalyzer
from screening.model.facts import CheckStatus
from screening.testing import StaticResolver

CTX = AnalysisContext()

MAIL_APP = app(
    emails=[
        "jordan@mail-ok.example.com",
        "j.avery@nullmx.example.com",
        "ja@no-such-domain.example.com",
        "jordan@parked.example.org",
    ],
    employment=[{"employer": "Web Only Ltd", "website": "https://web-only.example.org/about"}],
)


def test_mail_facts_come_from_the_resolver(zone: ZoneServer) -> None:
    result = DnsAnalyzer(options(zone)).analyze(MAIL_APP, CTX)
    found = by_domain(result)
    ok = found["mail-ok.example.com"]
    assert ok["exists"] is True and ok["has_mx"] is True and ok["null_mx"] is False
    assert ok["mx_hosts"] == ["mx1.mail-ok.example.com", "mx2.mail-ok.example.com"]
    assert ok["accepts_mail"] is True and ok["spf"] is True
    assert ok["dmarc"] is True and ok["dmarc_policy"] == "reject"
    null = found["nullmx.example.com"]
    assert null["null_mx"] is True and null["accepts_mail"] is False
    assert null["dmarc_policy"] == "none"
    gone = found["no-such-domain.example.com"]
    assert gone["exists"] is False and gone["accepts_mail"] is False
    parked = found["parked.example.org"]  # exists, but neither MX nor address: no mail
    assert parked["exists"] is True and parked["accepts_mail"] is False
    web = found["web-only.example.org"]  # no MX, but RFC 5321 falls back to the address
    assert web["roles"] == ["employer"] and web["has_mx"] is False
    assert web["accepts_mail"] is True and web["spf"] is False and web["dmarc"] is False
    assert "dns.exists" not in result.missing and "dns.accepts_mail" not in result.missing


def test_a_truncated_answer_is_retried_over_tcp(zone: ZoneServer) -> None:
    result = DnsAnalyzer(options(zone)).analyze(app(emails=["x@big.example.net"]), CTX)
    big = by_domain(result)["big.example.net"]
    assert big["spf"] is True and big["has_mx"] is True
    assert zone.tcp_queries > 0


def test_a_slow_answer_is_a_missing_fact_not_a_no(zone: ZoneServer) -> None:
    started = time.monotonic()
    result = DnsAnalyzer(options(zone)).analyze(
        app(emails=["a@slow.example.com", "b@mail-ok.example.com"]), CTX
    )
    assert time.monotonic() - started < 2.0
    found = by_domain(result)
    assert found["slow.example.com"]["exists"] is None
    assert found["mail-ok.example.com"]["accepts_mail"] is True
    assert "slow.example.com" in result.missing["dns.exists"]
    assert "timed out" in result.missing["dns.accepts_mail"]
    failed = result.records["dns_summary"][0]["failed"]
    assert isinstance(failed, int) and failed >= 2  # MX and TXT of the slow domain


def test_servfail_is_a_missing_fact(zone: ZoneServer) -> None:
    result = DnsAnalyzer(options(zone)).analyze(app(emails=["a@broken.example.com"]), CTX)
    assert by_domain(result)["broken.example.com"]["exists"] is None
    assert "SERVFAIL" in result.missing["dns.exists"]


def test_a_sinkholed_resolver_makes_dns_unavailable(zone: ZoneServer) -> None:
    zone.sinkhole = True
    result = DnsAnalyzer(options(zone)).analyze(MAIL_APP, CTX)
    assert result.status is CheckStatus.UNAVAILABLE
    assert "NXDOMAIN for canary names" in result.reason
    assert not result.records


def test_a_silent_resolver_makes_dns_unavailable() -> None:
    with ZoneServer(good_zone()) as server:
        opts = options(server, port=free_port(), timeout=0.3)
    result = DnsAnalyzer(opts).analyze(MAIL_APP, CTX)
    assert result.status is CheckStatus.UNAVAILABLE
    assert "does not answer canary names" in result.reason


def test_a_resolver_that_answers_every_name_is_not_trusted() -> None:
    zone = good_zone()
    zone.synthetic = lambda name: {"A": ["192.0.2.99"]}  # NXDOMAIN rewriting
    with ZoneServer(zone) as server:
        result = DnsAnalyzer(options(server)).analyze(MAIL_APP, CTX)
    assert result.status is CheckStatus.UNAVAILABLE
    assert "NXDOMAIN rewriting" in result.reason


def test_offline_mode_skips_dns(zone: ZoneServer) -> None:
    assert DnsAnalyzer(options(zone), offline=True).analyze(MAIL_APP, CTX).reason == "offline mode"
    offline_ctx = AnalysisContext(offline=True)
    result = DnsAnalyzer(options(zone)).analyze(MAIL_APP, offline_ctx)
    assert result.status is CheckStatus.SKIPPED and result.reason == "offline mode"
    assert zone.total == 0
    # the report names only sources that were used: no resolver, no blocklist offline
    zones = options(zone, domain_blocklists=("dbl.example.net",))
    assert DnsAnalyzer(zones, offline=True).sources() == []
    online = [s.name for s in DnsAnalyzer(zones).sources()]
    assert online == [
        f"DNS lookups (dnspython {version('dnspython')}, 127.0.0.1:{zone.port})",
        "DNS blocklist dbl.example.net",
    ]


def test_nothing_to_look_up_is_skipped(zone: ZoneServer) -> None:
    result = DnsAnalyzer(options(zone)).analyze(app(), CTX)
    assert result.status is CheckStatus.SKIPPED


def test_the_health_verdict_and_answers_are_reused_in_process(zone: ZoneServer) -> None:
    analyzer = DnsAnalyzer(options(zone), LookupCache("dns_cache"))
    analyzer.analyze(MAIL_APP, CTX)
    canary_questions = zone.queries[("example.com", "A")]
    before = zone.total
    again = analyzer.analyze(MAIL_APP, CTX)
    assert zone.total == before
    assert zone.queries[("example.com", "A")] == canary_questions
    summary = again.records["dns_summary"][0]
    assert summary["cached"] == summary["questions"]


def test_the_disk_cache_answers_a_later_run_with_zero_queries(
    zone: ZoneServer, tmp_path: Path
) -> None:
    path = tmp_path / "cache" / "dns.sqlite3"
    first = DnsAnalyzer(options(zone), LookupCache("dns_cache", path)).analyze(MAIL_APP, CTX)
    asked = zone.total
    assert asked > 0
    later = DnsAnalyzer(options(zone), LookupCache("dns_cache", path)).analyze(MAIL_APP, CTX)
    assert zone.total == asked  # no canaries either: nothing had to be asked
    assert later.records["dns"] == first.records["dns"]


def test_failures_are_never_cached(zone: ZoneServer, tmp_path: Path) -> None:
    path = tmp_path / "dns.sqlite3"
    one = app(emails=["a@broken.example.com"])
    DnsAnalyzer(options(zone), LookupCache("dns_cache", path)).analyze(one, CTX)
    asked = zone.queries[("broken.example.com", "MX")]
    DnsAnalyzer(options(zone), LookupCache("dns_cache", path)).analyze(one, CTX)
    assert zone.queries[("broken.example.com", "MX")] == asked + 1


def test_lookups_of_one_application_run_at_once() -> None:
    zone = good_zone()
    zone.synthetic = lambda name: (
        {"MX": [f"10 mx.{name}"]} if name.endswith(".example.net") else None
    )
    emails = [f"a@d{i}.example.net" for i in range(10)]
    with ZoneServer(zone, delay=0.2) as server:
        started = time.monotonic()
        result = DnsAnalyzer(options(server, timeout=2.0)).analyze(app(emails=emails), CTX)
        elapsed = time.monotonic() - started
    assert len(records(result, "dns")) == 10 and not result.missing.get("dns.exists")
    assert elapsed < 1.5  # 50 questions one after another would take 10 s


def test_the_application_budget_bounds_the_wait(zone: ZoneServer) -> None:
    opts = options(zone, timeout=2.0, budget=0.4)
    started = time.monotonic()
    result = DnsAnalyzer(opts).analyze(app(emails=["a@slow.example.com"]), CTX)
    assert time.monotonic() - started < 1.5
    assert "time budget" in result.missing["dns.exists"]


def test_many_domains_are_capped_and_the_cut_is_reported(zone: ZoneServer) -> None:
    emails = [f"u{i}@host{i}.example.com" for i in range(60)]
    result = DnsAnalyzer(options(zone, max_domains=5)).analyze(app(emails=emails), CTX)
    summary = records(result, "dns_summary")[0]
    assert summary["domains"] == 5 and summary["truncated"] is True
    assert "5 of 60 domains" in result.reason
    asked = {name for name, _ in zone.queries}
    assert not asked & {f"host{i}.example.com" for i in range(5, 60)}


def test_blocklists_are_opt_in_and_refusals_are_not_answers() -> None:
    zone = good_zone()
    zone.records.update(
        {
            "nullmx.example.com.dbl.example.net": {"A": ["127.0.1.2"]},
            "mail-ok.example.com.strict.example.net": {"A": ["127.255.255.254"]},
            "1.1.77.45.zen.example.net": {"A": ["127.0.0.4"]},
        }
    )
    application = app(
        emails=["a@nullmx.example.com", "b@mail-ok.example.com"],
        network=[
            {"ip": "45.77.1.1"},
            {"ip": "::ffff:45.77.1.1"},  # the same IPv4 address, as IPv6 software writes it
            {"ip": "10.1.1.1"},
            {"ip": "not an address"},
        ],
    )
    with ZoneServer(zone) as server:
        plain = DnsAnalyzer(options(server)).analyze(application, CTX)
        listed = DnsAnalyzer(
            options(
                server, domain_blocklists=("dbl.example.net",), ip_blocklists=("zen.example.net",)
            )
        ).analyze(application, CTX)
        refused = DnsAnalyzer(options(server, domain_blocklists=("strict.example.net",))).analyze(
            application, CTX
        )
    assert "no domain blocklists configured" in plain.missing["dns.blocklisted"]
    assert by_domain(listed)["nullmx.example.com"]["blocklists"] == ["dbl.example.net"]
    assert by_domain(listed)["mail-ok.example.com"]["blocklisted"] is False
    assert listed.records["ip_dnsbl"] == [
        {"ip": "45.77.1.1", "blocklisted": True, "blocklists": ["zen.example.net"]}
    ]
    assert "error code" in refused.missing["dns.blocklisted"]


def test_works_from_worker_threads_and_from_inside_an_event_loop(zone: ZoneServer) -> None:
    # thread safety, not speed: time limits a loaded machine cannot miss
    generous = options(zone, timeout=5.0, budget=30.0)
    analyzer = DnsAnalyzer(generous, LookupCache("dns_cache"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: analyzer.analyze(MAIL_APP, CTX), range(16)))
    assert [r.reason for r in results if r.status is not CheckStatus.OK] == []

    async def caller_with_a_running_loop() -> CheckStatus:
        return DnsAnalyzer(generous).analyze(MAIL_APP, CTX).status

    assert asyncio.run(caller_with_a_running_loop()) is CheckStatus.OK


def test_a_static_resolver_stands_in_for_dns() -> None:
    resolver = StaticResolver(
        {
            "example.com": {"A": ["192.0.2.1"]},
            "iana.org": {"A": ["192.0.2.2"]},
            "acme.example": {"MX": ["10 mail.acme.example"], "TXT": ["v=spf1 mx -all"]},
        },
        fail={"slow.example": "timed out after 2 s"},
    )
    result = DnsAnalyzer(resolver=resolver).analyze(
        app(emails=["a@acme.example", "b@slow.example", "c@gone.example"]), CTX
    )
    found = by_domain(result)
    assert found["acme.example"]["accepts_mail"] is True and found["acme.example"]["spf"] is True
    assert found["gone.example"]["exists"] is False
    assert "slow.example: timed out" in result.missing["dns.exists"]
    assert any(q.name == "example.com" for q in resolver.asked)


def test_answers_that_are_not_cache_entries_are_ignored(tmp_path: Path) -> None:
    cache = LookupCache("dns_cache", tmp_path / "c.sqlite3")
    cache.put_many({"MX acme.example": ({"not": "an answer"}, 3600)})
    resolver = StaticResolver(
        {
            "example.com": {"A": ["192.0.2.1"]},
            "iana.org": {"A": ["192.0.2.2"]},
            "acme.example": {"MX": ["10 mail.acme.example"]},
        }
    )
    result = DnsAnalyzer(cache=cache, resolver=resolver).analyze(
        app(emails=["a@acme.example"]), CTX
    )
    assert by_domain(result)["acme.example"]["has_mx"] is True


def test_each_question_is_asked_once(zone: ZoneServer) -> None:
    twice = app(
        emails=["a@mail-ok.example.com"],
        references=[{"name": "Sam Lee", "email": "s@mail-ok.example.com"}],
    )
    DnsAnalyzer(options(zone)).analyze(twice, CTX)
    assert zone.queries[("mail-ok.example.com", "MX")] == 1


def test_the_lookup_thread_restarts_after_close(zone: ZoneServer) -> None:
    analyzer = DnsAnalyzer(options(zone))
    assert analyzer.analyze(MAIL_APP, CTX).status is CheckStatus.OK
    analyzer.close()
    again = analyzer.analyze(app(emails=["a@web-only.example.org"]), CTX)
    assert by_domain(again)["web-only.example.org"]["accepts_mail"] is True
    analyzer.close()
