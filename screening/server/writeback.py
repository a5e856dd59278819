"""Write-back: a short note on the candidate in the ATS, and a Slack-style alert for high bands.

Opt-in per vendor (``[server.<vendor>] writeback = true`` plus its API key). The note carries the
score, band, recommended next step, the top findings by contribution (rule titles, never
evidence values) and a link to the full report; it says what it is: signals for review, not a
verdict (docs/principles.md, "Signals, not verdicts"). Each vendor's documented "add a note"
call is its ``note`` in the vendor table (``screening.ingest.ats``, one module per vendor), and
a 2xx answer that still means a refusal is caught by its ``check_note``. Besides:

- **Slack-compatible incoming webhook** (``[server] slack_webhook_url``, for the bands in
  ``slack_bands``): ``POST {"text"}`` naming the application id, vendor, score and band only (a
  channel is a wider audience than the ATS: no name, no findings).

A failed write-back never fails the screening: the job stays ``done`` and its ``writeback``
outcome records what went wrong (shown by ``GET /applications/{id}`` status answers and logged
by class).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from screening.ingest.ats import VENDORS
from screening.model.screening import Band
from screening.server.links import signed_report_link
from screening.server.options import ServerOptions, VendorOptions
from screening.server.vendor_api import ApiCall, ApiError, VendorHttp
from screening.store.jobs_api import WritebackTask

TOP_FINDINGS = 5
MAX_LISTED_VALUES = 200_000  # JSON values searched in a vendor's list of notes
_BAND_ORDER = {band.value: rank for rank, band in enumerate(Band)}


@dataclass(frozen=True, slots=True)
class Summary:
    """What a note says about one screening (taken from its report@1 document)."""

    id: str
    score: float
    band: str
    next_step: str
    findings: int
    not_evaluated: int
    top: tuple[tuple[str, float], ...]  # (rule title, contribution), largest first


def summarise(job_id: str, report: Mapping[str, object]) -> Summary:
    """The note's content from a report@1 document."""
    findings = report.get("findings")
    rows = findings if isinstance(findings, list) else []
    top = sorted(
        ((str(f.get("title", "")), float(f.get("contribution") or 0.0)) for f in rows),
        key=lambda item: -item[1],
    )
    not_evaluated = report.get("not_evaluated")
    return Summary(
        id=job_id,
        score=float(str(report.get("score", 0.0))),
        band=str(report.get("band", "")),
        next_step=str(report.get("next_step") or ""),
        findings=len(rows),
        not_evaluated=len(not_evaluated) if isinstance(not_evaluated, list) else 0,
        top=tuple(top[:TOP_FINDINGS]),
    )


def report_link(public_url: str | None, job_id: str) -> str | None:
    """Where a reviewer opens the full report (needs ``[server] public_url``)."""
    return f"{public_url}/applications/{quote(job_id)}/report" if public_url else None


def note_text(summary: Summary, link: str | None) -> str:
    """Plain text every ATS accepts."""
    lines = [
        f"Fraud-signal screening: score {summary.score:g}/100, band {summary.band.upper()} "
        "(signals for review, not a verdict).",
    ]
    if summary.next_step:
        lines.append(f"Next step: {summary.next_step}")
    if summary.top:
        lines.append(f"Top findings ({summary.findings} in all):")
        lines += [f"- {title} (+{contribution:g})" for title, contribution in summary.top]
    else:
        lines.append("No findings.")
    if summary.not_evaluated:
        lines.append(f"{summary.not_evaluated} rule(s) could not be evaluated; see the report.")
    if link:
        lines.append(f"Full report: {link}")
    lines.append(reference_line(summary.id))
    return "\n".join(lines)


def reference_line(job_id: str) -> str:
    """The last line of every note: which screening it comes from (what a recruiter quotes to
    the operators, and what a later try looks for before posting the note again)."""
    return f"Screening reference: {job_id}"


def note_call(vendor: VendorOptions, candidate_ref: str, text: str) -> ApiCall:
    """The vendor's documented "add a note" request (its ``note`` in the vendor table)."""
    note = VENDORS[vendor.name].note
    if note is None:
        raise ValueError(f"no write-back for {vendor.name}")
    return note(vendor, candidate_ref, text)


def slack_call(url: str, summary: Summary, vendor: str, link: str | None) -> ApiCall:
    """An incoming-webhook message: ids, score and band only."""
    text = (
        f"Screening flagged {summary.id} ({vendor}): score {summary.score:g}, "
        f"band {summary.band}. Signals for review, not a verdict."
    )
    if link:
        text += f" Report: {link}"
    return ApiCall("POST", url, headers={"Content-Type": "application/json"}, json={"text": text})


class WriteBack:
    """Posts notes and alerts for finished jobs; answers an outcome line to store."""

    def __init__(
        self, options: ServerOptions, http: VendorHttp, clock: Callable[[], float] = time.time
    ) -> None:
        self.options = options
        self.http = http
        self.clock = clock

    def note_wanted(self, vendor: str, band: str) -> bool:
        """A note when write-back is on and the band reaches the vendor's ``note_min_band``."""
        options = self.options.vendors.get(vendor)
        if options is None or not options.writeback:
            return False
        return _BAND_ORDER.get(band, -1) >= _BAND_ORDER.get(options.note_min_band, 1)

    def wanted(self, vendor: str, band: str) -> bool:
        """Whether this job has anything to send."""
        note = self.note_wanted(vendor, band)
        alert = self.options.slack_webhook_url is not None and band in self.options.slack_bands
        return note or alert

    # -- the durable step: what to post is stored with the result; ``perform`` posts it ---------

    def result_step(
        self, vendor: str, band: str, summary: Summary, candidate_ref: str
    ) -> str | None:
        """The write-back step to store with a finished job (None: nothing to send); it names
        the vendor's record the note goes to (``candidate_ref``)."""
        if not self.wanted(vendor, band):
            return None
        step = {"kind": "result", "candidate": candidate_ref, **dataclasses.asdict(summary)}
        return json.dumps(step)

    def failure_step(self, vendor: str, job_id: str, candidate_ref: str) -> str | None:
        """The "could not screen" step to store with a job given up (None: not wanted)."""
        if not self.failure_note_wanted(vendor):
            return None
        return json.dumps({"kind": "failure", "id": job_id, "candidate": candidate_ref})

    def perform(self, task: WritebackTask) -> tuple[str, bool]:
        """Post what ``task`` still owes (parts an earlier try sent are not sent again);
        the outcome line and whether everything is now sent."""
        step = json.loads(task.payload)
        sent = _sent_parts(task.outcome)
        candidate = str(step.get("candidate") or task.candidate)
        if "note" not in sent and self._posted_before(task, candidate, str(step["id"])):
            sent |= {"note"}
        if step.get("kind") == "failure":
            outcome = (
                "note sent"
                if "note" in sent
                else self.failure_note(task.vendor, candidate, str(step["id"]))
            )
        else:
            top = tuple((str(t), float(c)) for t, c in step.get("top", ()))
            summary = Summary(
                id=str(step["id"]),
                score=float(step["score"]),
                band=str(step["band"]),
                next_step=str(step.get("next_step", "")),
                findings=int(step.get("findings", 0)),
                not_evaluated=int(step.get("not_evaluated", 0)),
                top=top,
            )
            outcome = self.run(task.vendor, candidate, summary, skip=sent)
        return outcome, all(" sent" in part for part in outcome.split("; ") if part)

    def _posted_before(self, task: WritebackTask, candidate_ref: str, job_id: str) -> bool:
        """Whether an earlier try of this step already left its note on the candidate.

        The ATS APIs take no idempotency key: a try killed during its post (SIGKILL, power
        loss), or one whose answer was lost (a timeout after the vendor stored the note), left
        no outcome, and the step is tried again. Where the vendor can list a candidate's notes,
        a try after the first looks for the note's reference line first. A listing that fails
        is not a reason to withhold the note: it is posted (at worst, twice).
        """
        vendor = VENDORS.get(task.vendor)
        access = self.options.vendors.get(task.vendor)
        if task.attempts <= 1 or vendor is None or vendor.list_notes is None or access is None:
            return False
        try:
            answer = self.http.json(vendor.list_notes(access, candidate_ref))
        except ApiError:
            return False
        return _mentions(answer, reference_line(job_id))

    def failure_note_wanted(self, vendor: str) -> bool:
        """Whether a job given up on posts a "could not screen" note (``failure_note``)."""
        options = self.options.vendors.get(vendor)
        return bool(self.options.failure_note and options is not None and options.writeback)

    def failure_note(self, vendor: str, candidate_ref: str, job_id: str) -> str:
        """Tell the recruiter that this application was not screened (no reason details: the
        error may quote the payload; operators see it in ``screening jobs show``)."""
        text = (
            f"Fraud-signal screening could not be completed for this application ({job_id}). "
            "It has not been screened; the screening service's operators can retry it.\n"
            + reference_line(job_id)
        )
        call = note_call(self.options.vendors[vendor], candidate_ref, text)
        return "note " + self._send(call, vendor)

    def run(
        self, vendor: str, candidate_ref: str, summary: Summary, skip: frozenset[str] = frozenset()
    ) -> str:
        """Send what is configured (but the parts in ``skip``, already sent by an earlier try);
        ``note sent; alert sent`` or ``note failed: ...``."""
        link = report_link(self.options.public_url, summary.id)
        outcomes: list[str] = []
        options = self.options.vendors.get(vendor)
        if options is not None and self.note_wanted(vendor, summary.band):
            if "note" in skip:
                outcomes.append("note sent")
            else:
                text = note_text(summary, self.signed_link(summary.id))
                call = note_call(options, candidate_ref, text)
                outcomes.append("note " + self._send(call, vendor))
        slack = self.options.slack_webhook_url
        if slack is not None and summary.band in self.options.slack_bands:
            if "alert" in skip:
                outcomes.append("alert sent")
            else:
                alert = slack_call(slack, summary, vendor, link)
                outcomes.append("alert " + self._send(alert, ""))
        return "; ".join(outcomes)

    def signed_link(self, job_id: str) -> str | None:
        """A link a recruiter can open in a browser without a token, until it expires (without
        a link key: the API's report URL, which needs a bearer token)."""
        opts = self.options
        if opts.public_url is None or opts.link_key is None:
            return report_link(opts.public_url, job_id)
        return signed_report_link(
            opts.public_url, opts.link_key, job_id, now=self.clock(), seconds=opts.link_seconds
        )

    def _send(self, call: ApiCall, vendor: str) -> str:
        check = VENDORS[vendor].check_note if vendor in VENDORS else None
        try:
            if check is None:
                self.http.send(call)
            else:
                check(self.http.json(call))
        except ApiError as exc:
            return f"failed: {exc}"
        return "sent"


def _mentions(answer: object, text: str, budget: int = MAX_LISTED_VALUES) -> bool:
    """Whether any string in a decoded JSON answer contains ``text`` (values looked at are
    capped: the answer comes from outside)."""
    stack = [answer]
    while stack and budget > 0:
        budget -= 1
        value = stack.pop()
        if isinstance(value, str):
            if text in value:
                return True
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _sent_parts(outcome: str | None) -> frozenset[str]:
    """The parts (``note``, ``alert``) an outcome line says were sent."""
    parts = (outcome or "").split("; ")
    return frozenset(p.split(" ", 1)[0] for p in parts if p.endswith(" sent"))
