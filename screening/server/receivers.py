"""The receivers: authenticate, decode, deduplicate and queue a delivery; answer at once.

This is the hot path (docs/ats-vendors.md): nothing here screens, fetches or renders. For each
vendor, in order, cheapest refusal first:

1. the receiver must be configured (a secret): otherwise 404, nothing read;
2. the body is read with a cap (413 when over ``[server] max_body_bytes``, in the app);
3. the signature is verified (the vendor's ``verify``) over the raw bytes, before the JSON is
   parsed; a vendor that signs fields inside the body (Lever) has its body parsed first (401
   either way, nothing queued);
4. the JSON is decoded with depth and size limits (400 with the reason);
5. the event is read (``screening.ingest.ats``): a deletion or anonymisation at the vendor is
   handed back (``Reply.erase``) for the app to erase exactly as ``DELETE /applications/{id}``
   does; anything else but a new application is answered ``ignored`` and logged; a broken
   envelope is a 400 naming the field;
6. the job is queued with the vendor's delivery id as idempotency key (or a hash of the signed
   body when a vendor sends none): a redelivery answers ``duplicate``; a full queue 503 with
   ``Retry-After`` (the vendor retries later; memory stays bounded).

Answers are ``{"id": "<vendor>-<vendor application id>", "status": "queued" | "duplicate" |
"ignored" | "erased"}`` (``erased``: the applicant was erased on request and this is a retry or
replay of one of their deliveries; nothing is queued, see ``screening.store.erasure``). The HTTP
status follows each vendor's rule for success, its ``acknowledge``
policy in the vendor table (docs/ats-vendors.md): vendors that count anything but 200 as a
failure always get 200; vendors that accept any 2xx (and the native endpoint) get 202 for
``queued`` and ``ignored`` and 200 for ``duplicate``.

``POST /applications`` takes the native contract with a bearer token from ``[server]
api_tokens``; it validates the application before queueing it (422 with every problem), since
its caller is a program that can fix and resend. Our id is ``native-<id>`` (``id`` from the
application, else a hash of the body).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from screening.errors import InputError, Problem, StoreError
from screening.ingest import from_mapping
from screening.ingest.ats import VENDORS, AtsEvent, EventKind
from screening.ingest.ats.common import vendor_id
from screening.ingest.ats.vendor import Acknowledge, SignatureError, Signed
from screening.safeload import LoadError, load_json
from screening.server import logs, tokens
from screening.server.options import ServerOptions
from screening.server.processing import NATIVE
from screening.server.tokens import ApiToken
from screening.store.jobs import delivery_hash
from screening.store.jobs_api import Enqueued, Intake, NewJob

RETRY_AFTER_SECONDS = 30
_NOT_CONTRACT = "the application does not match contract v1"
_DELIVERY_ID = re.compile(r"[\x21-\x7e]{1,200}")  # printable ASCII, no spaces

Headers = Mapping[str, str]


class HttpProblem(Exception):
    """A refusal: status code, one-line reason, optional extra body fields and headers."""

    def __init__(
        self,
        status_code: int,
        reason: str,
        *,
        extra: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.reason = reason
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Reply:
    """An acknowledgement."""

    status_code: int
    body: Mapping[str, object]
    erase: AtsEvent | None = None  # a deletion at the vendor: the caller erases what it names
    headers: Mapping[str, str] = field(default_factory=dict)


class Receivers:
    """The receiving side of the server, over any ``Intake`` (a durable enqueue)."""

    def __init__(
        self,
        options: ServerOptions,
        queue: Intake,
        on_queued: Callable[[], None],
        clock: Callable[[], float] = time.time,
        erased: Callable[[str, str], bool] = lambda _id, _key: False,
    ) -> None:
        self.options = options
        self.queue = queue
        self.on_queued = on_queued
        self.clock = clock
        self.erased = erased  # (our id, delivery key) -> erased on request (a tombstone)
        self._load_limits = options.load_limits

    # -- checks done before the body is read ---------------------------------------------------

    def require_vendor(self, vendor: str) -> tuple[str, ...]:
        """The vendor's secrets (current, then previous), or 404 when it is not configured."""
        secrets = self.options.vendors[vendor].secrets
        if not secrets:
            raise HttpProblem(
                404,
                f"the {vendor} receiver is not configured "
                f"(set SCREENING_SERVER__{vendor.upper()}__SECRET)",
            )
        return secrets

    def authorize(self, headers: Headers, scope: str) -> ApiToken:
        """The caller's token (``[server] tokens_file`` or ``api_tokens``), compared by hash in
        constant time; 401 without a valid one, 403 when it lacks ``scope``."""
        scheme, _, presented = headers.get("authorization", "").partition(" ")
        if not self.options.api_tokens:
            raise HttpProblem(
                401, "no API tokens are configured ([server] tokens_file or api_tokens)"
            )
        if scheme.lower() != "bearer" or not presented.strip():
            raise HttpProblem(
                401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"}
            )
        token = tokens.match(self.options.api_tokens, presented.strip())
        if token is None:
            raise HttpProblem(
                401, "the bearer token is not valid", headers={"WWW-Authenticate": "Bearer"}
            )
        if not token.allows(scope):
            raise HttpProblem(403, f"the token {token.name!r} lacks the {scope!r} scope")
        return token

    # -- receivers -----------------------------------------------------------------------------

    def vendor(self, vendor: str, secrets: Sequence[str], headers: Headers, body: bytes) -> Reply:
        """Verify, decode, read the event and queue it (steps 3 to 6)."""
        description = VENDORS[vendor]
        if description.handshake is not None:
            echo = description.handshake(headers, body)
            if echo is not None:  # a setup request: answered, nothing queued or trusted
                return Reply(200, {"id": None, "status": "ignored", "event": "setup"}, None, echo)
        envelope: Mapping[str, object] = {}
        if description.signed_in_body:
            envelope = self._decode(body)
        window = self.options.vendors[vendor].replay_window_seconds
        signed = Signed(headers, body, envelope, self.clock(), window)
        refusals = []
        for secret in secrets:  # during a rotation, the new secret or the previous one
            try:
                description.verify(secret, signed)
                break
            except SignatureError as exc:
                refusals.append(exc.reason)
        else:
            raise HttpProblem(401, refusals[0])
        if not description.signed_in_body:
            envelope = self._decode(body)
        try:
            event = description.read_event(envelope, headers)
        except InputError as exc:
            raise HttpProblem(400, "malformed payload: " + "; ".join(exc.lines())) from None
        if event.kind is EventKind.IGNORED:
            return Reply(
                description.acknowledge.status("ignored"),
                {"id": None, "status": "ignored", "event": event.event},
            )
        if event.kind is EventKind.ERASE:
            return Reply(
                description.acknowledge.status("queued"),
                {"id": None, "status": "erased", "event": event.event},
                erase=event,
            )
        delivery = event.delivery_id
        if description.delivery_header:
            delivery = headers.get(description.delivery_header.lower(), "")
        if not _DELIVERY_ID.fullmatch(delivery):
            delivery = "body:" + hashlib.sha256(body).hexdigest()
        job = NewJob(
            id=event.our_id,
            vendor=vendor,
            delivery_key=delivery_hash(vendor, delivery),
            payload=event.record,
            meta={"candidate": event.candidate_ref, "event": event.event},
        )
        return self._enqueue(job, vendor)

    def native(self, headers: Headers, body: bytes) -> Reply:
        """Validate a native application and queue it (the caller is already authorized)."""
        data = self._decode(body)
        given = data.get("id")
        try:
            app_id = vendor_id(given, "id") if given is not None else ""
            our_id = f"{NATIVE}-{app_id or hashlib.sha256(body).hexdigest()[:32]}"
            application = {**data, "id": our_id}
            from_mapping(application, "", self.options.limits)
        except InputError as exc:
            problems = [{"field": p.field, "message": p.message} for p in exc.problems]
            raise HttpProblem(422, _NOT_CONTRACT, extra={"problems": problems}) from None
        key = headers.get("idempotency-key", "")
        delivery = key if _DELIVERY_ID.fullmatch(key) else our_id
        job = NewJob(
            id=our_id,
            vendor=NATIVE,
            delivery_key=delivery_hash(NATIVE, delivery),
            payload=application,
        )
        return self._enqueue(job, NATIVE)

    def submit(self, job: NewJob, receiver: str) -> Reply:
        """Queue a job built elsewhere (the console's uploads) with the receivers' answers."""
        return self._enqueue(job, receiver)

    # -- shared --------------------------------------------------------------------------------

    def _decode(self, body: bytes) -> Mapping[str, object]:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HttpProblem(400, f"the body is not UTF-8 (byte offset {exc.start})") from None
        try:
            data = load_json(text, self._load_limits)
        except LoadError as exc:
            raise HttpProblem(400, "; ".join(_describe(p) for p in exc.problems)) from None
        if not isinstance(data, Mapping):
            raise HttpProblem(400, f"expected a JSON object, got {_json_type(data)}")
        return data

    def _enqueue(self, job: NewJob, receiver: str) -> Reply:
        description = VENDORS.get(receiver)
        policy = description.acknowledge if description else Acknowledge.ACCEPTED
        try:
            if self.erased(job.id, job.delivery_key):
                # a retry or replay of an erased applicant's delivery: acknowledged as done, so
                # the vendor stops retrying, and nothing is queued or re-created
                return Reply(policy.status("duplicate"), {"id": job.id, "status": "erased"})
            outcome = self.queue.enqueue(job, limit=self.options.queue_size)
        except StoreError as exc:
            logs.log_event("store-error", vendor=receiver, id=job.id, error=type(exc).__name__)
            raise HttpProblem(
                503,
                "the job store is unavailable; retry later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from None
        if outcome is Enqueued.FULL:
            raise HttpProblem(
                503,
                f"the queue is full ({self.options.queue_size} jobs pending); retry later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        if outcome is Enqueued.QUEUED:
            self.on_queued()
        return Reply(policy.status(outcome.value), {"id": job.id, "status": outcome.value})


def _describe(problem: Problem) -> str:
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.line is not None:
        text += f" (line {problem.line}, column {problem.column})"
    return text


def _json_type(data: object) -> str:
    """The kind of a JSON value, never the value (it may be personal data)."""
    if isinstance(data, list):
        return "an array"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, bool):
        return "true or false"
    return "null" if data is None else "a number"
