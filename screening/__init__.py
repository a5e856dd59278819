"""Screen remote-job applications for hiring-fraud signals, explained finding by finding.

The flow is the folder tree: ``ingest`` -> ``normalize`` -> ``analyze`` -> ``evaluate`` ->
``score`` -> ``report``; ``screening.pipeline`` is the one module that calls every stage.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
