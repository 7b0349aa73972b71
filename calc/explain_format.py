"""The Russian text of an accrual line: a registry of formatters keyed by the line's method, the
number formats they share, and the formatters of the household methods and of the ОДН lines.

Other steps add theirs with (`sbyt.calc.penalty_explain` does)

    from sbyt.calc.explain_format import formatter

    @formatter("odn_meter")
    def _odn(line: dict) -> str: ...

A formatter gets the accrual_line row as a dict (column -> value) and returns one line of text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sbyt.core.labels import label
from sbyt.core.periods import period_label
from sbyt.core.money import format_rub, round_div

NBSP = "\u00a0"
Formatter = Callable[[dict], str]
FORMATTERS: dict[str, Formatter] = {}
ZONE_NAMES = {2: {1: "день", 2: "ночь"}, 3: {1: "пик", 2: "полупик", 3: "ночь"}}


def formatter(method: str) -> Callable[[Formatter], Formatter]:
    """Register the explanation of a method ('odn_meter', 'penalty', ...)."""

    def deco(fn: Formatter) -> Formatter:
        FORMATTERS[method] = fn
        return fn

    return deco


# ------------------------------------------------------------------------------------ number formats
def num(value: int | Decimal) -> str:
    """1250 -> «1 250»; Decimal('12.5') -> «12,5» (Russian grouping, no-break space)."""
    d = Decimal(value)
    sign = "−" if d < 0 else ""
    d = abs(d)
    whole = int(d)
    frac = d - whole
    text = f"{whole:,}".replace(",", NBSP)
    if frac:
        text += "," + format(frac, "f").split(".")[1].rstrip("0")
    return sign + text


def kwh(wh: int) -> str:
    """Watt-hours -> «150 кВт·ч» / «12,345 кВт·ч»."""
    return f"{num(Decimal(wh) / 1000)}{NBSP}кВт·ч"


def price(value: Decimal | None) -> str:
    """1.4000 -> «1,40 ₽»; 1.9360 -> «1,936 ₽» (at least two decimals)."""
    if value is None:
        return "—"
    d = Decimal(value).normalize()
    if d.as_tuple().exponent > -2:
        d = d.quantize(Decimal("0.01"))
    return f"{format(d, 'f').replace('.', ',')}{NBSP}₽"


def rub(kop: int) -> str:
    return format_rub(kop, currency=True).replace("-", "−")


def days_part(line: dict) -> str:
    d, md = line.get("days"), line.get("month_days")
    return f" × {d}/{md} дн." if d is not None and md and d != md else ""


def factor_part(line: dict) -> str:
    f = line.get("factor_milli")
    if not f or f == 1000:
        return ""
    label = "вмешательство в ПУ" if f >= 10000 else "отказ в допуске к ПУ"
    return f" × {num(Decimal(f) / 1000)} ({label})"


def share_part(line: dict, whole_wh: int | None) -> str:
    """Communal flat: «= 400 кВт·ч на квартиру; доля комнаты 4/8 чел.»."""
    n, d = line.get("share_num"), line.get("share_den")
    if n is None or not d:
        return ""
    flat = f" = {kwh(whole_wh)} на квартиру" if whole_wh is not None else ""
    return f"{flat}; доля комнаты {n}/{d} чел."


def priced(line: dict) -> str:
    """« = 150 кВт·ч × 1,40 ₽ = 210,00 ₽»."""
    return f" = {kwh(line['volume_wh'])} × {price(line['price'])} = {rub(line['amount_kop'])}"


def _prorated(wh: int, line: dict) -> int:
    d, md = line.get("days"), line.get("month_days")
    return round_div(wh * d, md) if d is not None and md else wh


def zone_prefix(line: dict) -> str:
    zones = line.get("_zones") or 1
    if zones <= 1:
        return ""
    return f"Зона {line['zone']} ({ZONE_NAMES.get(zones, {}).get(line['zone'], '')}). "


# ------------------------------------------------------------------------------------ the methods
@formatter("readings")
def _readings(line: dict) -> str:
    prev, cur, ratio = line["prev_value"], line["cur_value"], line.get("ratio") or 1
    diff = f"{num(cur)} − {num(prev)}"
    if cur is not None and prev is not None and cur < prev:
        diff += " (переход счётчика через ноль)"
    total = line.get("_reading_wh")
    text = f"Показания {diff}"
    if ratio != 1:
        text = f"Показания ({diff}) × {ratio} (расч. коэфф.)"
    split = days_part(line)
    if total is not None and (split or total != line["volume_wh"] or line.get("share_den")):
        text += f" = {kwh(total)}"
    text += split
    whole = _prorated(total, line) if total is not None else None
    return zone_prefix(line) + text + share_part(line, whole) + priced(line)


@formatter("average")
def _average(line: dict) -> str:
    months = line.get("base_months")
    avg = line.get("avg_wh")
    text = f"По среднему за {months} мес.: {kwh(avg) if avg is not None else '—'} в месяц" + days_part(line)
    whole = _prorated(avg, line) if avg is not None else None
    return zone_prefix(line) + text + share_part(line, whole) + priced(line)


@formatter("normative")
def _normative(line: dict) -> str:
    res = line.get("residents") or 0
    norm = line.get("normative_wh") or 0
    text = f"По нормативу: {res} чел. × {kwh(norm)}" + factor_part(line) + days_part(line)
    factor = line.get("factor_milli") or 1000
    d, md = line.get("days") or 1, line.get("month_days") or 1
    whole = round_div(res * norm * factor * d, 1000 * md)
    return text + share_part(line, whole) + priced(line)


@formatter("recalc")
def _recalc(line: dict) -> str:
    if line.get("reason"):
        vol = f"{kwh(line['volume_wh'])}, " if line.get("volume_wh") else ""
        return f"{line['reason']}: {vol}{rub(line['amount_kop'])}"
    months = line.get("base_months")
    return (f"Поступили показания после начислений по среднему: снимается объём, начисленный по среднему"
            f" за {months} мес." + priced(line))


@formatter("manual")
def _manual(line: dict) -> str:
    head = f"Ручной перерасчёт за {period_label(line['for_period'])}: {line.get('reason') or ''}"
    if line.get("volume_wh"):
        return head + priced(line)
    return f"{head}: {rub(line['amount_kop'])}"


def _default(line: dict) -> str:
    text = label("accrual_method", line["method"])
    if line.get("volume_wh"):
        return text + priced(line)
    return f"{text}: {rub(line['amount_kop'])}"


def format_line(line: dict) -> str:
    return FORMATTERS.get(line["method"], _default)(line)


@formatter("odn_meter")
@formatter("odn_normative")
def _odn(line: dict) -> str:
    """«ОДН по ОДПУ: ОДПУ 12 000 кВт·ч − помещения 10 000 кВт·ч = … × 60,00 / 2400,00 м² = 50 кВт·ч × 1,936 ₽ = 96,80 ₽»."""
    source = label("odn_source", line.get("base_method")) if line.get("base_method") else ""
    return f"ОДН {source}: {line.get('reason') or ''}".rstrip(": ") + priced(line)
