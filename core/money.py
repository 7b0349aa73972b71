"""Exact money: integer kopecks everywhere, Decimal only at the edges.

`round_div` is the one rounding rule of the product (half-up, away from zero on .5) and is also
compiled by Numba for the kernels (`sbyt.calc.jit.round_div`), so there is exactly one definition.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

KOPECKS = 100


def round_div(num: int, den: int) -> int:
    """num / den rounded half-up (away from zero) to an integer; den > 0.

    Written with integer operations only, so that Numba compiles it unchanged.
    """
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def kop(value: Decimal | int | str) -> int:
    """Rubles (Decimal, int or a string with '.' or ',') -> kopecks; refuses fractions of a kopeck."""
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"не число: «{value}»") from None
    d = Decimal(value) * KOPECKS
    if d != d.to_integral_value():
        raise ValueError(f"сумма {value} точнее копейки")
    return int(d)


def rub(kopecks: int) -> Decimal:
    """Kopecks -> Decimal rubles with two places."""
    return (Decimal(kopecks) / KOPECKS).quantize(Decimal("0.01"))


def quantize_kop(amount_rub: Decimal) -> int:
    """Decimal rubles (any precision) -> kopecks, rounded half-up. For reference code and edges."""
    return int((amount_rub * KOPECKS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_rub(kopecks: int, currency: bool = False) -> str:
    """12345678 -> «123 456,78» (Russian digit grouping with a narrow no-break space)."""
    sign = "-" if kopecks < 0 else ""
    whole, frac = divmod(abs(kopecks), KOPECKS)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = f"{sign}{grouped},{frac:02d}"
    return f"{text}\u00a0₽" if currency else text
