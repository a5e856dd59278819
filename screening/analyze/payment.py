"""Payment facts: method, platform, wallets, and whose account the salary would go to.

The strongest payment signal is an account held by someone else (2022 advisory: verify banking
information "corresponding to other identifying documents"); crypto salaries and cross-border
platforms are weaker (many honest contractors use Payoneer or Wise). A company as account holder
is recorded separately: contractors paid through their own company are common.
"""

from __future__ import annotations

import re
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import best_relation
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

CROSS_BORDER_PLATFORMS = frozenset(
    {
        "payoneer",
        "wise",
        "paypal",
        "revolut",
        "skrill",
        "neteller",
        "western_union",
        "moneygram",
        "alipay",
        "wechat_pay",
    }
)
_COMPANY = re.compile(
    r"\b(llc|l\.l\.c|ltd|limited|inc|incorporated|corp|corporation|gmbh|s\.?a\.?r?\.?l|b\.?v|"
    r"pty|plc|co\.?|company|trading|solutions|consulting|services|technologies|tech|group|"
    r"holdings|enterprises|studio|labs|agency|oo[oо]|тов|ооо|有限公司)\b",
    re.IGNORECASE,
)
_WALLETS = (
    ("BTC", re.compile(r"^(bc1[02-9ac-hj-np-z]{11,71}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$")),
    ("ETH/EVM", re.compile(r"^0x[0-9a-fA-F]{40}$")),
    ("TRON", re.compile(r"^T[1-9A-HJ-NP-Za-km-z]{33}$")),
    ("LTC", re.compile(r"^(ltc1[02-9ac-hj-np-z]{11,71}|[LM][a-km-zA-HJ-NP-Z1-9]{26,33})$")),
    ("XMR", re.compile(r"^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$")),
    ("SOL", re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")),
)


def wallet_asset(address: str) -> str | None:
    """Which chain an address format belongs to (format only; no checksum)."""
    addr = address.split(":")[-1].strip()
    for asset, pattern in _WALLETS:
        if pattern.match(addr):
            return asset
    return None


class PaymentAnalyzer:
    """How the candidate asks to be paid and to whom."""

    name: ClassVar[str] = "payment"
    description: ClassVar[str] = "Payment method, platform, account holder and wallets"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("payment", "The payment details given", "payment", False),
        NamespaceSpec("wallets", "One record per digital-currency wallet given", "payment", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "payment",
        "payment",
        [
            (
                "method",
                "str",
                "Payment method, folded",
                {"values": ("bank", "crypto", "platform", "check", "other")},
            ),
            ("platform", "str", "Payment platform, folded (payoneer, wise, paypal ...)"),
            ("crypto", "bool", "Salary requested in digital currency"),
            (
                "cross_border_platform",
                "bool",
                "A cross-border payment platform (Payoneer, Wise, PayPal ...) rather than payroll",
            ),
            ("wallet_count", "int", "How many wallet addresses were given"),
            ("wallets_given", "str", "The wallet addresses given, in words (2 wallet addresses)"),
            ("holder", "str", "Account holder name"),
            (
                "holder_relation",
                "str",
                "How the account holder relates to the candidate's names",
                {"values": ("same", "variant", "different", "incomparable", "company")},
            ),
            ("holder_is_company", "bool", "The account holder is a company"),
            ("bank_country", "str", "Country of the bank account"),
            (
                "bank_country_differs_from_claim",
                "bool",
                "The bank account is in a different country from the claimed location",
            ),
        ],
    ) + declare(
        "payment",
        "wallets",
        [
            ("address", "str", "The wallet address as given"),
            ("asset", "str", "Chain recognised from the address format (BTC, ETH/EVM, TRON ...)"),
        ],
    )

    def sources(self) -> list[Source]:
        """No external data."""
        return []

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One payment record and one record per wallet."""
        pay = app.payment
        if pay is None:
            return FamilyResult.skipped("no payment details in the application")
        missing: dict[str, str] = {}
        holder = pay.account_holder
        is_company = bool(holder and _COMPANY.search(holder.display))
        relation = None
        if holder is not None:
            relation = (
                "company"
                if is_company
                else best_relation((app.name, *app.aliases), holder)[0].value
            )
        else:
            missing["payment.holder_relation"] = "no account holder given"
            missing["payment.holder_is_company"] = "no account holder given"
        claimed = app.location.country
        if not (pay.bank_country and claimed):
            missing["payment.bank_country_differs_from_claim"] = (
                "needs both payment.bank_country and a claimed country"
            )
        record: Record = {
            "method": pay.method,
            "platform": pay.platform,
            "crypto": pay.method == "crypto" or bool(pay.wallets),
            "cross_border_platform": pay.platform in CROSS_BORDER_PLATFORMS,
            "wallet_count": len(pay.wallets),
            "wallets_given": _wallets_text(len(pay.wallets)),
            "holder": holder.display if holder else None,
            "holder_relation": relation,
            "holder_is_company": is_company if holder else None,
            "bank_country": pay.bank_country,
            "bank_country_differs_from_claim": (
                pay.bank_country != claimed if pay.bank_country and claimed else None
            ),
        }
        wallets: list[Record] = [
            {"address": w[:128], "asset": wallet_asset(w)} for w in pay.wallets
        ]
        return FamilyResult(records={"payment": [record], "wallets": wallets}, missing=missing)


def _wallets_text(count: int) -> str:
    """``no wallet address given``, ``1 wallet address given``, ``2 wallet addresses given``."""
    if count == 0:
        return "no wallet address given"
    return f"{count} wallet address{'' if count == 1 else 'es'} given"
