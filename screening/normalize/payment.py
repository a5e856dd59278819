"""Payment method and platform names folded to a small vocabulary rules can compare.

Candidates and ATS forms write "USDT (TRC20)", "crypto", "Payoneer", "wire", "TransferWise";
rules should not need to know every spelling.
"""

from __future__ import annotations

import re

from screening.model.application import Payment as PaymentInput
from screening.model.normalized import Payment
from screening.normalize.names import normalize_name
from screening.normalize.text import clean_line, fold

_PLATFORMS = {
    "payoneer": "payoneer",
    "wise": "wise",
    "transferwise": "wise",
    "paypal": "paypal",
    "revolut": "revolut",
    "skrill": "skrill",
    "neteller": "neteller",
    "upwork": "upwork",
    "fiverr": "fiverr",
    "freelancer": "freelancer",
    "deel": "deel",
    "remote.com": "remote",
    "oyster": "oyster",
    "rippling": "rippling",
    "gusto": "gusto",
    "western union": "western_union",
    "westernunion": "western_union",
    "moneygram": "moneygram",
    "alipay": "alipay",
    "wechat pay": "wechat_pay",
    "wechatpay": "wechat_pay",
    "venmo": "venmo",
    "zelle": "zelle",
    "cash app": "cash_app",
    "cashapp": "cash_app",
    "binance": "binance",
    "coinbase": "coinbase",
}
_CRYPTO_WORDS = re.compile(
    r"\b(crypto|cryptocurrency|bitcoin|btc|ethereum|eth|usdt|usdc|tether|trc20|erc20|bep20|"
    r"stablecoin|wallet|solana|sol|litecoin|ltc|monero|xmr|tron|trx|binance)\b"
)
_BANK_WORDS = re.compile(r"\b(bank|wire|ach|sepa|iban|swift|direct deposit|payroll|transfer)\b")
_CHECK_WORDS = re.compile(r"\b(check|cheque)\b")


# exchanges are where crypto is bought, not a way to be paid a salary
_PAYOUT_PLATFORMS = frozenset(_PLATFORMS.values()) - {"binance", "coinbase"}


def known_platform(text: str | None) -> str | None:
    """The known platform named in free text, or None."""
    folded = fold(clean_line(text or ""))
    return next((name for word, name in _PLATFORMS.items() if word in folded), None)


def platform_name(text: str | None) -> str | None:
    """Known platform identifier for free text, or the folded text itself."""
    return known_platform(text) or fold(clean_line(text or "")) or None


def payment_method(method: str | None, platform: str | None, wallets: int) -> str | None:
    """One of crypto, platform, bank, check, other (None when nothing was said)."""
    text = fold(clean_line(method or ""))
    if _CRYPTO_WORDS.search(text) or (wallets and not text):
        return "crypto"
    if known_platform(text) in _PAYOUT_PLATFORMS:
        return "platform"
    if _BANK_WORDS.search(text):
        return "bank"
    if _CHECK_WORDS.search(text):
        return "check"
    if text:
        return "other"
    return "platform" if platform else None


def normalize_payment(p: PaymentInput) -> Payment:
    """Fold method and platform; clean the account holder as a name."""
    wallets = tuple(clean_line(w) for w in p.wallets if clean_line(w))
    return Payment(
        method=payment_method(p.method, p.platform, len(wallets)),
        account_holder=normalize_name(p.account_holder) if p.account_holder else None,
        bank_country=p.bank_country,
        platform=platform_name(p.platform) or known_platform(p.method),
        wallets=wallets,
    )
