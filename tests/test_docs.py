"""The repository stands on its own: docs link to files that exist and cite nothing outside it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".py", ".md", ".yml", ".yaml", ".json", ".j2", ".txt", ".toml"}
# documents of the project's planning that are not in the repository
OUTSIDE = re.compile(r"\b" + "DES" + r"IGN\b|\b" + "rese" + r"arch/|\.\./shared/")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def repository_texts() -> list[Path]:
    folders = ["screening", "docs", "rules", "tests", "examples", "bench", "templates"]
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "pyproject.toml"]
    for folder in folders:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in TEXT and p.is_file()]
    return [p for p in files if "corpus" not in p.parts]


def test_nothing_cites_planning_documents_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in repository_texts()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_relative_links_in_the_docs_point_to_files_that_exist() -> None:
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
