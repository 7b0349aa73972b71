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


def day_within(period: int, day: date) -> date:
    """`day` moved into the month: itself inside it, the month's last day after it, its first day before."""
    return min(max(day, first_day(period)), last_day(period))


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


# ------------------------------------------------------------------------------ notation
# One notation for input and one for display, used by every command, screen, report and form
# (docs/cli.md, «Месяцы и даты»):
#   input    a month as ГГГГ-ММ (canonical: «2026-11»), also «11.2026» and «202611»;
#            a day as ГГГГ-ММ-ДД or ДД.ММ.ГГГГ;
#   display  a month as ММ.ГГГГ («11.2026») in tables and messages, «ноябрь 2026» only in the titles
#            of documents (the ЕПД, its e-mail); a day as ДД.ММ.ГГГГ.
# The store keeps months as INTEGER YYYYMM and JSON output carries them so.

_PERIOD_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})\.(\d{4})|(\d{4})(\d{2}))\s*$")
# A date as people and other programs write it: ГГГГ-ММ-ДД or ДД.ММ.ГГГГ, possibly followed by a time
# of day (bank and meter exports write «31.12.2025 10:00:00»), which is dropped. The SQL twin is the
# macro `text_date` of migration 017_text_date.sql (tests/test_rules.py keeps them equal).
_DATE_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))"
                      r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$", re.ASCII)


def parse_period(text: str) -> int:
    """Operator input «2026-11», «11.2026» or «202611» -> 202611; ValueError with a Russian message."""
    m = _PERIOD_RE.match(text)
    if not m:
        raise ValueError(f"не период: «{text}» (ожидается ГГГГ-ММ, например 2026-11)")
    y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3)) if m.group(3) else (m.group(5), m.group(6))
    year, month = int(y), int(mo)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"не период: «{text}» (ожидается ГГГГ-ММ, например 2026-11)")
    return year * 100 + month


def parse_date(text: str) -> date:
    """«2026-11-05», «05.11.2026» (a time after it is dropped) -> date; ValueError with a Russian message."""
    m = _DATE_RE.match(text)
    try:
        if m and m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m:
            return date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        pass
    raise ValueError(f"не дата: «{text}» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")


def period_label(period: int) -> str:
    """The display notation of a month: 202611 -> «11.2026»."""
    return f"{period % 100:02d}.{period // 100}"


def date_label(day: date | None) -> str:
    """The display notation of a day: «05.11.2026»; '' for None."""
    return "" if day is None else f"{day:%d.%m.%Y}"


def period_iso(period: int) -> str:
    """202611 -> «2026-11»: for file names (they sort), never shown as a month to read."""
    return f"{period // 100}-{period % 100:02d}"


MONTHS_RU = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь"]


MONTHS_RU_IN = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                "сентябре", "октябре", "ноябре", "декабре"]


def period_title(period: int) -> str:
    """A month in the title of a document: 202611 -> «ноябрь 2026»."""
    return f"{MONTHS_RU[period % 100 - 1]} {period // 100}"


def period_title_in(period: int) -> str:
    """202611 -> «ноябре 2026» (the prepositional case: «учтены в ноябре 2026»)."""
    return f"{MONTHS_RU_IN[period % 100 - 1]} {period // 100}"
