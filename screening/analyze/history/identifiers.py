"""Stage 3 (analyze): an application's identifiers in the one form the history compares.

The history keeps keyed hashes only, so two spellings of the same phone, mailbox, address,
account, wallet or profile must become the same text *before* hashing, or reuse would be missed:
phones are E.164 from normalize; emails are lower-cased, ``googlemail.com`` is ``gmail.com``,
dots are dropped where the provider ignores them and ``+tags`` where the provider delivers them
to the same mailbox; addresses use the normalised comparison key and need a street line (a city
alone identifies nobody); wallets keep the case only where the address format is case-sensitive.
Values that normalise to nothing are skipped, never stored as an empty identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.model.normalized import Application, Email, Payment
from screening.normalize.wallets import canonical_wallet

KINDS = ("phone", "email", "address", "bank_account", "wallet", "handle", "reference_contact")
HANDLE_KINDS = frozenset({"linkedin", "github", "gitlab", "x", "telegram"})

# providers that deliver local+tag@domain to local@domain
_PLUS_PROVIDERS = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "fastmail.com",
        "fastmail.fm",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
    }
)
# providers for which dots in the local part do not matter
_DOTLESS_PROVIDERS = frozenset({"gmail.com"})
_DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


@dataclass(frozen=True, slots=True)
class Identifier:
    """One normalised identifier: what it is, how the application uses it, its text."""

    kind: str
    role: str
    value: str


def canonical_email(email: Email) -> str | None:
    """The mailbox an address delivers to, as far as the provider's rules are known."""
    return canonical_mailbox(email.local, email.domain)


def canonical_mailbox(local: str, domain: str) -> str | None:
    """``canonical_email`` for an address already split at the last '@'."""
    local, domain = local.strip().lower(), domain.strip().lower().rstrip(".")
    if not local or not domain or "." not in domain:
        return None
    domain = _DOMAIN_ALIASES.get(domain, domain)
    if domain in _PLUS_PROVIDERS:
        local = local.split("+", 1)[0]
    if domain in _DOTLESS_PROVIDERS:
        local = local.replace(".", "")
    return f"{local}@{domain}" if local else None


def bank_fingerprint(payment: Payment | None) -> str | None:
    """The payout account as far as contract v1 describes it: holder, bank country, platform.

    The input contract carries no account number or IBAN, so the fingerprint is the account
    holder's folded name tokens (order-free) with the bank country and platform; it links
    applications paid into one third party's account, the pattern the 2022 advisory describes.
    """
    if payment is None or payment.account_holder is None or not payment.account_holder.tokens:
        return None
    holder = " ".join(sorted(payment.account_holder.tokens))
    return f"{holder}|{payment.bank_country or ''}|{payment.platform or ''}"


def identifiers(app: Application) -> list[Identifier]:
    """Every identifier of ``app`` that normalises to something, without repeats."""
    out: dict[tuple[str, str, str], Identifier] = {}

    def add(kind: str, role: str, value: str | None) -> None:
        if value:
            out.setdefault((kind, role, value), Identifier(kind, role, value))

    for phone in app.phones:
        add("phone", "own", phone.e164)
    for email in app.emails:
        add("email", "own", canonical_email(email))
    for address in app.addresses:
        street = address.key.split("|", 1)[0]
        add("address", address.kind, address.key if street.strip() else None)
    add("bank_account", "payment", bank_fingerprint(app.payment))
    for wallet in app.payment.wallets if app.payment else ():
        add("wallet", "payment", canonical_wallet(wallet))
    for link in app.links:
        if link.kind in HANDLE_KINDS and link.handle:
            add("handle", link.kind, f"{link.kind}:{link.handle.lower()}")
    # a reference's contact details, compared only with other applications' references: the same
    # "support persona" vouching for unrelated candidates (OpenAI, 2025)
    for ref in app.references:
        if ref.phone and ref.phone.e164:
            add("reference_contact", "reference", f"phone:{ref.phone.e164}")
        if ref.email:
            mailbox = canonical_email(ref.email)
            add("reference_contact", "reference", f"email:{mailbox}" if mailbox else None)
    return list(out.values())
