"""Device facts after hire: remote-access tools, IP-KVM hardware, keep-awake tools and hidden AI
interview assistants.

Endpoint inventories are matched against shipped, sourced lists (``remote_access_tools.txt``,
``ip_kvm_devices.txt``, ``keep_awake_tools.txt``, ``interview_assist_tools.txt``) so a reviewer can
extend them without code, and against IP-KVM hardware fingerprints (USB ids, MAC prefixes, mDNS
names: ``kvm_fingerprints``). Identity-provider events after hire give one record per device that
approved sign-ins or multi-factor prompts, with the accounts it approved: one phone approving the
prompts of several employees' accounts is how one operator runs several hired personas.
Several remote-access tools on one machine and IP-KVMs are named in Sophos/Secureworks and MITRE
ATT&CK T1219.003 reporting on DPRK IT workers.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze import kvm_fingerprints
from screening.analyze.base import AnalysisContext, declare
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application
from screening.refdata import find_named, source_of


class DeviceAnalyzer:
    """Known remote-access, IP-KVM and keep-awake products per device."""

    name: ClassVar[str] = "devices"
    description: ClassVar[str] = "Endpoint inventory of devices after hire"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("devices", "One record per device reported", "devices", True),
        NamespaceSpec(
            "approvals",
            "One record per device in the identity-provider events, with the accounts it served",
            "devices",
            True,
        ),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "devices",
        "devices",
        [
            ("hostname", "str", "Device host name"),
            ("remote_access_tools", "list[str]", "Known remote-access products found"),
            ("remote_access_count", "int", "How many distinct remote-access products were found"),
            ("ip_kvm", "list[str]", "Known IP-KVM devices among the USB devices"),
            ("ip_kvm_count", "int", "How many IP-KVM devices were found"),
            (
                "ip_kvm_evidence",
                "list[str]",
                "Which fingerprint matched (USB id and string, MAC prefix, local host name)",
            ),
            ("keep_awake_tools", "list[str]", "Keep-awake or mouse-jiggler tools found"),
            ("keep_awake_count", "int", "How many keep-awake tools were found"),
            (
                "interview_assist_tools",
                "list[str]",
                "Tools that feed hidden live AI answers in interviews and meetings",
            ),
            ("usb_device_count", "int", "USB devices reported"),
        ],
    ) + declare(
        "devices",
        "approvals",
        [
            ("device", "str", "The device id as the identity provider reports it"),
            ("accounts", "list[str]", "Accounts whose sign-ins or prompts this device approved"),
            ("account_count", "int", "How many distinct accounts"),
            ("events", "list[str]", "The kinds of events seen (mfa_approved, sign_in ...)"),
        ],
    )

    def sources(self) -> list[Source]:
        """The product lists used."""
        return [
            source_of("remote_access_tools.txt", "Remote-access tools"),
            source_of("ip_kvm_devices.txt", "IP-KVM devices"),
            source_of("keep_awake_tools.txt", "Keep-awake tools"),
            source_of("interview_assist_tools.txt", "Hidden AI interview assistants"),
            kvm_fingerprints.SOURCE,
        ]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per device."""
        if not app.devices and not app.identity_events:
            return FamilyResult.skipped(
                "no device inventory or identity-provider events (post-hire data)"
            )
        result = FamilyResult(records={"devices": self._devices(app), "approvals": _approvals(app)})
        for namespace, absent, why in (
            ("devices", not app.devices, "no device inventory in the application"),
            (
                "approvals",
                not app.identity_events,
                "no identity-provider events in the application",
            ),
        ):
            if absent:
                for fact in self.facts:
                    if fact.path.startswith(f"{namespace}."):
                        result.missing[fact.path] = why
        return result

    def _devices(self, app: Application) -> list[Record]:
        records: list[Record] = []
        for dev in app.devices:
            software = " | ".join((*dev.remote_access_tools, *dev.software))
            tools = sorted(set(find_named(software, "remote_access_tools.txt")))
            # anything the endpoint tool itself labelled as remote access counts, even if unknown
            listed = {t for t in dev.remote_access_tools if t} - set(tools)
            known_lower = {t.lower() for t in tools}
            extra = sorted(t for t in listed if not any(k in t.lower() for k in known_lower))
            tools = tools + extra
            prints = kvm_fingerprints.match(dev.usb_devices, dev.mac_addresses, dev.network_hosts)
            named = find_named(" | ".join(dev.usb_devices), "ip_kvm_devices.txt")
            kvm = sorted(set(named) | {vendor for vendor, _ in prints})
            awake = sorted(
                set(
                    find_named(
                        " | ".join((*dev.software, *dev.usb_devices)), "keep_awake_tools.txt"
                    )
                )
            )
            records.append(
                {
                    "hostname": dev.hostname,
                    "remote_access_tools": tools,
                    "remote_access_count": len(tools),
                    "ip_kvm": kvm,
                    "ip_kvm_count": len(kvm),
                    "ip_kvm_evidence": [f"{vendor}: {what}" for vendor, what in prints],
                    "keep_awake_tools": awake,
                    "keep_awake_count": len(awake),
                    "interview_assist_tools": sorted(
                        set(find_named(" | ".join(dev.software), "interview_assist_tools.txt"))
                    ),
                    "usb_device_count": len(dev.usb_devices),
                }
            )
        return records


def _approvals(app: Application) -> list[Record]:
    """One record per device id in the identity-provider events."""
    by_device: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for event in app.identity_events:
        if not event.device:
            continue
        accounts, kinds = by_device.setdefault(event.device, ({}, {}))
        accounts[event.account] = None
        if event.event:
            kinds[event.event] = None
    return [
        {
            "device": device,
            "accounts": list(accounts),
            "account_count": len(accounts),
            "events": list(kinds),
        }
        for device, (accounts, kinds) in by_device.items()
    ]
