"""Helpers for the evaluate tests: a small fact catalogue and a writer for rule packs."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from screening.model.facts import FactCatalogue, FactSpec, FactType, NamespaceSpec
from screening.model.findings import RuleOutcome

PACKS = Path(__file__).parent / "packs"

_FACTS: list[tuple[str, str, str, dict[str, Any]]] = [
    # identity: one record per application
    ("identity.name", "str", "identity", {}),
    ("identity.claimed_country", "str", "identity", {}),
    ("identity.citizenship", "str", "identity", {"sensitive": True}),
    ("identity.remote_only", "bool", "identity", {}),
    ("identity.years_experience", "int", "identity", {}),
    ("identity.resume_similarity", "float", "identity", {}),
    ("identity.graduated_on", "date", "identity", {}),
    ("identity.applied_at", "datetime", "identity", {}),
    ("identity.skills", "list[str]", "identity", {}),
    ("identity.employer_count", "int", "identity", {}),
    # phones: many records
    ("phones.e164", "str", "phones", {}),
    ("phones.line_type", "str", "phones", {"values": ("mobile", "fixed", "voip", "unknown")}),
    ("phones.region", "str", "phones", {}),
    ("phones.carrier", "str", "phones", {}),
    ("phones.valid", "bool", "phones", {}),
    # emails: many records; the MX fact comes from the DNS family
    ("emails.address", "str", "emails", {}),
    ("emails.domain", "str", "emails", {}),
    ("emails.local_part", "str", "emails", {}),
    ("emails.free_provider", "bool", "emails", {}),
    ("emails.dns.has_mx", "bool", "dns", {}),
    # network: many records
    ("network.ip", "ip", "network", {}),
    ("network.seen_at", "datetime", "network", {}),
    ("network.utc_offset_minutes", "int", "network", {}),
    ("network.country", "str", "network", {}),
    ("network.vpn", "str", "network", {}),
    ("network.tz_country", "str", "network", {}),
    # devices: many records, list facts
    ("devices.remote_access_tools", "list[str]", "devices", {}),
    ("devices.open_ports", "list[int]", "devices", {}),
]

_NAMESPACES = [
    NamespaceSpec("identity", "Who the candidate claims to be", "identity", many=False),
    NamespaceSpec("phones", "Phone numbers", "phones", many=True),
    NamespaceSpec("emails", "Email addresses", "emails", many=True),
    NamespaceSpec("network", "Network observations", "network", many=True),
    NamespaceSpec("devices", "Devices after hire", "devices", many=True),
]


def make_catalogue() -> FactCatalogue:
    """The test catalogue (also used outside fixtures, e.g. by hypothesis tests)."""
    facts = [
        FactSpec(
            path=path,
            type=FactType(kind),
            description=f"test fact {path}",
            family=family,
            sensitive=bool(extra.get("sensitive", False)),
            values=tuple(extra.get("values", ())),
        )
        for path, kind, family, extra in _FACTS
    ]
    return FactCatalogue(facts, _NAMESPACES)


def rule_text(
    rule_id: str,
    match: str,
    *,
    tests: str = "[]",
    status: str = "experimental",
    extra: str = "",
    weight: float = 0.4,
    severity: str = "medium",
    explain: str = "Matched.",
    title: str = "",
    guidance: str | None = "Check it.",
    falsepositives: str = "[Unknown]",
) -> str:
    """A complete rule file around a ``match`` block (YAML, indented by the caller's dedent)."""
    body = textwrap.indent(textwrap.dedent(match).strip(), "  ")
    if tests.strip() != "[]":
        tests = "\n" + textwrap.indent(textwrap.dedent(tests).strip(), "  ")
    return (
        f"id: {rule_id}\n"
        f"title: {title or 'Rule ' + rule_id}\n"
        f"status: {status}\n"
        "category: identity\n"
        f"severity: {severity}\n"
        f"weight: {weight}\n"
        "description: Flags a test condition.\n"
        f"explain: {explain}\n"
        + (f"guidance: {guidance}\n" if guidance is not None else "")
        + "references: [https://example.org/advisory]\n"
        f"falsepositives: {falsepositives}\n"
        "tags: [signal.test]\n"
        f"{extra}"
        "match:\n"
        f"{body}\n"
        f"tests: {tests}\n"
    )


class PackWriter:
    """Writes a pack directory: ``pack.yml``, rule files by id, and lists."""

    def __init__(self, root: Path, pack_id: str = "test-pack", manifest: str = "") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.manifest(manifest or f"id: {pack_id}\ntitle: Test pack\nversion: 1.0.0\n")

    def manifest(self, text: str) -> Path:
        path = self.root / "pack.yml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def raw(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def rule(self, rule_id: str, match: str, **kwargs: object) -> Path:
        folder, stem = rule_id.split(".")
        return self.raw(f"{folder}/{stem}.yml", rule_text(rule_id, match, **kwargs))  # type: ignore[arg-type]

    def list(self, name: str, text: str) -> Path:
        return self.raw(f"lists/{name}.txt", textwrap.dedent(text))


Check = Callable[..., RuleOutcome]
