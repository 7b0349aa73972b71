"""Russian number and date text: «1 234 567,89», «1 234,567», «05.11.2026», «11.2026».

Terminal and PDF show grouped numbers (no-break space U+00A0 between thousands, so a number never
wraps); CSV gets the same numbers without grouping, with a decimal comma (Russian Excel), and no no-break
spaces at all (also inside text cells).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sbyt.core.periods import period_label
from sbyt.reports.table import SCALE, Column, format_of, unscale

NBSP = "\u00a0"
NNBSP = "\u202f"


def _decimal(value: Any, places: int | None) -> Decimal:
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
    return d


def number(value: Any, places: int | None = None, group: bool = True) -> str:
    """12345678.9 -> «12 345 678,90» (places=2); group=False -> «12345678,90»."""
    d = _decimal(value, places)
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    if group:
        whole = f"{int(whole):,}".replace(",", NBSP)
    return f"{sign}{whole}{',' + frac if frac else ''}"


def display(value: Any, fmt: str) -> str:
    """A value as the operator reads it in a terminal or a PDF."""
    if value is None:
        return ""
    kind = format_of(value, fmt)
    if kind in SCALE:
        return number(value, SCALE[kind])
    if kind == "int":
        return number(int(value), None)
    if kind == "number":
        return number(value) if isinstance(value, (int, float, Decimal)) else str(value)
    if kind == "percent":
        return number(value, 2) + NBSP + "%"
    if kind == "plain_int":
        return str(value)
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if kind == "datetime" and isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M:%S")
    if kind == "period" and isinstance(value, int):
        return period_label(value)
    if kind == "bool":
        return "да" if value else "нет"
    return str(value)


def csv_text(value: Any, fmt: str) -> str:
    """A value for a CSV cell: numbers ungrouped with a decimal comma, ISO dates."""
    if value is None:
        return ""
    kind = format_of(value, fmt)
    if kind in SCALE:
        return number(value, SCALE[kind], group=False)
    if kind in ("int", "plain_int"):
        return str(int(value))
    if kind in ("number", "percent"):
        return number(value, None, group=False) if isinstance(value, (int, float, Decimal)) else str(value)
    if kind in ("date", "datetime") and isinstance(value, date):
        return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else value.isoformat()
    if kind == "period" and isinstance(value, int):
        return period_label(value)
    if kind == "bool":
        return "да" if value else "нет"
    return plain_spaces(str(value))


def plain_spaces(text: str) -> str:
    """Text for a CSV cell: no-break spaces (of numbers grouped inside a text, «1 234,56 ₽») as plain
    spaces, so that Excel and scripts never meet U+00A0 / U+202F."""
    if NBSP in text or NNBSP in text:
        return text.replace(NBSP, " ").replace(NNBSP, " ")
    return text


def json_value(value: Any) -> Any:
    """JSON-safe value: exact decimals as strings, dates ISO, the rest as it is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def _scaled(value: int, scale: int, group: bool) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10 ** scale)
    head = f"{whole:,}".replace(",", NBSP) if group else str(whole)
    return f"{sign}{head},{frac:0{scale}d}" if scale else f"{sign}{head}"


def _fast(value: Any, col: Column) -> bool:
    return (col.scale is not None and type(value) is int
            and (col.format == "auto" or col.format == "number" or SCALE.get(col.format) == col.scale))


def display_cell(value: Any, col: Column) -> str:
    """`display` for a table cell (knows the column's scaled integers)."""
    if _fast(value, col):
        return _scaled(value, col.scale, True)  # type: ignore[arg-type]
    return display(unscale(value, col), col.format)


def csv_cell(value: Any, col: Column) -> str:
    if _fast(value, col):
        return _scaled(value, col.scale, False)  # type: ignore[arg-type]
    return csv_text(unscale(value, col), col.format)


def json_cell(value: Any, col: Column) -> Any:
    return json_value(unscale(value, col))
