"""Email addresses: syntax checked, split into local part and IDNA domain, lower-cased.

Syntax is checked with email-validator (no DNS here: deliverability is the DNS analyzer's job).
An address that fails keeps its text and the reason so the report can show it. The common case,
a plain ASCII address that is certainly valid, takes a fast path that gives the same result.
"""

from __future__ import annotations

import re

from screening.model.normalized import Email
from screening.normalize.text import clean_line

# a dot-atom local part and an LDH domain with a letters-only TLD: valid under every reading of
# the RFCs that email-validator applies, so the validator would accept it unchanged
_PLAIN = re.compile(
    r"^([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@"
    r"((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$"
)


# reserved top-level names the validator refuses (RFC 6761 and friends): not on the fast path
_SPECIAL = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def normalize_email(raw: str) -> Email:
    """Split and validate one address."""
    text = clean_line(raw).strip("<>").removeprefix("mailto:")
    plain = _PLAIN.match(text.lower()) if len(text) <= 254 else None
    if (
        plain
        and len(plain.group(1)) <= 64
        and plain.group(2).rsplit(".", 1)[1] not in _SPECIAL
        and "--" not in plain.group(2)  # "xn--" and other reserved "??--" labels: IDNA rules
    ):
        return Email(
            raw=raw, address=plain.group(0), local=plain.group(1), domain=plain.group(2), valid=True
        )
    from email_validator import EmailNotValidError, validate_email

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
