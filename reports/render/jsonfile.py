"""JSON: a list of objects keyed by column name (several tables: an object of such lists); exact decimals
as strings, ISO dates."""

from __future__ import annotations

import json
from typing import Any, TextIO

from sbyt.reports.render.numbers import json_cell
from sbyt.reports.table import Table


def records(table: Table) -> list[dict[str, Any]]:
    names = [c.name for c in table.columns]
    cols = table.columns
    return [{n: json_cell(v, c) for n, v, c in zip(names, row, cols)} for row in table.rows]


def write(table: Table, out: TextIO) -> None:
    out.write(json.dumps(records(table), ensure_ascii=False, indent=1))
    out.write("\n")


def write_many(tables: dict[str, Table], out: TextIO) -> None:
    """Several tables as one object: name -> list of row objects."""
    out.write(json.dumps({name: records(t) for name, t in tables.items()}, ensure_ascii=False, indent=1))
    out.write("\n")
