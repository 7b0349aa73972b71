"""Reference data shipped in `sbyt.data`: key rates and dated rules, and lookups of dated rules;
the production calendar for SQL reports; the System Operator's planned peak windows; the state
duty scales (`state_duty.csv`, table `state_duty_band`, read by `sbyt.core.debt_law`).

`install_reference` is idempotent: rows already present (same natural key) are left alone, so
`sbyt init` can run on an existing store. The production calendar (`production_calendar`, migration
091) is a copy of `sbyt.core.workdays` day by day and is refreshed to it on every run.
"""

from __future__ import annotations

import csv
import io as _stdio
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources

from sbyt.core.store import Store


def _data_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("sbyt.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(_stdio.StringIO(text), delimiter=";"))


def key_rate_rows() -> list[tuple[date, Decimal]]:
    return [(date.fromisoformat(r["valid_from"]), Decimal(r["rate"])) for r in _data_csv("key_rates.csv")]


def dated_rule_rows() -> list[tuple]:
    rows = []
    for r in _data_csv("dated_rules.csv"):
        rows.append((
            r["code"], date.fromisoformat(r["valid_from"]),
            date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            Decimal(r["value"]) if r["value"] else None,
            r["text_value"] or None, r["note"] or None,
        ))
    return rows


STATE_DUTY_FILE = "state_duty.csv"


def state_duty_rows() -> list[tuple]:
    """The shipped state duty bands (migration 101): court, valid_from, valid_to, from_rub,
    base_rub, rate_percent, min_rub, max_rub, note."""
    def dec(text: str) -> Decimal | None:
        return Decimal(text) if text else None
    return [(r["court"], date.fromisoformat(r["valid_from"]),
             date.fromisoformat(r["valid_to"]) if r["valid_to"] else None, int(r["from_rub"]),
             Decimal(r["base_rub"]), Decimal(r["rate_percent"]), dec(r["min_rub"]), dec(r["max_rub"]),
             r["note"] or None) for r in _data_csv(STATE_DUTY_FILE)]


def install_reference(store: Store) -> dict[str, int]:
    """Insert the shipped key rates, dated rules and state duty bands that the store does not have
    yet; bring the production calendar to `sbyt.core.workdays`."""
    with store.transaction() as con:
        before_k = store.scalar("SELECT count(*) FROM key_rate")
        con.executemany("INSERT OR IGNORE INTO key_rate VALUES (?, ?)", key_rate_rows())
        before_r = store.scalar("SELECT count(*) FROM dated_rule")
        con.executemany("INSERT OR IGNORE INTO dated_rule VALUES (?, ?, ?, ?, ?, ?)", dated_rule_rows())
        added_k = store.scalar("SELECT count(*) FROM key_rate") - before_k
        added_r = store.scalar("SELECT count(*) FROM dated_rule") - before_r
        changed_c = _install_calendar(store)
        added_w = _install_so_windows(store)
        before_d = store.scalar("SELECT count(*) FROM state_duty_band")
        con.executemany("INSERT OR IGNORE INTO state_duty_band VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", state_duty_rows())
        added_d = store.scalar("SELECT count(*) FROM state_duty_band") - before_d
    return {"key_rate": added_k, "dated_rule": added_r, "calendar": changed_c, "so_window": added_w,
            "state_duty_band": added_d}


SO_WINDOWS_FILE = "so_windows.csv"
REFERENCE_BATCH = 0       # so_window.batch_id of the shipped windows (no import_batch row)


def _install_so_windows(store: Store) -> int:
    """The System Operator's planned peak windows shipped in `sbyt.data` (legal.md §C.3): the months
    and price zones the store has no window for, with batch id 0 (`REFERENCE_BATCH`: shipped data,
    not an import — so `sbyt init` takes no import batch number; a newer SO order is loaded with
    `sbyt prices import`). The number of hours added."""
    from sbyt.core.prices import parse_windows

    rows = [(int(r["month"].replace("-", "")), int(r["price_zone"]), h)
            for r in _data_csv(SO_WINDOWS_FILE) for h in sorted(parse_windows(r["windows"]))]
    have = {(p, z) for p, z in store.all("SELECT DISTINCT period, price_zone FROM so_window")}
    new = [r for r in rows if (r[0], r[1]) not in have]
    if not new:
        return 0
    store.execute("INSERT INTO so_window SELECT unnest(?::INTEGER[]), unnest(?::TINYINT[]), unnest(?::TINYINT[]), ?",
                  [[r[0] for r in new], [r[1] for r in new], [r[2] for r in new], REFERENCE_BATCH])
    return len(new)


# The years the store's production calendar covers: deadlines counted by SQL reports (the contract
# register) on days outside them are NULL, never guessed.
CALENDAR_YEARS = (2000, 2060)


@cache
def calendar_exceptions() -> tuple[list[date], list[bool]]:
    """The days of CALENDAR_YEARS that `sbyt.core.workdays` rates unlike the plain Monday–Friday
    week (holidays and days off moved onto weekdays, working Saturdays), with their rating."""
    from sbyt.core.workdays import is_working_day

    days, working = [], []
    day, last = date(CALENDAR_YEARS[0], 1, 1), date(CALENDAR_YEARS[1], 12, 31)
    while day <= last:
        w = is_working_day(day)
        if w != (day.isoweekday() < 6):
            days.append(day)
            working.append(w)
        day += timedelta(days=1)
    return days, working


def _install_calendar(store: Store) -> int:
    """Bring `production_calendar` to `sbyt.core.workdays`; the number of days added or changed."""
    days, working = calendar_exceptions()
    store.execute("""
        CREATE OR REPLACE TEMP TABLE _calendar AS
        WITH x AS (SELECT unnest(?::DATE[]) AS day, unnest(?::BOOLEAN[]) AS working),
        c AS (SELECT CAST(g.d AS DATE) AS day, coalesce(x.working, isodow(CAST(g.d AS DATE)) < 6) AS working
              FROM generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 DAY) AS g(d)
              LEFT JOIN x ON x.day = CAST(g.d AS DATE))
        SELECT day, working,
               CAST(sum(CAST(working AS INTEGER)) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS INTEGER) AS n
        FROM c""",
                  [days, working, date(CALENDAR_YEARS[0], 1, 1), date(CALENDAR_YEARS[1], 12, 31)])
    changed = store.scalar("""SELECT count(*) FROM _calendar AS t FULL JOIN production_calendar AS c USING (day)
                              WHERE c.day IS NULL OR t.day IS NULL OR c.working <> t.working OR c.n <> t.n""")
    if changed:
        store.execute("DELETE FROM production_calendar")
        store.execute("INSERT INTO production_calendar SELECT day, working, n FROM _calendar")
    store.execute("DROP TABLE _calendar")
    return int(changed)


def _numeric_rules(store: Store) -> dict[str, list[tuple[date, date | None, Decimal | None]]]:
    """Every dated rule by code, the latest first (one small query per Store: `Store.memo`)."""
    out: dict[str, list[tuple[date, date | None, Decimal | None]]] = {}
    for code, valid_from, valid_to, value in store.all(
            "SELECT code, valid_from, valid_to, value FROM dated_rule ORDER BY code, valid_from DESC"):
        out.setdefault(code, []).append((valid_from, valid_to, value))
    return out


def rule(store: Store, code: str, on: date) -> Decimal | None:
    """The numeric value of a dated rule in force on a day, or None if none is: the latest
    `valid_from <= on` with `valid_to` NULL or after `on`."""
    for valid_from, valid_to, value in store.memo("dated_rule", lambda: _numeric_rules(store)).get(code, ()):
        if valid_from <= on and (valid_to is None or valid_to > on):
            return value
    return None


def rule_int(store: Store, code: str, on: date, default: int | None = None) -> int:
    value = rule(store, code, on)
    if value is None:
        if default is None:
            raise LookupError(f"no dated rule {code} on {on}")
        return default
    return int(value)


def text_rule(store: Store, code: str, on: date) -> str | None:
    """The text value of a dated rule in force on a day, or None if none is."""
    return store.scalar("SELECT text_value FROM dated_rule WHERE code = ? AND valid_from <= ?"
                        " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [code, on, on])


def key_rate_on(store: Store, on: date) -> Decimal | None:
    return store.scalar("SELECT rate FROM key_rate WHERE valid_from <= ? ORDER BY valid_from DESC LIMIT 1", [on])
