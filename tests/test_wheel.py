"""The wheel carries the rule packs and templates, and the installed command finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_rules_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("screening-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "screening/_data/rules/identity/pack.yml" in names
    assert "screening/_data/rules/schema/rule.schema.json" in names
    assert "screening/_data/templates/report.html.j2" in names
    assert "screening/data/freemail_domains.txt" in names
    assert "screening/py.typed" in names
    rules = [n for n in names if n.startswith("screening/_data/rules/") and n.endswith(".yml")]
    assert len(rules) >= 30

    # installed into a scratch location, the package finds its packs and templates inside itself
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "import screening.resources as r; print(r.rules_dir()); print(r.templates_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target)},
    ).stdout
    assert str(target / "screening" / "_data" / "rules") in out
    assert str(target / "screening" / "_data" / "templates") in out
