"""Devices after hire: IP-KVM fingerprints, 2025-2026 remote-access tools and one device approving
sign-ins for several accounts, from the analyzer through the shipped rules."""

from __future__ import annotations

from typing import Any

import pytest

from screening.config import Settings
from screening.pipeline import Engine
from screening.testing import FixedClock, screen_mapping


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True)


def screen(engine: Engine, **data: Any) -> dict[str, Any]:
    result = screen_mapping(engine, {"name": "Jordan Avery", **data})
    return {f.id: f for f in result.findings}


def test_an_ip_kvm_is_recognised_by_usb_ids_mac_prefix_or_local_host_name(engine: Engine) -> None:
    device = {
        "hostname": "LT-0042",
        "usb_devices": ["USB\\VID_1D6B&PID_0104\\CAFEBABE PiKVM Composite Device"],
        "mac_addresses": ["30-52-53-0A-0B-0C"],
        "network_hosts": ["tinypilot.local"],
    }
    found = screen(engine, devices=[device])
    finding = found["device.ip-kvm-attached"]
    assert "PiKVM" in finding.explain and "JetKVM" in finding.explain
    evidence = next(e.value for e in finding.evidence if e.path == "devices.ip_kvm_evidence")
    assert any("MAC 30:52:53" in str(x) for x in evidence)  # type: ignore[union-attr]


def test_the_generic_usb_gadget_id_alone_is_not_an_ip_kvm(engine: Engine) -> None:
    # 1d6b:0104 is Linux's composite gadget: many devices use it, IP-KVMs among them
    device = {
        "hostname": "LT-0043",
        "usb_devices": ["1d6b:0104 Linux Foundation Multifunction Composite Gadget"],
        "mac_addresses": ["b8:27:eb:12:34:56"],  # a Raspberry Pi OUI: low confidence, not used
    }
    assert "device.ip-kvm-attached" not in screen(engine, devices=[device])


def test_remote_access_tools_of_2025_reporting_are_named(engine: Engine) -> None:
    one = screen(engine, devices=[{"hostname": "LT-0044", "software": ["AnyViewer 4.6"]}])
    assert "AnyViewer" in one["device.remote-access-tool"].explain
    device = {"hostname": "LT-0045", "software": ["AnyViewer 4.6", "JumpConnect 1.2"]}
    several = screen(engine, devices=[device])["device.several-remote-access-tools"].explain
    assert "AnyViewer" in several and "JumpConnect" in several


def test_one_device_approving_several_accounts(engine: Engine) -> None:
    events = [
        {"account": "J.Avery@corp.example", "device": "auth-7f3a", "event": "mfa_approved"},
        {"account": "m.lee@corp.example", "device": "auth-7f3a", "event": "MFA_APPROVED"},
        {"account": "m.lee@corp.example", "device": "auth-9c1d", "event": "mfa_approved"},
    ]
    found = screen(engine, identity_events=events)
    finding = found["device.one-device-approves-several-accounts"]
    assert "auth-7f3a" in finding.explain and "2 accounts" in finding.explain
    alone = screen(engine, identity_events=events[:1] + events[2:])
    assert "device.one-device-approves-several-accounts" not in alone


def test_without_post_hire_data_the_device_rules_are_not_evaluated(engine: Engine) -> None:
    result = screen_mapping(engine, {"name": "Jordan Avery"})
    gaps = {n.rule_id for n in result.not_evaluated}
    assert {"device.ip-kvm-attached", "device.one-device-approves-several-accounts"} <= gaps
    devices_only = screen_mapping(
        engine, {"name": "Jordan Avery", "devices": [{"hostname": "LT-1", "software": []}]}
    )
    gaps = {n.rule_id for n in devices_only.not_evaluated}
    assert "device.one-device-approves-several-accounts" in gaps
    assert "device.ip-kvm-attached" not in gaps


def test_a_hidden_ai_interview_assistant_is_named(engine: Engine) -> None:
    rule = "device.interview-assist-tool"
    device = {"hostname": "LT-0042", "software": ["Slack 4.41", "Cluely 0.9.2", "InterviewCoder"]}
    finding = screen(engine, devices=[device])[rule]
    assert "Cluely" in finding.explain and "Interview Coder" in finding.explain
    assert finding.rule.status == "experimental"
    # ordinary meeting and coding tools are not
    plain = {"hostname": "LT-0043", "software": ["Zoom", "Otter.ai", "GitHub Copilot"]}
    assert rule not in screen(engine, devices=[plain])
