"""Passive data shared by every stage: the application contract, facts, findings, screenings.

Nothing here does I/O; every stage imports ``screening.model`` and nothing later in the flow.
"""
