"""The HTTP edge: what uvicorn is told so that no client can hold the server's connections.

Why a protocol subclass: uvicorn starts its keep-alive timer only after a response, so a
connection that sends its headers one byte a minute (or never finishes them) stays open forever,
and a thousand of them exhaust file descriptors. Here every connection must complete its request
headers within ``header_timeout`` seconds of connecting (and of each finished response), or it
is closed; a connection beyond ``max_connections`` is answered ``503`` at once and closed,
before it costs more than the accept. uvicorn's own ``limit_concurrency`` (also set) answers 503
to requests beyond the cap once their headers are in. Body read time is bounded in the app
(``[server] body_timeout_seconds``, 408).

A reverse proxy in front complements this (docs/server.md): it buffers slow clients, caps
header size and connection rates per address, and terminates TLS.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_BUSY_BODY = b'{"error": "too many connections; retry in a few seconds"}'
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"retry-after: 5\r\nconnection: close\r\n"
    + f"content-length: {len(_BUSY_BODY)}\r\n\r\n".encode()
    + _BUSY_BODY
)
MAX_HEADER_BYTES = 16 * 1024  # request line and headers; h11 answers 400 beyond it


class EdgeProtocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a hard connection cap."""

    header_timeout: float = 10.0
    max_connections: int = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Refuse beyond the cap at once; otherwise start the header deadline."""
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(_BUSY)
            transport.close()
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        """A kept-alive connection gets a fresh deadline for its next request's headers."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # the request line and headers never arrived in time


def protocol(header_timeout: float, max_connections: int) -> type[EdgeProtocol]:
    """An ``EdgeProtocol`` class with these limits (uvicorn takes a class, not an instance)."""
    return type(
        "ConfiguredEdgeProtocol",
        (EdgeProtocol,),
        {"header_timeout": header_timeout, "max_connections": max_connections},
    )
