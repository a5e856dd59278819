"""Input notes: what intake assumed or normalised while reading an application.

Intake is strict about what is dangerous and generous about what is merely untidy: a country
written as a name, a date in another form, a list where text was expected, an unknown column, a
national phone number placed through the claimed country. Each such step is *read, normalised
and noted*, so a reviewer can see what the tool assumed before trusting a finding. Notes travel
with the application (``RawApplication.notes`` -> ``Application.notes`` ->
``Screening.input_notes``) and every report format shows them ("Input notes"), as does the JSON
report (``input_notes``) and the batch summary.

How to add one (any stage that reads or normalises input)::

    notes.append(InputNote("basics.location.countryCode", NoteKind.COUNTRY,
                           "'India' read as country code IN"))

``field`` is the path *as the user wrote it* (a JSON Resume path, a CSV column, a document
part such as ``resume.pdf: page 2``), ``kind`` groups notes for counting, ``message`` says in
words what was read and what was done. Messages may quote a short part of the input: templates
escape it. Never put a whole free-text value in a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_NOTES = 200
"""Notes kept per application; a hostile file cannot grow a report without bound."""

MAX_QUOTED_CHARS = 40
"""Longest piece of input quoted in a note message."""


class NoteKind(StrEnum):
    """What kind of assumption a note records (stable values: reports and summaries count them)."""

    COUNTRY = "country"  # a country name, alpha-3 code or short form turned into a code
    DATE = "date"  # a date read from another form, or with less precision than written
    ONGOING = "ongoing"  # a role without an end read as current
    SHAPE = "shape"  # a list joined, text split, an object flattened, a number or empty dropped
    IGNORED = "ignored"  # unknown keys, sections or columns that were not read
    DROPPED = "dropped"  # a value that could not be used at all (and what was kept instead)
    PHONE = "phone"  # a national phone number placed through a country, or not placed
    LOCATION = "location"  # location text split into city, region and country
    COLUMNS = "columns"  # which CSV column mapping (preset) was used
    DOCUMENT = "document"  # something assumed while reading a resume or cover-letter file


@dataclass(frozen=True, slots=True)
class InputNote:
    """One normalisation or assumption: where (field path as written), what kind, what was done."""

    field: str
    kind: NoteKind
    message: str


def quoted(value: object) -> str:
    """A short, quoted rendering of an input value for a note message."""
    text = " ".join(str(value).split())
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return f"'{text}'"


def capped(notes: list[InputNote] | tuple[InputNote, ...]) -> tuple[InputNote, ...]:
    """At most ``MAX_NOTES`` notes, the last one saying how many more were left out."""
    if len(notes) <= MAX_NOTES:
        return tuple(notes)
    more = len(notes) - MAX_NOTES + 1
    kept = tuple(notes[: MAX_NOTES - 1])
    return (*kept, InputNote("", NoteKind.IGNORED, f"{more} further input notes not shown"))
