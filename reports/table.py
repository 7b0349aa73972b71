"""A rendered-ready result: titled columns with formats, rows, optional totals and parameters.

Every renderer (terminal, CSV, JSON, XLSX, PDF) takes a `Table`; reports, ad-hoc SQL and the
plain tabular output of other commands (`console.cli.common.emit`) all build one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Column formats: money = rubles DECIMAL(18,2); kwh = DECIMAL(18,3); int = integer with grouping;
# number = any number as it is; percent = a number of percent (12.5 -> «12,5 %»); period = YYYYMM
# int -> «11.2026»; auto = decide per value (the plain output of `emit` and ad-hoc SQL).
COLUMN_FORMATS = ("text", "int", "number", "money", "kwh", "percent", "date", "datetime", "period", "bool",
                  "auto")
NUMERIC_FORMATS = frozenset({"int", "number", "money", "kwh", "percent"})
SCALE = {"money": 2, "kwh": 3}


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    format: str = "auto"
    total: bool = False
    scale: int | None = None      # values are integers in units of 10**-scale (fast fetch of DECIMAL)
    domain: str | None = None     # the values are codes of this `sbyt.core.labels` domain

    @property
    def numeric(self) -> bool:
        return self.format in NUMERIC_FORMATS


@dataclass
class Table:
    title: str | None
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    params: list[tuple[str, str]] = field(default_factory=list)   # (Russian title, shown value)
    name: str = "query"                                           # file-name stem for exports

    @property
    def has_totals(self) -> bool:
        return any(c.total for c in self.columns)

    def totals(self) -> list[Any] | None:
        """Exact sums of the `total` columns (None elsewhere), or None without totals."""
        if not self.has_totals:
            return None
        sums: list[Any] = []
        for i, col in enumerate(self.columns):
            if not col.total:
                sums.append(None)
                continue
            if col.scale is not None:
                acc: Any = Decimal(sum(row[i] for row in self.rows if row[i] is not None)).scaleb(-col.scale)
            else:
                acc = Decimal(0)
                for row in self.rows:
                    v = row[i]
                    if v is not None:
                        acc += v if isinstance(v, (int, Decimal)) else Decimal(str(v))
            if col.format in SCALE:
                acc = Decimal(acc).quantize(Decimal(1).scaleb(-SCALE[col.format]))
            elif col.format == "int":
                acc = int(acc)
            sums.append(acc)
        return sums

    def labelled(self) -> Table:
        """The table as people read it: code columns show their Russian labels (JSON keeps the codes)."""
        coded = [(i, c.domain) for i, c in enumerate(self.columns) if c.domain]
        if not coded:
            return self
        from sbyt.core.labels import LABELS

        rows = []
        for row in self.rows:
            cells = list(row)
            for i, domain in coded:
                v = cells[i]
                if v is not None:
                    cells[i] = LABELS[domain].get(str(v), v)
            rows.append(tuple(cells))
        columns = [replace(c, domain=None, format="text") if c.domain else c for c in self.columns]
        return Table(self.title, columns, rows, self.params, self.name)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (scaled integers back to Decimal): for tests and APIs."""
        names = [c.name for c in self.columns]
        return [{n: unscale(v, c) for n, v, c in zip(names, row, self.columns)} for row in self.rows]

    def totals_label_index(self) -> int:
        """The column that shows «Итого»: the first non-total column before the first total."""
        for i, col in enumerate(self.columns):
            if col.total:
                return 0 if i > 0 else -1
        return 0


def unscale(value: Any, col: Column) -> Any:
    """A cell as a plain value: a scaled integer of a DECIMAL column -> Decimal."""
    if col.scale is not None and isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value).scaleb(-col.scale)
    return value


def format_of(value: Any, declared: str) -> str:
    """The effective format of one value of an `auto` column."""
    if declared != "auto":
        return declared
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Decimal) or isinstance(value, float):
        return "number"
    if isinstance(value, int):
        return "plain_int"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "text"
