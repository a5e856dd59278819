"""A real DNS server on 127.0.0.1 for tests and benchmarks: UDP and TCP on one random port.

It answers from a small zone written with dnslib, and can misbehave on purpose: names that answer
too late, names that answer SERVFAIL, names whose UDP answer is truncated (the resolver must retry
over TCP), a delay on every answer, and a sinkhole mode that says NXDOMAIN for everything. It
counts the questions it receives so tests can prove that a cache answered instead.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dnslib import AAAA, MX, QTYPE, RCODE, RR, SOA, TXT, A, DNSLabel, DNSRecord  # type: ignore[import-untyped]

Records = Mapping[str, Sequence[str]]  # rdtype -> values in zone-file text
Synthetic = Callable[[str], Records | None]


@dataclass
class Zone:
    """Names and their records; behaviours by name; optional synthetic names (bench)."""

    records: dict[str, Records] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    servfail: set[str] = field(default_factory=set)
    truncate: set[str] = field(default_factory=set)
    synthetic: Synthetic | None = None

    def lookup(self, name: str) -> Records | None:
        if name in self.records:
            return self.records[name]
        return self.synthetic(name) if self.synthetic else None


def _rdata(rdtype: str, value: str) -> object:
    if rdtype == "A":
        return A(value)
    if rdtype == "AAAA":
        return AAAA(value)
    if rdtype == "MX":
        preference, exchange = value.split(" ", 1)
        return MX(exchange, int(preference))
    if rdtype == "TXT":
        chunks = [value[i : i + 255] for i in range(0, len(value), 255)] or [""]
        return TXT(chunks)
    raise ValueError(f"unsupported record type {rdtype}")


def _soa(zone_name: str) -> RR:
    return RR(
        zone_name,
        QTYPE.SOA,
        rdata=SOA("ns." + zone_name, "hostmaster." + zone_name, (1, 3600, 600, 86400, 900)),
        ttl=900,
    )


class ZoneServer:
    """Serve ``zone`` on 127.0.0.1; use as a context manager."""

    def __init__(self, zone: Zone, delay: float = 0.0, ttl: int = 3600) -> None:
        self.zone = zone
        self.delay = delay
        self.ttl = ttl
        self.sinkhole = False
        self.queries: Counter[tuple[str, str]] = Counter()
        self.tcp_queries = 0
        self.port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    @property
    def total(self) -> int:
        """Questions received so far."""
        with self._lock:
            return sum(self.queries.values())

    def answer(self, data: bytes, tcp: bool) -> tuple[bytes | None, float]:
        """The reply to one message and how long to wait before sending it."""
        try:
            request = DNSRecord.parse(data)
        except Exception:
            return None, 0.0
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries[(qname, qtype)] += 1
            if tcp:
                self.tcp_queries += 1
        reply = request.reply()
        delay = self.delay + self.zone.slow.get(qname, 0.0)
        if self.sinkhole:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply.pack(), delay
        if qname in self.zone.servfail:
            reply.header.rcode = RCODE.SERVFAIL
            return reply.pack(), delay
        records = self.zone.lookup(qname)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            reply.add_auth(_soa(qname.split(".", 1)[-1] if "." in qname else qname))
            return reply.pack(), delay
        if qname in self.zone.truncate and not tcp:
            reply.header.tc = 1
            return reply.pack(), delay
        values = records.get(qtype, ())
        for value in values:
            reply.add_answer(
                RR(DNSLabel(qname), getattr(QTYPE, qtype), rdata=_rdata(qtype, value), ttl=self.ttl)
            )
        if not values:
            reply.add_auth(_soa(qname))
        return reply.pack(), delay

    def __enter__(self) -> ZoneServer:
        self._thread = threading.Thread(target=self._run, name="test-dns", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError("test DNS server did not start") from self._error
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._stop = asyncio.Event()
        server = self

        class Udp(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                reply, delay = server.answer(data, tcp=False)
                if reply is not None:
                    send = self.transport.sendto  # type: ignore[attr-defined]
                    loop.call_later(delay, send, reply, addr)

        async def tcp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    size = int.from_bytes(await reader.readexactly(2), "big")
                    reply, delay = server.answer(await reader.readexactly(size), tcp=True)
                    if reply is None:
                        break
                    await asyncio.sleep(delay)
                    writer.write(len(reply).to_bytes(2, "big") + reply)
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        for _ in range(20):
            transport, _ = await loop.create_datagram_endpoint(Udp, local_addr=("127.0.0.1", 0))
            port = transport.get_extra_info("sockname")[1]
            try:
                tcp_server = await asyncio.start_server(tcp, "127.0.0.1", port)
            except OSError:
                transport.close()
                continue
            break
        else:
            raise OSError("no free port for UDP and TCP together")
        self.port = port
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            transport.close()
            tcp_server.close()
            await tcp_server.wait_closed()


def free_port() -> int:
    """A port with nothing listening (for "resolver does not answer" tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def good_zone() -> Zone:
    """The shared test zone (example.com / example.org / example.net names only)."""
    return Zone(
        records={
            "example.com": {"A": ["192.0.2.1"]},
            "example.org": {"A": ["192.0.2.2"]},
            "mail-ok.example.com": {
                "MX": ["10 mx1.mail-ok.example.com", "20 mx2.mail-ok.example.com"],
                "A": ["192.0.2.10"],
                "TXT": ["v=spf1 mx -all"],
            },
            "_dmarc.mail-ok.example.com": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@example.com"]},
            "nullmx.example.com": {"MX": ["0 ."], "A": ["192.0.2.11"], "TXT": ["v=spf1 -all"]},
            "_dmarc.nullmx.example.com": {"TXT": ["v=DMARC1; p=none"]},
            "web-only.example.org": {"A": ["192.0.2.12"]},
            "parked.example.org": {},
            "slow.example.com": {"MX": ["10 mx.slow.example.com"], "A": ["192.0.2.13"]},
            "broken.example.com": {"A": ["192.0.2.14"]},
            "big.example.net": {
                "MX": ["10 mx.big.example.net"],
                "A": ["192.0.2.15"],
                "TXT": ["v=spf1 " + " ".join(f"ip4:198.51.100.{i}" for i in range(60)) + " -all"],
            },
            "acme.example": {"MX": ["10 mail.acme.example"], "A": ["192.0.2.20"]},
        },
        slow={"slow.example.com": 3.0},
        servfail={"broken.example.com"},
        truncate={"big.example.net"},
    )
