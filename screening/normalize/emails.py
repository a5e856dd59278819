"""Email addresses: syntax checked, split into local part and IDNA domain, lower-cased.

Syntax is checked with email-validator (no DNS here: deliverability is the DNS analyzer's job).
An address that fails keeps its text and the reason so the report can show it.
"""

from __future__ import annotations

from screening.model.normalized import Email
from screening.normalize.text import clean_line


def normalize_email(raw: str) -> Email:
    """Split and validate one address."""
    from email_validator import EmailNotValidError, validate_email

    text = clean_line(raw).strip("<>").removeprefix("mailto:")
    local, _, domain = text.rpartition("@")
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as exc:
        domain_ascii = _ascii_domain(domain)
        return Email(
            raw=raw,
            address=text.lower(),
            local=local.lower(),
            domain=domain_ascii,
            valid=False,
            error=str(exc),
        )
    domain = (result.ascii_domain or _ascii_domain(result.domain)).lower()
    return Email(
        raw=raw,
        address=f"{result.local_part.lower()}@{domain}",
        local=result.local_part.lower(),
        domain=domain,
        valid=True,
    )


def _ascii_domain(domain: str) -> str:
    domain = domain.strip().strip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain
