"""Outbound HTTP to the vendors' documented APIs (and Slack), with bounded retries.

Used by the workers, never by the receivers: fetching Lever opportunities (its webhooks carry ids
only) and write-back notes. Every URL is built from configuration (``[server.<vendor>] api_url``)
and ids the vendor gave us, never from a URL inside a payload. Why the care: vendor APIs rate
limit (Greenhouse answers 429 with ``Retry-After``; Lever allows about 10 requests a second), so
429, 408, 5xx and network errors are retried with exponential backoff (``Retry-After`` wins when
it is given, capped at a minute); other 4xx are permanent. Redirects are not followed (they
would carry credentials elsewhere) and responses are read with a size cap. Error messages name
the host and status, never a body, so they are safe to store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

MAX_RETRY_AFTER_SECONDS = 60.0


class ApiError(Exception):
    """A call that did not succeed; ``transient`` errors are worth another attempt later."""

    def __init__(self, message: str, *, transient: bool) -> None:
        self.transient = transient
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request: method, absolute URL, headers, JSON body, query, HTTP Basic credentials."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json: object | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    basic_auth: tuple[str, str] | None = None


class VendorHttp:
    """An httpx client that retries what is worth retrying and caps what it reads."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        attempts: int,
        backoff_seconds: float,
        max_response_bytes: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_response_bytes = max_response_bytes
        self.sleep = sleep

    def send(self, call: ApiCall) -> bytes:
        """The body of a 2xx answer; ``ApiError`` once retries are used up or on a hard 4xx."""
        host = urlsplit(call.url).netloc
        for attempt in range(1, self.attempts + 1):
            wait: float | None = None
            try:
                status, body, retry_after = self._once(call)
            except httpx.TransportError as exc:
                error = ApiError(f"{type(exc).__name__} calling {host}", transient=True)
            else:
                if 200 <= status < 300:
                    return body
                transient = status in (408, 429) or status >= 500
                error = ApiError(f"{host} answered HTTP {status}", transient=transient)
                if not transient:
                    raise error
                wait = retry_after
            if attempt == self.attempts:
                raise error
            backoff = self.backoff_seconds * 2 ** (attempt - 1)
            self.sleep(min(MAX_RETRY_AFTER_SECONDS, wait if wait is not None else backoff))
        raise AssertionError("unreachable: the loop returns or raises")

    def _once(self, call: ApiCall) -> tuple[int, bytes, float | None]:
        auth = httpx.BasicAuth(*call.basic_auth) if call.basic_auth else None
        with self.client.stream(
            call.method,
            call.url,
            headers=dict(call.headers),
            json=call.json,
            params=dict(call.params) or None,
            auth=auth,
        ) as response:
            chunks = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise ApiError(
                        f"{urlsplit(call.url).netloc} sent more than "
                        f"{self.max_response_bytes} bytes",
                        transient=False,
                    )
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), _retry_after(response)


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (an HTTP date is ignored in favour of our own backoff)."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    return None
