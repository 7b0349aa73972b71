"""Exact money: integer kopecks everywhere, Decimal only at the edges.

The money rules live here and nowhere else, each once:

* `round_div` — half-up (away from zero on .5) integer division, the one rounding of the product;
* `line_amount` — a charge line's kopecks from its volume (Wh) and price (RUB/kWh × 10⁴), rounded
  once per line;
* `vat_part` — the VAT inside an amount that includes it, at a rate in percent × 100;
* `rate_e2` / `price_e4` — the one conversion of a Decimal rate / price to those integers.

The integer rules are written with integer operations only: `sbyt.calc.jit` compiles these very
functions for the Numba kernels (and `round_div` as a NumPy ufunc), and migration
`013_money_macros.sql` spells them as DuckDB macros `round_div`, `line_amount`, `vat_part`; a
property test binds the three spellings together.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

KOPECKS = 100


def round_div(num: int, den: int) -> int:
    """num / den rounded half-up (away from zero) to an integer; den > 0.

    Written with integer operations only, so that Numba compiles it unchanged.
    """
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def line_amount(volume_wh: int, price_e4: int) -> int:
    """Kopecks of volume_wh Wh at price_e4 (RUB/kWh × 10⁴): Wh × RUB/kWh × 10⁴ = kop × 10⁵, half-up."""
    return round_div(volume_wh * price_e4, 100_000)


def mul_div(a: int, b: int, d: int) -> int:
    """a × b / d rounded half-up (away from zero), exact where a × b exceeds 64 bits; d > 0.

    For the legal-entity lines (Wh × RUB/MWh × 10⁴, W·days × RUB/MW·month × 10⁴): the quotient is
    estimated in floating point and corrected by the exact remainder. Under Numba the remainder is
    computed in wrapping int64 arithmetic, which is exact because the true remainder is a few d at
    most (|a × b / d| < 2⁵², d < 2⁶⁰); in Python every step is exact anyway.
    """
    neg = (a < 0) != (b < 0)
    a, b = abs(a), abs(b)
    q = int(float(a) * float(b) / float(d))
    r = a * b - q * d
    while r < 0:
        q -= 1
        r += d
    while r >= d:
        q += 1
        r -= d
    if 2 * r >= d:
        q += 1
    return -q if neg else q


def vat_part(amount_kop: int, rate_e2: int) -> int:
    """The VAT inside amount_kop (VAT included) at rate_e2 (percent × 100): amount × r / (100 + r), half-up."""
    return round_div(amount_kop * rate_e2, 10_000 + rate_e2)


def rate_e2(rate: Decimal | int | None) -> int:
    """A percentage (22, Decimal('22.00')) -> percent × 100; None (no rate in force) -> 0."""
    if rate is None:
        return 0
    scaled = Decimal(rate) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"ставка {rate} % точнее сотой доли процента")
    return int(scaled)


def price_e4(price: Decimal | int) -> int:
    """A price in RUB/kWh -> RUB/kWh × 10⁴ (tariffs carry at most 4 decimals)."""
    scaled = Decimal(price) * 10_000
    if scaled != scaled.to_integral_value():
        raise ValueError(f"цена {price} точнее 0,0001 ₽")
    return int(scaled)


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


def format_rub(kopecks: int, currency: bool = False) -> str:
    """12345678 -> «123 456,78» (Russian digit grouping with a narrow no-break space)."""
    sign = "-" if kopecks < 0 else ""
    whole, frac = divmod(abs(kopecks), KOPECKS)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = f"{sign}{grouped},{frac:02d}"
    return f"{text}\u00a0₽" if currency else text
