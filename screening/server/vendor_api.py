"""Outbound HTTP to the vendors' documented APIs (and Slack), with bounded retries.

Used by the workers, never by the receivers: fetching Lever opportunities (its webhooks carry ids
only) and write-back notes. Every URL is built from configuration (``[server.<vendor>] api_url``)
and ids the vendor gave us, never from a URL inside a payload. Why the care: vendor APIs rate
limit (Greenhouse answers 429 with ``Retry-After``; Lever allows about 10 requests a second), so
429, 408, 5xx and network errors are retried with exponential backoff (``Retry-After`` wins when
it is given, capped at a minute); other 4xx are permanent. Redirects are not followed (they
would carry credentials elsewhere) and responses are read with a size cap. Error messages name
the host and status, never a body, so they are safe to store.

An OAuth API (Greenhouse Harvest v3) names its token request in ``ApiCall.oauth``: the token is
asked for once, kept until shortly before it expires, and asked again when the API answers 401.
Files (resumes) are downloaded with ``download``: one try per job attempt (the job step is what
is retried), from the hosts ``Access.allowed_file_url`` allows only, within ``max_file_bytes``
and ``file_seconds``; a redirect is followed only to an allowed host, without credentials when
it leaves the API's origin.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from screening.ingest.ats.vendor import Access, ApiCall, ApiError
from screening.safeload import LoadError, LoadLimits, load_json

__all__ = ["ApiCall", "ApiError", "VendorHttp"]

MAX_RETRY_AFTER_SECONDS = 60.0
MAX_REDIRECTS = 3
TOKEN_SECONDS = 3600.0  # an access token's life when the answer does not say (Greenhouse: 1 h)
TOKEN_MARGIN_SECONDS = 60.0  # asked again this long before it expires


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
        max_file_bytes: int = 10_000_000,
        file_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_response_bytes = max_response_bytes
        self.load_limits = load_limits or LoadLimits()
        self.sleep = sleep
        self.max_file_bytes = max_file_bytes
        self.file_seconds = file_seconds
        self.clock = clock
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (url, client): token, until

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
        """The body of a 2xx answer; ``ApiError`` once retries are used up or on a hard 4xx.
        With ``call.oauth``: sent with the cached bearer token, once more with a new one on 401."""
        if call.oauth is None:
            return self._send(call)
        try:
            return self._send(self._bearer(call, call.oauth, fresh=False))
        except ApiError as exc:
            if exc.status != 401:
                raise
        return self._send(self._bearer(call, call.oauth, fresh=True))

    def download(self, call: ApiCall, access: Access) -> bytes:
        """A file's bytes (see the module: allowed hosts, size and time limits, one try)."""
        deadline = self.clock() + self.file_seconds
        if call.oauth is not None:
            call = self._bearer(call, call.oauth, fresh=False)
        origin = _origin(call.url)
        for _ in range(MAX_REDIRECTS + 1):
            refused = access.allowed_file_url(call.url)
            if refused is not None:
                raise ApiError(f"not fetched: {refused}", transient=False)
            body, location = self._file_once(call, deadline)
            if body is not None:
                return body
            target = urljoin(call.url, location)
            keep = _origin(target) == origin  # credentials never leave the API's origin
            call = dataclasses.replace(
                call,
                url=target,
                headers=call.headers if keep else {},
                basic_auth=call.basic_auth if keep else None,
                params={},
                oauth=None,
            )
        raise ApiError(f"more than {MAX_REDIRECTS} redirects", transient=False)

    def _file_once(self, call: ApiCall, deadline: float) -> tuple[bytes | None, str]:
        """One request for a file: its bytes, or the ``Location`` it is redirected to."""
        host = urlsplit(call.url).netloc
        auth = httpx.BasicAuth(*call.basic_auth) if call.basic_auth else None
        timeout = httpx.Timeout(max(0.001, deadline - self.clock()))
        try:
            with self.client.stream(
                call.method,
                call.url,
                headers=dict(call.headers),
                json=call.json,
                params=dict(call.params) or None,
                auth=auth,
                timeout=timeout,
            ) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location", "")
                    if not location:
                        raise ApiError(f"{host} redirected nowhere", transient=False)
                    return None, location
                if not 200 <= status < 300:
                    transient = status in (408, 429) or status >= 500
                    raise ApiError(
                        f"{host} answered HTTP {status}", transient=transient, status=status
                    )
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_file_bytes:
                        raise ApiError(
                            f"the file is larger than {self.max_file_bytes} bytes "
                            "(limits.max_file_bytes)",
                            transient=False,
                        )
                    if self.clock() > deadline:
                        raise httpx.ReadTimeout("file deadline")
                    chunks.append(chunk)
        except httpx.TimeoutException:
            raise ApiError(
                f"{host} did not deliver the file within {self.file_seconds:g} s "
                "(resume_timeout_seconds)",
                transient=True,
            ) from None
        except httpx.TransportError as exc:
            raise ApiError(f"{type(exc).__name__} calling {host}", transient=True) from None
        return b"".join(chunks), ""

    def _bearer(self, call: ApiCall, token_call: ApiCall, *, fresh: bool) -> ApiCall:
        """``call`` with ``Authorization: Bearer`` from the (cached) token of ``token_call``."""
        key = (token_call.url, token_call.basic_auth[0] if token_call.basic_auth else "")
        cached = self._tokens.get(key)
        if fresh or cached is None or cached[1] <= self.clock():
            cached = self._token(token_call)
            self._tokens[key] = cached
        headers = {**call.headers, "Authorization": f"Bearer {cached[0]}"}
        return dataclasses.replace(call, headers=headers, oauth=None)

    def _token(self, token_call: ApiCall) -> tuple[str, float]:
        """An OAuth access token and when to stop using it (``expires_in`` when given)."""
        answer = self.json(token_call)
        token = answer.get("access_token") if isinstance(answer, Mapping) else None
        if not isinstance(token, str) or not token:
            host = urlsplit(token_call.url).netloc
            raise ApiError(f"{host} answered without an access_token", transient=False)
        assert isinstance(answer, Mapping)
        life = answer.get("expires_in")
        seconds = float(life) if isinstance(life, int | float) and life > 0 else TOKEN_SECONDS
        return token, self.clock() + max(0.0, seconds - TOKEN_MARGIN_SECONDS)

    def _send(self, call: ApiCall) -> bytes:
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
                error = ApiError(
                    f"{host} answered HTTP {status}", transient=transient, status=status
                )
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


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (an HTTP date is ignored in favour of our own backoff)."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    return None
