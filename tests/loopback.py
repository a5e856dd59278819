"""A static file server on loopback for tests that download (the ``file_server`` fixture)."""

from __future__ import annotations

import http.server
from dataclasses import dataclass, field


class _Files(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.files.get(self.path)  # type: ignore[attr-defined]
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class FileServer:
    """A real HTTP server on 127.0.0.1 answering GET with ``files[path]`` (404 otherwise)."""

    url: str
    httpd: http.server.ThreadingHTTPServer = field(repr=False)

    @property
    def files(self) -> dict[str, bytes]:
        return self.httpd.files  # type: ignore[attr-defined,no-any-return]

    @files.setter
    def files(self, value: dict[str, bytes]) -> None:
        self.httpd.files = value  # type: ignore[attr-defined]
