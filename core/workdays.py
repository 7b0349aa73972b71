"""The production calendar (производственный календарь) of Russia: working days and deadlines.

Days off are weekends and public holidays with their transfers, and transferred working Saturdays
are working days, as the `holidays` package publishes them (`holidays.RU`: the Government's
decrees on day transfers, year by year). Deadlines counted «in working days» start on the next day:
5 working days from a Friday application are the following Friday when no holiday falls between.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _year(year: int) -> holidays.HolidayBase:
    return holidays.RU(years=year)


def is_working_day(day: date) -> bool:
    return _year(day.year).is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days(first: date, last: date) -> list[date]:
    """The working days from `first` to `last`, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)
            if is_working_day(first + timedelta(days=i))]
