"""Device facts after hire: remote-access tools, IP-KVM hardware and keep-awake tools.

Endpoint inventories are matched against shipped, sourced lists (``remote_access_tools.txt``,
``ip_kvm_devices.txt``, ``keep_awake_tools.txt``) so a reviewer can extend them without code.
Several remote-access tools on one machine and IP-KVMs are named in Sophos/Secureworks and MITRE
ATT&CK T1219.003 reporting on DPRK IT workers.
"""

from __future__ import annotations

from typing import ClassVar

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
            ("keep_awake_tools", "list[str]", "Keep-awake or mouse-jiggler tools found"),
            ("keep_awake_count", "int", "How many keep-awake tools were found"),
            ("usb_device_count", "int", "USB devices reported"),
        ],
    )

    def sources(self) -> list[Source]:
        """The product lists used."""
        return [
            source_of("remote_access_tools.txt", "Remote-access tools"),
            source_of("ip_kvm_devices.txt", "IP-KVM devices"),
            source_of("keep_awake_tools.txt", "Keep-awake tools"),
        ]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per device."""
        if not app.devices:
            return FamilyResult.skipped("no device inventory in the application (post-hire data)")
        records: list[Record] = []
        for dev in app.devices:
            software = " | ".join((*dev.remote_access_tools, *dev.software))
            tools = sorted(set(find_named(software, "remote_access_tools.txt")))
            # anything the endpoint tool itself labelled as remote access counts, even if unknown
            listed = {t for t in dev.remote_access_tools if t} - set(tools)
            known_lower = {t.lower() for t in tools}
            extra = sorted(t for t in listed if not any(k in t.lower() for k in known_lower))
            tools = tools + extra
            kvm = sorted(set(find_named(" | ".join(dev.usb_devices), "ip_kvm_devices.txt")))
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
                    "keep_awake_tools": awake,
                    "keep_awake_count": len(awake),
                    "usb_device_count": len(dev.usb_devices),
                }
            )
        return FamilyResult(records={"devices": records})
