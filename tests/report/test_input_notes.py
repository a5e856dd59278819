"""Input notes and "What was read": what intake assumed is shown in every report format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from screening.config import Settings
from screening.ingest import from_mapping
from screening.model.notes import MAX_NOTES, InputNote, NoteKind, capped
from screening.normalize import normalize
from screening.pipeline import Engine
from screening.report import render


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), offline=True)


def _app(**fields: Any) -> Any:
    return from_mapping({"id": "t-1", "name": "Ana Souza", **fields}, "test")


def test_national_phone_is_placed_through_the_claimed_country_with_a_note() -> None:
    app = normalize(_app(phones=["912 345 678"], location={"country": "PT"}))
    assert app.phones[0].e164 == "+351912345678"
    (note,) = app.notes
    assert note.field == "phones[0]" and note.kind is NoteKind.PHONE
    assert "+351912345678" in note.message and "claimed country" in note.message


def test_without_a_country_the_default_region_places_it_or_a_note_says_it_was_not() -> None:
    unplaced = normalize(_app(phones=["(512) 555-0102"]))
    assert unplaced.phones[0].e164 is None
    assert [n.kind for n in unplaced.notes] == [NoteKind.PHONE]
    assert "could not be placed" in unplaced.notes[0].message
    placed = normalize(_app(phones=["(512) 555-0102"]), default_region="US")
    assert placed.phones[0].e164 == "+15125550102"
    assert "[phone] default_region" in placed.notes[0].message


def test_international_numbers_need_no_note() -> None:
    app = normalize(_app(phones=["+351 912 345 678"], location={"country": "PT"}))
    assert app.notes == ()


def test_default_region_must_be_a_country_code() -> None:
    assert Settings.model_validate({"phone": {"default_region": "pt"}}).phone.default_region == "PT"
    with pytest.raises(ValueError, match="alpha-2"):
        Settings.model_validate({"phone": {"default_region": "Portugal"}})


def test_every_format_shows_what_was_read_and_the_notes(engine: Engine) -> None:
    hostile = "<b>Ana</b> *Souza*"
    raw = _app(
        name=hostile,
        phones=["912 345 678"],
        location={"country": "PT", "city": "Porto"},
        employment=[{"employer": "Acme", "title": "Dev", "start": "2019-03", "end": "present"}],
    )
    screening = engine.screen(raw)
    doc = json.loads(render(screening, "json"))
    assert doc["input_notes"] == [
        {"field": "phones[0]", "kind": "phone", "message": doc["input_notes"][0]["message"]}
    ]
    read = doc["read"]
    assert read["phones"][0]["e164"] == "+351912345678"
    assert read["location"]["city"] == "Porto"
    assert read["employment"][0]["start"] == "2019-03" and read["employment"][0]["current"]
    html = render(screening, "html")
    assert "What was read" in html and "Input notes" in html and "+351912345678" in html
    assert "<b>Ana</b>" not in html and "&lt;b&gt;Ana&lt;/b&gt;" in html
    md = render(screening, "md")
    assert "## What was read" in md and "## Input notes" in md
    assert "- phones\\[0\\] (phone): national number" in md
    assert "\\<b\\>Ana\\</b\\> \\*Souza\\*" in md
    summary = render(screening, "md-summary")
    assert "## What was read" not in summary and "Score **" in summary


def test_notes_are_capped() -> None:
    notes = [InputNote(f"f{i}", NoteKind.SHAPE, "x") for i in range(MAX_NOTES + 5)]
    kept = capped(notes)
    assert len(kept) == MAX_NOTES and "6 further input notes" in kept[-1].message
