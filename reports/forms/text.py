"""Number and date formats of printed forms: «1 234,56», kWh with up to 3 decimals, tariffs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def whole(n: int | None) -> str:
    """A meter reading or any whole number, grouped as the forms' money and volumes: 26871 -> «26 871»."""
    if n is None:
        return ""
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", " ")


def money(kopecks: int | None, blank_zero: bool = False) -> str:
    """12345678 -> «123 456,78» (plain spaces: forms never wrap inside a number)."""
    if kopecks is None or (blank_zero and kopecks == 0):
        return ""
    sign = "-" if kopecks < 0 else ""
    whole, frac = divmod(abs(kopecks), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{frac:02d}"


def volume(wh: int | None, blank_zero: bool = False) -> str:
    """Watt-hours -> kWh with up to three decimals: 150000 -> «150», 50125 -> «50,125»."""
    if wh is None or (blank_zero and wh == 0):
        return ""
    sign = "-" if wh < 0 else ""
    whole, frac = divmod(abs(wh), 1000)
    head = f"{whole:,}".replace(",", " ")
    if frac == 0:
        return f"{sign}{head}"
    return f"{sign}{head},{frac:03d}".rstrip("0")


def price(value: Decimal | None) -> str:
    """A tariff in RUB/kWh: two decimals unless the price has more («5,71», «1,9365»)."""
    if value is None:
        return ""
    q = value.quantize(Decimal("0.01")) if value == value.quantize(Decimal("0.01")) else value.normalize()
    return f"{q:f}".replace(".", ",")


def date_ru(day: date | None) -> str:
    return "" if day is None else day.strftime("%d.%m.%Y")
