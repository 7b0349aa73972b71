"""The period state machine: one open month at a time; closed months are immutable.

Every service that writes data belonging to a month calls `ensure_open` first. Closing (posting
the month's draft accrual lines to the ledger) lives with the calculation in `sbyt.calc.close`.
"""

from __future__ import annotations

from datetime import date

from sbyt.core.errors import ClosedPeriodError, SbytError
from sbyt.core.periods import period_of
from sbyt.core.store import Store


def open_period(store: Store) -> int:
    """The open month; an error if the store has none yet."""
    value = store.scalar("SELECT max(period) FROM billing_period WHERE status = 'open'")
    if value is None:
        raise SbytError("В базе нет открытого расчётного периода. Откройте его: «sbyt period open ГГГГ-ММ».")
    return int(value)


def is_closed(store: Store, period: int) -> bool:
    status = store.scalar("SELECT status FROM billing_period WHERE period = ?", [period])
    if status is not None:
        return status == "closed"
    # A month before the first period of the store is history loaded from the old system: frozen.
    first = store.scalar("SELECT min(period) FROM billing_period")
    return first is not None and period < first


def ensure_open(store: Store, period: int) -> None:
    """Refuse any write into a closed month."""
    if is_closed(store, period):
        raise ClosedPeriodError(period)


def ensure_open_on(store: Store, day: date) -> None:
    ensure_open(store, period_of(day))


def start_period(store: Store, period: int) -> None:
    """Open the first period of a new store (later periods are opened by closing the previous one)."""
    if store.scalar("SELECT count(*) FROM billing_period"):
        raise SbytError("Периоды уже ведутся: следующий открывается закрытием текущего («sbyt period close»).")
    store.execute("INSERT INTO billing_period (period, status) VALUES (?, 'open')", [period])
