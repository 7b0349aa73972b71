"""Reference data shipped in `sbyt.data`: key rates and dated rules, and lookups of dated rules.

`install_reference` is idempotent: rows already present (same natural key) are left alone, so
`sbyt init` can run on an existing store.
"""

from __future__ import annotations

import csv
import io as _stdio
from datetime import date
from decimal import Decimal
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


def install_reference(store: Store) -> dict[str, int]:
    """Insert the shipped key rates and dated rules that the store does not have yet."""
    with store.transaction() as con:
        before_k = store.scalar("SELECT count(*) FROM key_rate")
        con.executemany("INSERT OR IGNORE INTO key_rate VALUES (?, ?)", key_rate_rows())
        before_r = store.scalar("SELECT count(*) FROM dated_rule")
        con.executemany("INSERT OR IGNORE INTO dated_rule VALUES (?, ?, ?, ?, ?, ?)", dated_rule_rows())
        added_k = store.scalar("SELECT count(*) FROM key_rate") - before_k
        added_r = store.scalar("SELECT count(*) FROM dated_rule") - before_r
    return {"key_rate": added_k, "dated_rule": added_r}


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


def key_rate_on(store: Store, on: date) -> Decimal | None:
    return store.scalar("SELECT rate FROM key_rate WHERE valid_from <= ? ORDER BY valid_from DESC LIMIT 1", [on])
