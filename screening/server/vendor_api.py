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
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from screening.ingest.ats.vendor import ApiCall, ApiError
from screening.safeload import LoadError, LoadLimits, load_json

__all__ = ["ApiCall", "ApiError", "VendorHttp"]

MAX_RETRY_AFTER_SECONDS = 60.0


class VendorHttp:
    """An httpx client that retries what is worth retrying and caps what it reads."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        attempts: int,
        backoff_seconds: float,
        max_response_bytes: int,
        load_limits: LoadLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_response_bytes = max_response_bytes
        self.load_limits = load_limits or LoadLimits()
        self.sleep = sleep

    def json(self, call: ApiCall) -> object:
        """The decoded JSON of a 2xx answer, read with the parser's bounds."""
        body = self.send(call)
        host = urlsplit(call.url).netloc
        try:
            return load_json(body.decode("utf-8"), self.load_limits)
        except (UnicodeDecodeError, LoadError):
            message = f"{host} answered with something that is not JSON"
            raise ApiError(message, transient=False) from None

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
            data=dict(call.form) if call.form is not None else None,
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
