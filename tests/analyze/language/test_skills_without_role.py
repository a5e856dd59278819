"""Skills named in roles by a shorter or versionless name count as named."""

from __future__ import annotations

from screening.analyze.language.record import skills_without_role
from screening.ingest import from_mapping
from screening.normalize import normalize


def test_js_suffixes_versions_and_alternatives_are_matched() -> None:
    app = normalize(
        from_mapping(
            {
                "name": "Alex Morgan",
                "skills": ["React.js", "NodeJS", "HTML5", "Flutter (Dart)", "Web3", "Solidity"],
                "employment": [
                    {
                        "employer": "Acme",
                        "title": "Developer",
                        "start": "2020-01",
                        "description": "Built React and Node services, HTML email and Dart apps.",
                    }
                ],
            },
            "test",
        )
    )
    assert skills_without_role(app) == ["Web3", "Solidity"]
