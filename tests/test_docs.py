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


def test_the_example_pack_in_rules_md_loads_lints_clean_and_passes_its_tests(
    tmp_path: Path,
) -> None:
    """The rules written out in docs/rules.md are a working pack (the page cannot rot)."""
    from screening.analyze import build_catalogue
    from screening.config import Settings
    from screening.evaluate import lint_ruleset, load_ruleset, run_rule_tests
    from screening.pipeline import build_analyzers
    from screening.resources import rules_dir

    pack = tmp_path / "my-pack"
    (pack / "patterns").mkdir(parents=True)
    rules = 0
    for block in re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "rules.md").read_text(), re.S):
        if block.startswith("# my-pack/pack.yml"):
            (pack / "pack.yml").write_text(block, encoding="utf-8")
        elif match := re.match(r"# my-pack/patterns/([a-z0-9-]+\.yml)\n", block):
            (pack / "patterns" / match.group(1)).write_text(block, encoding="utf-8")
        elif match := re.match(r"id: my-pack\.([a-z0-9-]+)", block):
            (pack / f"{match.group(1)}.yml").write_text(block, encoding="utf-8")
            rules += 1
    assert rules == 2 and (pack / "pack.yml").is_file()
    catalogue = build_catalogue(build_analyzers(Settings(), offline=True))
    ruleset = load_ruleset([rules_dir(), pack], catalogue)  # loading runs the embedded tests
    mine = [r for r in ruleset.rules if r.info.id.startswith("my-pack.")]
    assert len(mine) == 2
    assert [f.signal for f in ruleset.patterns.files if f.pack == "my-pack"] == ["camera-refusal"]
    assert "unusual-hours" not in ruleset.patterns.signals  # the pack's override
    issues = [str(i) for i in lint_ruleset(ruleset, catalogue) if i.path.startswith(str(pack))]
    assert issues == []
    results = [r for r in run_rule_tests(ruleset) if r.rule_id.startswith("my-pack.")]
    assert len(results) == 5 and all(r.passed for r in results)


def test_the_example_pattern_file_in_rules_md_behaves_as_its_examples_say(tmp_path: Path) -> None:
    """The pattern file in docs/rules.md matches, misses and negates as its examples say."""
    from screening.analyze.base import AnalysisContext
    from screening.analyze.language import LanguageAnalyzer, LanguageOptions
    from screening.evaluate import load_patterns
    from screening.ingest import from_mapping
    from screening.normalize import normalize
    from screening.pipeline import Engine
    from screening.testing import FixedClock, screen_mapping

    pack = tmp_path / "my-pack"
    (pack / "patterns").mkdir(parents=True)
    (pack / "pack.yml").write_text("id: my-pack\ntitle: Mine\nversion: 1.0.0\n", encoding="utf-8")
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```yaml\n(# my-pack/patterns/.*?)```", page, re.S)
    (pack / "patterns" / "camera-refusal.yml").write_text(block, encoding="utf-8")
    [file] = load_patterns([pack]).files
    engine = Engine.build(rule_dirs=[pack], clock=FixedClock(), offline=True)
    alone = LanguageAnalyzer(LanguageOptions(), patterns=load_patterns([pack]))
    expected = {"match": (True, True), "no_match": (False, False), "negated": (False, True)}
    for kind, (plain, any_hit) in expected.items():
        for sentence in getattr(file.examples, kind):
            application = {"name": "Jordan Avery", "interview_notes": [sentence]}
            facts = screen_mapping(engine, application).facts
            # the signal as a user with this pack loaded sees it (shipped wordings included:
            # where both match the same words, one match of the signal is kept)
            hits = [p for p in facts.namespace("phrases") if p.get("signal") == file.signal]
            assert (any(not p["negated"] for p in hits), bool(hits)) == (plain, any_hit), (
                kind,
                sentence,
                hits,
            )
            # and the page's own patterns alone behave the same
            app = normalize(from_mapping(application, "docs"))
            own = alone.analyze(app, AnalysisContext(clock=FixedClock(), offline=True))
            found = own.records.get("phrases", [])
            assert (any(not p["negated"] for p in found), bool(found)) == (plain, any_hit), (
                kind,
                sentence,
            )
