"""Rewrites ``data/word-forms.json``, the stored inflections of the shipped patterns' words.

    python -m screening.evaluate.word_forms

Run it after changing a pattern word (it needs LemmInflect, in the ``language`` extra); a test
fails while the file is stale. It lives with the pack loader it reads the shipped packs with
(the analyze stage may not import it).
"""

from __future__ import annotations

import sys

from screening.analyze.language.inflect import FORMS_FILE, render, tables
from screening.evaluate import load_patterns
from screening.resources import data_dir, rules_dir


def main() -> None:
    """Write the table from the shipped patterns."""
    if tables() is None:
        sys.exit("LemmInflect is not installed: pip install 'screening[language]'")
    path = data_dir() / FORMS_FILE
    path.write_text(render(load_patterns([rules_dir()])), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
