"""Typed report parameters: parsing operator text into the value bound to `$name` in DuckDB.

Types: date, period, int, text, money, bool. Special defaults: `current` (period: the open billing
period, else the last one, else this month) and `today` (date). Values are shown back to the
operator in Russian form (`display`) in report titles, PDF and XLSX headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from sbyt.core.errors import SbytError
from sbyt.core.money import format_rub, kop
from sbyt.core.periods import date_label, parse_date, parse_period, period_label, period_of

PARAM_TYPES = ("date", "period", "int", "text", "money", "bool")

_TRUE = {"1", "true", "yes", "да", "д", "y"}
_FALSE = {"0", "false", "no", "нет", "н", "n"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    title: str
    default: str | None = None        # None: required

    @property
    def required(self) -> bool:
        return self.default is None

    def check_default(self) -> None:
        """Raises `SbytError` when the declared default is not a value of the type."""
        if self.default is None:
            return
        if self.default == "current" and self.type == "period":
            return
        if self.default == "today" and self.type == "date":
            return
        self.parse(self.default)

    def parse(self, text: str) -> Any:
        """Operator text -> value for DuckDB (date, int YYYYMM, int, str, int kopecks, bool)."""
        raw = text.strip()
        try:
            if self.type == "text":
                return "" if raw in ("''", '""') else text
            if self.type == "period":
                return parse_period(raw)
            if self.type == "date":
                return parse_date(raw)
            if self.type == "int":
                if not re.fullmatch(r"[+-]?\d+", raw.replace(" ", "").replace("\u00a0", "")):
                    raise ValueError(f"не целое число: «{text}»")
                return int(raw.replace(" ", "").replace("\u00a0", ""))
            if self.type == "money":
                return kop(raw)
            if self.type == "bool":
                if raw.lower() in _TRUE:
                    return True
                if raw.lower() in _FALSE:
                    return False
                raise ValueError(f"ожидается да/нет, а не «{text}»")
        except ValueError as exc:
            raise SbytError(f"Параметр {self.name} ({self.title}): {exc}") from None
        raise SbytError(f"Параметр {self.name}: неизвестный тип {self.type}")

    def default_value(self, con: duckdb.DuckDBPyConnection | None) -> Any:
        if self.default == "current" and self.type == "period":
            return current_period(con)
        if self.default == "today" and self.type == "date":
            return date.today()
        assert self.default is not None
        return self.parse(self.default)

    def display(self, value: Any) -> str:
        """The value as the operator reads it: «11.2026», «05.11.2026», «1 234,56»."""
        if self.type == "period":
            return period_label(int(value))
        if self.type == "date":
            return date_label(value)
        if self.type == "money":
            return format_rub(int(value))
        if self.type == "bool":
            return "да" if value else "нет"
        if self.type == "text" and value == "":
            return "(все)"
        return str(value)


def current_period(con: duckdb.DuckDBPyConnection | None) -> int:
    """The open billing period; else the last known one; else the current calendar month."""
    if con is not None:
        row = con.execute(
            "SELECT coalesce(max(period) FILTER (WHERE status = 'open'), max(period)) FROM billing_period"
        ).fetchall()  # fetch to the end: DuckDB 2 refuses new work while a result is unfinished
        if row and row[0][0] is not None:
            return int(row[0][0])
    return period_of(date.today())


def resolve(params: tuple[Param, ...], given: dict[str, str],
            con: duckdb.DuckDBPyConnection | None) -> dict[str, Any]:
    """Operator values by name (text) -> bound values for every declared parameter."""
    names = {p.name for p in params}
    unknown = sorted(set(given) - names)
    if unknown:
        known = ", ".join(p.name for p in params) or "нет"
        raise SbytError(f"Неизвестный параметр: {', '.join(unknown)} (параметры отчёта: {known}).")
    values: dict[str, Any] = {}
    for p in params:
        if p.name in given:
            values[p.name] = p.parse(given[p.name])
        elif p.required:
            raise SbytError(f"Не задан обязательный параметр {p.name} ({p.title}): --param {p.name}=…")
        else:
            values[p.name] = p.default_value(con)
    return values


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """`["period=2026-11", "district=Север"]` -> dict; refuses items without '='."""
    result: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SbytError(f"Параметр задаётся как имя=значение, а не «{item}».")
        result[name.strip()] = value
    return result
