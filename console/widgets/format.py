"""Display helpers: money «1 234,56», kWh «123,456», dates «01.02.2026», months «02.2026»."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sbyt.core.periods import period_label
from sbyt.core.money import format_rub


def money(kop: int | None) -> str:
    return "" if kop is None else format_rub(int(kop))


def kwh(wh: int | None) -> str:
    if wh is None:
        return ""
    whole, frac = divmod(abs(int(wh)), 1000)
    sign = "-" if wh < 0 else ""
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{frac:03d}".rstrip("0").rstrip(",") if frac else f"{sign}{grouped}"


def day(d: date | None) -> str:
    return "" if d is None else d.strftime("%d.%m.%Y")


def month(p: int | None) -> str:
    return "" if not p else period_label(int(p))


def price(p: Decimal | None) -> str:
    return "" if p is None else f"{p:.2f}".replace(".", ",")
