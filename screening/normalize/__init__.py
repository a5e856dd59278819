"""Stage 2 of 6 (normalize): ``RawApplication`` -> ``Application``.

Names, phones (E.164 against the claimed country), emails, links, addresses, dates and payment
details are cleaned once here, so every analyzer compares like with like and none re-parses input.
"""

from __future__ import annotations

from screening.model.application import RawApplication
from screening.model.normalized import (
    Application,
    Device,
    IdentityEvent,
    InterviewCheck,
    Job,
    Location,
    Message,
    NetworkEvent,
    Reference,
    School,
)
from screening.model.notes import InputNote, capped
from screening.normalize.addresses import normalize_address
from screening.normalize.dates import period
from screening.normalize.emails import normalize_email
from screening.normalize.links import normalize_link
from screening.normalize.names import normalize_name, uncertain_name
from screening.normalize.payment import normalize_payment
from screening.normalize.phones import place_phones
from screening.normalize.text import clean_block, clean_line

__all__ = ["normalize"]


def _domain(website: str | None) -> str | None:
    if not website:
        return None
    link = normalize_link(website)
    return link.host or None


def normalize(raw: RawApplication, default_region: str | None = None) -> Application:
    """Clean every field of a validated application.

    National phone numbers are read against the claimed country, then the home address's
    country, then ``default_region`` (``[phone] default_region``); each placement and each
    number that could not be placed is an input note.
    """
    d = raw.data
    notes: list[InputNote] = list(raw.notes)
    home = next((a.country for a in d.addresses if a.country), None)
    claimed = d.location.country if d.location else None
    country = claimed or home or default_region
    via = (
        "the claimed country"
        if claimed
        else "the address's country"
        if home
        else "[phone] default_region"
    )
    location = (
        Location(
            country=d.location.country,
            region=clean_line(d.location.region) if d.location.region else None,
            city=clean_line(d.location.city) if d.location.city else None,
            timezone=d.location.timezone,
        )
        if d.location
        else Location()
    )
    references = tuple(
        Reference(
            name=normalize_name(r.name) if r.name else None,
            email=normalize_email(r.email) if r.email else None,
            phone=place_phones((r.phone,), country, via, f"references[{i}].phone", notes)[0]
            if r.phone
            else None,
            relationship=clean_line(r.relationship) if r.relationship else None,
            company=clean_line(r.company) if r.company else None,
            email_first_seen=r.email_first_seen,
            phone_first_seen=r.phone_first_seen,
            email_domain_registered=r.email_domain_registered,
        )
        for i, r in enumerate(d.references)
    )
    return Application(
        id=clean_line(d.id or "") or "application",
        name=uncertain_name(d.name) if raw.name_uncertain else normalize_name(d.name),
        aliases=tuple(normalize_name(a) for a in d.aliases if clean_line(a)),
        emails=tuple(normalize_email(e) for e in d.emails if clean_line(e)),
        phones=place_phones(
            tuple(p for p in d.phones if clean_line(p)), country, via, "phones", notes
        ),
        location=location,
        addresses=tuple(normalize_address(a) for a in d.addresses),
        links=tuple(normalize_link(link) for link in d.links if clean_line(link)),
        work_authorization=d.work_authorization,
        citizenship=d.citizenship,
        date_of_birth=d.date_of_birth,
        documents=raw.documents,
        attachments=raw.attachments,
        skills=tuple(clean_line(s) for s in d.skills if clean_line(s)),
        employment=tuple(
            Job(
                employer=clean_line(j.employer) if j.employer else None,
                title=clean_line(j.title) if j.title else None,
                period=period(j.start, j.end),
                location=clean_line(j.location) if j.location else None,
                website_domain=_domain(j.website),
                description=clean_block(j.description) if j.description else None,
            )
            for j in d.employment
        ),
        education=tuple(
            School(
                institution=clean_line(e.institution) if e.institution else None,
                degree=clean_line(e.degree) if e.degree else None,
                period=period(e.start, e.end),
                country=e.country,
            )
            for e in d.education
        ),
        references=references,
        network=tuple(
            NetworkEvent(
                ip=clean_line(n.ip),
                seen_at=n.seen_at,
                context=clean_line(n.context) if n.context else None,
                user_agent=clean_line(n.user_agent) if n.user_agent else None,
                utc_offset_minutes=n.utc_offset_minutes,
            )
            for n in d.network
        ),
        payment=normalize_payment(d.payment) if d.payment else None,
        # free text stays as written: the language analyzer cleans it and reports hidden
        # characters (see normalize.text)
        interview_notes=tuple(n for n in d.interview_notes if clean_line(n)),
        messages=tuple(
            Message(
                sender=clean_line(m.sender).lower() if m.sender else None,
                at=m.at,
                text=m.text or "",
            )
            for m in d.messages
        ),
        photos=tuple(p.path for p in d.photos),
        devices=tuple(
            Device(
                hostname=clean_line(dev.hostname) if dev.hostname else None,
                remote_access_tools=tuple(clean_line(t) for t in dev.remote_access_tools),
                usb_devices=tuple(clean_line(t) for t in dev.usb_devices),
                software=tuple(clean_line(t) for t in dev.software),
                mac_addresses=tuple(clean_line(t) for t in dev.mac_addresses),
                network_hosts=tuple(clean_line(t) for t in dev.network_hosts),
            )
            for dev in d.devices
        ),
        identity_events=tuple(
            IdentityEvent(
                account=clean_line(e.account).lower(),
                device=clean_line(e.device) if e.device else None,
                event=clean_line(e.event).lower() if e.event else None,
                at=e.at,
                ip=clean_line(e.ip) if e.ip else None,
            )
            for e in d.identity_events
        ),
        interview_checks=tuple(
            InterviewCheck(
                kind=c.kind.value,
                result=c.result.value,
                at=c.at,
                note=clean_line(c.note) if c.note else None,
            )
            for c in d.interview_checks
        ),
        received_at=d.received_at,
        source=d.source,
        origin=raw.origin,
        notes=capped(notes),
    )
