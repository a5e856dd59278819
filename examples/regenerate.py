"""Regenerate examples/reports/ from the example applications (run from the repository root).

    python examples/regenerate.py          # rewrite the reports
    python examples/regenerate.py --check  # exit 1 and name the files that drifted

The reports are screened offline, against an empty history and without a time budget, with the
lists that ship with the package (never a maintainer's updated copies) and at a fixed instant, so
the same code and rules always give the same bytes. ``tests/test_examples.py`` runs the check: a
change to analyzers, rules or templates that moves a report regenerates it in the same commit.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

from screening.config import Settings
from screening.model.application import RawApplication
from screening.pipeline import Engine
from screening.report import render_formats
from screening.report.render import Format
from screening.store.history import HistoryStore
from screening.testing import FixedClock

EXAMPLES = Path("examples")
REPORTS = EXAMPLES / "reports"
FORMATS: tuple[Format, ...] = ("html", "json", "md")
AT = dt.datetime(2026, 11, 24, 3, 28, 1, tzinfo=dt.UTC)  # the instant every report is dated


def render_all() -> dict[Path, str]:
    """Every report file's path and the text it should hold."""
    out: dict[Path, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # no time budget: a busy machine must not cut an analyzer out of a reference report
        limits = {"screening_seconds": 3600}
        settings = Settings.model_validate({"lists": {"dir": tmp}, "limits": limits})
        engine = Engine.build(settings, clock=FixedClock(AT), offline=True)
        # an empty history looked up and never written, as ``screening check --no-record`` does
        db = Path(tmp) / "history.sqlite3"
        HistoryStore.open(db, "example-reports-fixed-key").close()
        with sqlite3.connect(db) as conn:  # dated like the reports, not the day they were made
            conn.execute(
                "UPDATE history_meta SET value = ? WHERE key = 'created_at'", (AT.isoformat(),)
            )
        conn.close()
        history = HistoryStore.open(db, "example-reports-fixed-key")
        engine = engine.with_history(history, record=False)
        for path in sorted(EXAMPLES.glob("*.yml")):
            (raw,) = engine.read(path)
            if not isinstance(raw, RawApplication):
                raise SystemExit(f"{path}: {raw.error}")
            texts = render_formats(engine.screen(raw), FORMATS)
            for fmt in FORMATS:
                out[REPORTS / f"{path.stem}.{fmt}"] = texts[fmt]
        history.close()
    return out


def drifted() -> list[Path]:
    """Report files whose content differs from a fresh rendering (or that are missing)."""
    return [
        path
        for path, text in render_all().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = drifted()
        for path in stale:
            print(f"{path} is out of date: run python examples/regenerate.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in render_all().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
