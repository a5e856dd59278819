"""Stage 1 of 6 (ingest): a resume's text lines read into structure (sections, entries, contacts).

``structure.read_structure`` is the entry point; the other modules each hold one kind of
knowledge: section headings, date ranges, work and education entries, the candidate's name,
contacts, countries.
"""
