"""The office's «today»: the system date, or the date set in the environment variable `SBYT_TODAY`.

Services that compare a date with today (payments dated in the future are refused) take `today`
as a parameter and default it here, so the console (its own fixed `today`), the CLI and tests all
decide the same way. `SBYT_TODAY=2026-12-05` replays a day's work on an old copy
of the store and keeps tests independent of the real date.
"""

from __future__ import annotations

import os
from datetime import date

from sbyt.core.errors import SbytError
from sbyt.core.periods import parse_date


def today() -> date:
    text = os.environ.get("SBYT_TODAY", "").strip()
    if not text:
        return date.today()
    try:
        return parse_date(text)
    except ValueError as e:
        raise SbytError(f"SBYT_TODAY: {e}.") from None
