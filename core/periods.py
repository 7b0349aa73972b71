"""Billing periods as integers YYYYMM and their calendar arithmetic."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta


def period_of(day: date) -> int:
    return day.year * 100 + day.month


def first_day(period: int) -> date:
    return date(period // 100, period % 100, 1)


def next_first_day(period: int) -> date:
    """The first day of the following month: the exclusive end of `period`."""
    return first_day(next_period(period))


def last_day(period: int) -> date:
    return next_first_day(period) - timedelta(days=1)


def days_in(period: int) -> int:
    return calendar.monthrange(period // 100, period % 100)[1]


def next_period(period: int) -> int:
    y, m = divmod(period, 100)
    return (y + 1) * 100 + 1 if m == 12 else period + 1


def prev_period(period: int) -> int:
    y, m = divmod(period, 100)
    return (y - 1) * 100 + 12 if m == 1 else period - 1


def add_months(period: int, n: int) -> int:
    y, m = divmod(period, 100)
    idx = y * 12 + (m - 1) + n
    return (idx // 12) * 100 + idx % 12 + 1


def months_between(a: int, b: int) -> int:
    """Number of months from a to b (b - a)."""
    return (b // 100 - a // 100) * 12 + (b % 100 - a % 100)


_PERIOD_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})\.(\d{4})|(\d{4})(\d{2}))\s*$")


def parse_period(text: str) -> int:
    """Accepts «2026-11», «11.2026» and «202611»; raises ValueError with a Russian message."""
    m = _PERIOD_RE.match(text)
    if not m:
        raise ValueError(f"не период: «{text}» (ожидается ГГГГ-ММ или ММ.ГГГГ)")
    y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3)) if m.group(3) else (m.group(5), m.group(6))
    year, month = int(y), int(mo)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"не период: «{text}»")
    return year * 100 + month


def format_period(period: int) -> str:
    """202611 -> «2026-11»."""
    return f"{period // 100}-{period % 100:02d}"


MONTHS_RU = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь"]


MONTHS_RU_IN = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                "сентябре", "октябре", "ноябре", "декабре"]


def period_title(period: int) -> str:
    """202611 -> «ноябрь 2026»."""
    return f"{MONTHS_RU[period % 100 - 1]} {period // 100}"


def period_title_in(period: int) -> str:
    """202611 -> «ноябре 2026» (the prepositional case: «учтены в ноябре 2026»)."""
    return f"{MONTHS_RU_IN[period % 100 - 1]} {period // 100}"
