"""The deployment files say what the code does: the sample configuration loads and starts a
server's options, compose runs commands that exist with extras that exist, and the image pins
every package it installs. (No container engine runs in the tests: the image is not built.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from click.testing import CliRunner

from screening.cli import main
from screening.config import load_settings
from screening.server.options import ServerOptions

ROOT = Path(__file__).resolve().parents[1]


def test_the_sample_configuration_loads_and_configures_a_server() -> None:
    env = {
        "SCREENING_SERVER__GREENHOUSE__SECRET": "gh-secret",
        "SCREENING_STORE__URL": "postgresql://screening@postgres:5432/screening",
    }
    settings, path = load_settings(ROOT / "deploy" / "screening.toml", env)
    assert path is not None and settings.store.retention_days == 90
    options = ServerOptions.from_settings(settings)
    assert options.store_url == env["SCREENING_STORE__URL"] and options.workers == 0
    assert options.vendors["greenhouse"].secret == "gh-secret"


def test_compose_runs_existing_commands_against_postgres() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "receiver-1", "receiver-2", "worker"} <= set(services)
    assert services["worker"]["deploy"]["replicas"] == 3
    runner = CliRunner()
    for name in ("receiver-1", "receiver-2", "worker"):
        command = services[name]["command"]
        assert runner.invoke(main, [command[0], "--help"]).exit_code == 0
        url = services[name]["environment"]["SCREENING_STORE__URL"]
        assert url.startswith("postgresql://") and "@postgres:5432/" in url
    for port in services["receiver-1"]["ports"] + services["receiver-2"]["ports"]:
        assert port.startswith("127.0.0.1:")  # only the reverse proxy faces the network


def test_the_image_is_non_root_and_pins_every_package_it_installs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^USER screening", dockerfile, re.M)
    assert "-slim" in dockerfile
    extras = re.search(r'pip install "\.\[([a-z,]+)\]"', dockerfile)
    assert extras is not None
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = extras.group(1).split(",")
    assert "server" in wanted and set(wanted) <= set(project["optional-dependencies"])
    pins = {
        line.split("==")[0].lower()
        for line in (ROOT / "deploy" / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    required = list(project["dependencies"])
    for extra in wanted:
        required += project["optional-dependencies"][extra]
    for requirement in required:
        name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in deploy/constraints.txt"
