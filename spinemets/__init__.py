"""Shared code for the book *Surgery for spinal metastases, taught with runnable code*.

Chapters and tests import from here so that loading, validation and chart plumbing
exist once: ``spinemets.data`` (validated, analysis-ready case series),
``spinemets.validation`` (the rules behind ``python -m spinemets check-data``) and
``spinemets.charts`` (Altair helpers and the offline chart renderer).
"""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = PROJECT_ROOT / "data"
