"""Paths of the shipped Cyrillic TTF fonts (DejaVu Sans) for PDF reports and printed forms.

The files live in `data/fonts/` (package `sbyt.data.fonts`) and are read through
importlib.resources, so they work from a checkout, an editable and a regular install.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FAMILY = "DejaVu"


def _path(name: str) -> Path:
    return Path(str(resources.files("sbyt.data.fonts") / name))


def regular() -> Path:
    """DejaVuSans.ttf."""
    return _path("DejaVuSans.ttf")


def bold() -> Path:
    """DejaVuSans-Bold.ttf."""
    return _path("DejaVuSans-Bold.ttf")


def licence() -> Path:
    return _path("LICENSE-DejaVu.txt")


def add_to(pdf: object, family: str = FAMILY) -> str:
    """Register regular and bold styles on an fpdf2 `FPDF`; returns the family name to `set_font`."""
    pdf.add_font(family, "", str(regular()))  # type: ignore[attr-defined]
    pdf.add_font(family, "B", str(bold()))  # type: ignore[attr-defined]
    return family
